using System.Buffers;
using CalMiner.Scenarios;
using CalMiner.Simulation.Correlation;
using CalMiner.Simulation.Sampling;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Simulation.Stages;

/// <summary>
/// The first stage of a run: its uncertain inputs sampled and rank-correlated. Every input is described by each
/// iteration's rank and the uniform of each rank: Latin Hypercube strata and their uniforms are computed wherever
/// they are needed, so no input column is kept; Monte Carlo uniforms are ranked once. The rank correlation rewrites
/// only ranks. The values are computed chunk by chunk (<see cref="Values"/>) just before the model evaluates them.
/// Owns the rank arrays, which come from the shared pool: dispose it when the run is over.
/// </summary>
internal sealed class SampledInputs : IDisposable
{
    private readonly RunContext _run;
    private readonly SamplingPlan _sampling;

    // Per uncertain input, each iteration's rank when it is held (Monte Carlo, or reordered by the rank correlation);
    // null for Latin Hypercube strata, which are computed when needed. The arrays come from the shared pool (fresh
    // memory costs page faults every run) and may be longer than the run.
    private readonly int[]?[] _ranks;

    // Monte Carlo only: each input's uniforms in ascending order, the uniform of each rank.
    private readonly double[]?[] _sortedUniforms;

    private SampledInputs(RunContext run, int[] uncertain)
    {
        _run = run;
        Uncertain = uncertain;
        var plan = run.Plan;
        Samplers = [.. uncertain.Select(j => ParameterSampler.Create(plan.Document.Parameters[plan.ParameterNames[j]].Distribution!))];
        _sampling = new SamplingPlan(run.Seed, run.Sampling, run.Iterations, UncertainNames);
        _ranks = new int[]?[uncertain.Length];
        _sortedUniforms = new double[]?[uncertain.Length];
    }

    /// <summary>The uncertain parameters, in the scenario's order, by their index in the plan.</summary>
    public int[] Uncertain { get; }

    /// <summary>Per uncertain input, its sampler.</summary>
    public ParameterSampler[] Samplers { get; }

    /// <summary>The correlation applied, whether it was repaired and by how much; null when nothing was correlated.</summary>
    public PreparedCorrelation? Correlation { get; private set; }

    public string[] UncertainNames => [.. Uncertain.Select(j => _run.Plan.ParameterNames[j])];

    /// <summary>Samples the run's uncertain inputs and reorders the correlated ones.</summary>
    /// <param name="run">The run.</param>
    /// <param name="repairCorrelations">Whether a matrix that is not positive semi-definite is repaired rather than refused.</param>
    public static SampledInputs Draw(RunContext run, bool repairCorrelations)
    {
        var plan = run.Plan;
        int[] uncertain = [.. Enumerable.Range(0, plan.ParameterNames.Length)
            .Where(j => plan.Document.Parameters[plan.ParameterNames[j]].Distribution is { Type: not DistributionType.Constant })];
        run.Report(SimulationStage.Sampling, 0, run.Iterations);
        var inputs = new SampledInputs(run, uncertain);
        try
        {
            inputs.RankUniforms();
            inputs.Correlation = inputs.Correlate(repairCorrelations);
            return inputs;
        }
        catch
        {
            inputs.Dispose();
            throw;
        }
    }

    /// <summary>Monte Carlo: each input's uniforms are ranked once; from then on both methods are ranks and the uniform of each rank.</summary>
    private void RankUniforms()
    {
        if (_sampling.HasStrata)
        {
            return;
        }

        var iterations = _run.Iterations;
        Parallel.For(0, Uncertain.Length, _run.Parallel, u =>
        {
            var uniforms = new double[iterations];
            _sampling.Uniforms(u, 0, uniforms);
            var (ranks, sorted) = (ArrayPool<int>.Shared.Rent(iterations), new double[iterations]);
            var order = ArrayPool<int>.Shared.Rent(iterations);
            BucketSort.Ranks(uniforms, ranks.AsSpan(0, iterations), sorted, order.AsSpan(0, iterations));
            ArrayPool<int>.Shared.Return(order);
            (_ranks[u], _sortedUniforms[u]) = (ranks, sorted);
        });
    }

