using System.Collections.Concurrent;
using CalMiner.Model;
using CalMiner.Scenarios;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Simulation.Stages;

/// <summary>
/// The second stage of a run: the model evaluated over the sampled inputs, chunk by chunk, until every iteration is
/// done or the convergence rule is met. Owns the output columns, which come from the shared pool: dispose it when the
/// run is over.
/// </summary>
internal sealed class EvaluatedRun : IDisposable
{
    /// <summary>Iterations evaluated between progress reports, cancellation checks and convergence checks.</summary>
    private const int Chunk = 4_096;

    private readonly RunContext _run;

    // Per chunk, by its first iteration, each input's (count, mean, sum of squared deviations); merged in iteration order.
    private readonly ConcurrentDictionary<int, double[]> _inputMoments = new();

    private EvaluatedRun(RunContext run, SampledInputs inputs, bool keepSamples)
    {
        _run = run;
        Inputs = inputs;
        Outputs = new OutputColumns(run.Padded);
        InputSamples = keepSamples ? [.. inputs.Uncertain.Select(_ => new double[run.Iterations])] : null;
    }

    public SampledInputs Inputs { get; }

    /// <summary>Per iteration, the model's outputs; only the first <see cref="Evaluated"/> are results.</summary>
    public OutputColumns Outputs { get; }

    /// <summary>Per uncertain input, its value in each iteration, when the run keeps its samples; else null.</summary>
    public double[][]? InputSamples { get; }

    /// <summary>The iterations evaluated: all of them, or fewer when the run converged early.</summary>
    public int Evaluated { get; private set; }

    /// <summary>Evaluates every iteration, or until <paramref name="rule"/> is met at a checkpoint.</summary>
    /// <param name="run">The run.</param>
    /// <param name="inputs">Its sampled inputs.</param>
    /// <param name="rule">When to stop early; null to evaluate every iteration.</param>
    /// <param name="keepSamples">Whether to keep every iteration's inputs.</param>
    public static EvaluatedRun Evaluate(RunContext run, SampledInputs inputs, ConvergenceRule? rule, bool keepSamples)
    {
        var evaluation = new EvaluatedRun(run, inputs, keepSamples);
        try
        {
            evaluation.Evaluated = evaluation.EvaluateUntil(rule);
            return evaluation;
        }
        catch
        {
            evaluation.Dispose();
            throw;
        }
    }

    /// <summary>An input's sample standard deviation from the chunks' moments, merged in iteration order (Chan et al.).</summary>
    public double StandardDeviation(int u)
    {
        double count = 0, mean = 0, squares = 0;
        foreach (var (_, chunk) in _inputMoments.OrderBy(c => c.Key))
        {
            var (n, m, s) = (chunk[3 * u], chunk[3 * u + 1], chunk[3 * u + 2]);
            var total = count + n;
            var delta = m - mean;
            (mean, squares) = (mean + delta * (n / total), squares + s + delta * delta * (count * n / total));
            count = total;
        }

        return count > 1 ? Math.Sqrt(squares / (count - 1)) : 0;
    }

    /// <summary>Gives the output columns back to the pool.</summary>
    public void Dispose() => Outputs.Dispose();

    private int EvaluateUntil(ConvergenceRule? rule)
    {
        var (iterations, padded, kernel) = (_run.Iterations, _run.Padded, _run.Kernel);
        var metric = rule is null ? (ConvergenceMetric?)null : ConvergenceMetric.Parse(rule.Metric);
        var checkpoints = rule is null ? [iterations] : Statistics.Convergence.Checkpoints(iterations);
        var done = 0;
        foreach (var checkpoint in checkpoints)
        {
            // Kernel calls start on a whole group of lanes; the lanes past the checkpoint are evaluated early, not twice.
            var from = done / ModelKernel.Lanes * ModelKernel.Lanes;
            var to = Math.Min(padded, (checkpoint + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes);
            if (to > from)
            {
                var chunks = (to - from + Chunk - 1) / Chunk;
                var completed = from;
                Parallel.For(0, chunks, _run.Parallel, () => new ChunkScratch(_run.Plan.ParameterNames.Length, Inputs.Uncertain, kernel), (c, _, scratch) =>
                {
                    var start = from + c * Chunk;
                    var count = Math.Min(Chunk, to - start);
                    SampleChunk(start, count, scratch);
                    kernel.Evaluate(scratch.Inputs, start, count, Outputs, scratch.Kernel);
                    _run.Report(SimulationStage.Evaluating, Math.Min(Interlocked.Add(ref completed, count), iterations), iterations);
                    return scratch;
                }, _ => { });
            }

            done = Math.Max(done, Math.Min(to, iterations));
            if (metric is { } m && done < iterations
                && StopRule.Evaluate(Outputs.Named.First(o => o.Name == m.Output).Values.AsMemory(0, done), m, rule!.RelativeTolerance, rule.Confidence, _run.Threads).Converged)
            {
                break;
            }
        }

        return done;
    }

    /// <summary>Samples the inputs of iterations [start, start + count); the lanes past the last iteration repeat it, a valid input.</summary>
    private void SampleChunk(int start, int count, ChunkScratch scratch)
    {
        var uncertain = Inputs.Uncertain;
        var valid = Math.Min(count, _run.Iterations - start);
        var ranks = scratch.Ranks.AsSpan(0, valid);
        var moments = new double[3 * uncertain.Length];
        for (var u = 0; u < uncertain.Length; u++)
        {
            var values = scratch.Inputs[uncertain[u]].AsSpan(0, count);
            Inputs.RanksOf(u, start, ranks);
            Inputs.Values(u, ranks, values[..valid]);
            values[valid..].Fill(values[valid - 1]);
            if (InputSamples is { } samples)
            {
                values[..valid].CopyTo(samples[u].AsSpan(start));
            }

            var (mean, squares) = Reductions.MeanAndSquares(values[..valid]);
            (moments[3 * u], moments[3 * u + 1], moments[3 * u + 2]) = (valid, mean, squares);
        }

        _inputMoments[start] = moments;
    }

    /// <summary>One thread's memory for a chunk: the sampled inputs (null for parameters that are not uncertain), their ranks, the kernel's.</summary>
    private sealed class ChunkScratch
    {
        public ChunkScratch(int parameters, int[] uncertain, ModelKernel kernel)
        {
            Inputs = new double[]?[parameters];
            foreach (var j in uncertain)
            {
                Inputs[j] = new double[Chunk];
            }

            Kernel = kernel.NewScratch();
        }

        public double[]?[] Inputs { get; }

        public int[] Ranks { get; } = new int[Chunk];

        public ModelKernel.Scratch Kernel { get; }
    }
}