    /// <summary>Reorders the ranks of the correlated inputs; returns whether the matrix was repaired, and by how much at most, or null when nothing was correlated.</summary>
    private PreparedCorrelation? Correlate(bool repair)
    {
        var pairs = _run.Plan.Document.Correlations;
        var iterations = _run.Iterations;
        if (pairs.Count == 0 || iterations < 3)
        {
            return null;
        }

        _run.Cancellation.ThrowIfCancellationRequested();
        _run.Report(SimulationStage.Correlating, 0, iterations);

        // Only the correlated parameters are reordered, so the others keep their independent samples.
        var names = UncertainNames;
        int[] correlated = [.. Enumerable.Range(0, names.Length).Where(u => pairs.Any(p => p.A == names[u] || p.B == names[u]))];
        var prepared = CorrelationMatrixValidation.Prepare(CorrelationMatrix.FromPairs([.. correlated.Select(u => names[u])], pairs), repair);
        foreach (var u in correlated)
        {
            _ranks[u] ??= Strata(u);
        }

        using var workspace = new ImanConoverWorkspace();
        ImanConover.Reorder([.. correlated.Select(u => _ranks[u].AsMemory(0, iterations))], prepared.Matrix, workspace, new ImanConoverOptions { MaxDegreeOfParallelism = _run.Threads });
        return prepared;
    }

    /// <summary>The ranks of input <paramref name="u"/> in iterations [<paramref name="start"/>, <paramref name="start"/> + length).</summary>
    public void RanksOf(int u, int start, Span<int> destination)
    {
        if (_ranks[u] is { } ranks)
        {
            ranks.AsSpan(start, destination.Length).CopyTo(destination);
        }
        else
        {
            _sampling.Strata(u, start, destination);
        }
    }

    /// <summary>The sample of each rank; a sample's rank among its input's samples is the rank of its uniform.</summary>
    public void Values(int u, ReadOnlySpan<int> ranks, Span<double> destination)
    {
        if (_sortedUniforms[u] is { } sorted)
        {
            for (var i = 0; i < ranks.Length; i++)
            {
                destination[i] = sorted[ranks[i]];
            }
        }
        else
        {
            _sampling.StratumUniforms(u, ranks, destination);
        }

        Samplers[u].Quantiles(destination, destination);
    }

    /// <summary>
    /// Input <paramref name="u"/> for the sensitivity analysis of a run that evaluated <paramref name="evaluated"/> iterations.
    /// </summary>
    /// <param name="u">The uncertain input.</param>
    /// <param name="evaluated">Iterations evaluated.</param>
    /// <param name="standardDeviation">The input's sample standard deviation over the evaluated iterations.</param>
    public SensitivityInput SensitivityInputOf(int u, int evaluated, double standardDeviation)
    {
        var name = _run.Plan.ParameterNames[Uncertain[u]];
        if (evaluated == _run.Iterations && Samplers[u].StandardForm.Type is not (DistributionType.Discrete or DistributionType.Empirical))
        {
            // A whole run of an input without tied values: each iteration's rank is known (held, or computed
            // chunk by chunk from the strata) and any rank's value can be computed, so nothing is sorted and no
            // column of values or ranks is made.
            return new SensitivityInput(name, ReadOnlyMemory<double>.Empty)
            {
                Ranks = _ranks[u]?.AsMemory(0, evaluated) ?? default,
                RanksOf = _ranks[u] is null ? (first, destination) => _sampling.Strata(u, first, destination) : null,
                ValueOfRank = rank => ValueOfRank(u, rank),
                StandardDeviation = standardDeviation,
            };
        }

        // A run stopped early, or values with ties: the iterations' values, ranked by the analysis.
        var ranks = new int[evaluated];
        var values = new double[evaluated];
        RanksOf(u, 0, ranks);
        Values(u, ranks, values);
        return new SensitivityInput(name, values);
    }

    /// <summary>Gives the rank arrays back to the pool.</summary>
    public void Dispose()
    {
        for (var u = 0; u < _ranks.Length; u++)
        {
            if (_ranks[u] is { } ranks)
            {
                ArrayPool<int>.Shared.Return(ranks);
                _ranks[u] = null;
            }
        }
    }

    private double ValueOfRank(int u, int rank)
    {
        Span<double> value = stackalloc double[1];
        Values(u, [rank], value);
        return value[0];
    }

    /// <summary>The strata of input <paramref name="u"/> in iteration order, filled in parallel into an array of the pool.</summary>
    private int[] Strata(int u)
    {
        var iterations = _run.Iterations;
        var strata = ArrayPool<int>.Shared.Rent(iterations);
        FixedChunks.For(FixedChunks.Count(iterations), _run.Threads, c => _sampling.Strata(u, c * FixedChunks.Size, strata.AsSpan(FixedChunks.Of(c, iterations))));
        return strata;
    }
}
