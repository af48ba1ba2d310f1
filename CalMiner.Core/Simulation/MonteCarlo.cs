using System.Buffers;
using System.Collections.Concurrent;
using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Simulation.Correlation;
using CalMiner.Simulation.Engine;
using CalMiner.Simulation.Sampling;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Simulation;

/// <summary>Monte Carlo simulation of a scenario's economics over its uncertain parameters.</summary>
/// <remarks>
/// The same scenario, iterations, seed and sampling give bit-identical results on any machine and any
/// number of threads: iterations are sampled and evaluated in fixed-size blocks, each with its own random
/// streams keyed by the parameter's name, and every merge happens in a fixed order.
/// </remarks>
public static class MonteCarlo
{
    /// <summary>Iterations evaluated between progress reports, cancellation checks and convergence checks.</summary>
    private const int Chunk = 4_096;

    private static readonly double[] SpiderChanges = [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3];

    /// <summary>Runs the simulation.</summary>
    /// <param name="scenario">The scenario; it is validated first.</param>
    /// <param name="options">Iterations, seed, sampling and threads; what is not set comes from the scenario.</param>
    /// <param name="progress">Receives progress as the run goes.</param>
    /// <param name="cancellationToken">Stops the run promptly.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks the rules of the format, or its correlations contradict one another (see <see cref="ScenarioDocument.Warnings"/>) and <see cref="SimulationOptions.RepairCorrelations"/> is not set; the error is on <c>correlations</c>.</exception>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static SimulationResult Run(
        ScenarioDocument scenario,
        SimulationOptions? options = null,
        IProgress<SimulationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new SimulationOptions();
        var plan = ScenarioPlan.For(scenario);
        var settings = scenario.Simulation;
        var rule = settings.Convergence;
        var iterations = options.Iterations ?? rule?.MaxIterations ?? settings.Iterations;
        if (iterations is < 1 or > SimulationLimits.MaxIterations)
        {
            ThrowHelper.ThrowIterationsOutOfRange(nameof(options), iterations);
        }

        var run = new Runner(plan, iterations, options.Seed ?? settings.Seed, options.Sampling ?? settings.Sampling, Threads(options), progress, cancellationToken);
        run.Sample();
        var correlation = run.Correlate(options.RepairCorrelations);
        var evaluated = run.Evaluate(rule, options.KeepSamples);
        return run.Summarise(evaluated, iterations, correlation);
    }

    /// <summary>
    /// An upper bound, in bytes, of the managed memory <see cref="Run"/> holds at its peak with these options on this
    /// machine: it grows with the iterations, the uncertain and correlated inputs (all of them with Monte Carlo
    /// sampling, the correlated ones with Latin Hypercube), the threads, and the kept samples. Cheap: nothing is sampled.
    /// </summary>
    /// <param name="scenario">The scenario; it is not validated.</param>
    /// <param name="options">The options of the run; what is not set comes from the scenario.</param>
    public static long EstimateMemory(ScenarioDocument scenario, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new SimulationOptions();
        var settings = scenario.Simulation;
        var iterations = Math.Clamp(options.Iterations ?? settings.Convergence?.MaxIterations ?? settings.Iterations, 1, SimulationLimits.MaxIterations);
        return MemoryEstimate.Bytes(scenario, iterations, options.Sampling ?? settings.Sampling, options.KeepSamples, Threads(options));
    }

    /// <summary>
    /// The bytes of the samples a run keeps (<see cref="SimulationOptions.KeepSamples"/>): 8 a value, one value an iteration
    /// for every uncertain input and every output; 0 when it keeps none. What a store of them as doubles holds.
    /// </summary>
    /// <param name="scenario">The scenario; it is not validated.</param>
    /// <param name="options">The options of the run; what is not set comes from the scenario.</param>
    public static long EstimateSampleBytes(ScenarioDocument scenario, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new SimulationOptions();
        var settings = scenario.Simulation;
        var iterations = Math.Clamp(options.Iterations ?? settings.Convergence?.MaxIterations ?? settings.Iterations, 1, SimulationLimits.MaxIterations);
        return options.KeepSamples ? MemoryEstimate.SampleBytes(scenario, iterations) : 0;
    }

    /// <summary>
    /// The threads a run uses: as many as asked, else one a core. Never left to the thread pool, which may add
    /// workers to a long loop, each with its own scratch of every uncertain input.
    /// </summary>
    private static int Threads(SimulationOptions options) =>
        options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount;

    /// <summary>
    /// One run. Every input is described by each iteration's rank and the uniform of each rank: Latin Hypercube
    /// strata and their uniforms are computed wherever they are needed, so no input column is kept; Monte Carlo
    /// uniforms are ranked once. The rank correlation rewrites only ranks. Inputs are sampled chunk by chunk
    /// just before the model evaluates them.
    /// </summary>
    private sealed class Runner(
        ScenarioPlan plan, int iterations, long seed, SamplingMethod sampling, int threads,
        IProgress<SimulationProgress>? progress, CancellationToken cancellation)
    {
        private readonly ParallelOptions _parallel = new() { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
        private readonly int _padded = (iterations + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes;

        // The uncertain parameters, in the scenario's order, with their samplers.
        private readonly int[] _uncertain = [.. Enumerable.Range(0, plan.ParameterNames.Length)
            .Where(j => plan.Document.Parameters[plan.ParameterNames[j]].Distribution is { Type: not DistributionType.Constant })];

        private ParameterSampler[] _samplers = [];
        private SamplingPlan _sampling = null!;

        // Per uncertain input, each iteration's rank when it is held (Monte Carlo, or reordered by the rank
        // correlation); null for Latin Hypercube strata, which are computed when needed. The arrays come from the
        // shared pool (fresh memory costs page faults every run), may be longer than the run, and go back at its end.
        private int[]?[] _ranks = [];

        // Monte Carlo only: each input's uniforms in ascending order, the uniform of each rank.
        private double[]?[] _sortedUniforms = [];

        private readonly ModelKernel _kernel = ModelKernel.For(plan);
        private OutputColumns? _outputs;
        private double[][]? _inputSamples;

        // Per chunk, by its first iteration, each input's (count, mean, sum of squared deviations); merged in iteration order.
        private readonly ConcurrentDictionary<int, double[]> _inputMoments = new();

        private string[] UncertainNames => [.. _uncertain.Select(j => plan.ParameterNames[j])];

        public void Sample()
        {
            progress?.Report(new SimulationProgress(SimulationStage.Sampling, 0, iterations));
            _samplers = [.. _uncertain.Select(j => ParameterSampler.Create(plan.Document.Parameters[plan.ParameterNames[j]].Distribution!))];
            _sampling = new SamplingPlan(seed, sampling, iterations, UncertainNames);
            _ranks = new int[]?[_uncertain.Length];
            _sortedUniforms = new double[]?[_uncertain.Length];
            if (_sampling.HasStrata)
            {
                return;
            }

            // Monte Carlo: each input's uniforms are ranked once; from then on both methods are ranks and the uniform of each rank.
            Parallel.For(0, _uncertain.Length, _parallel, u =>
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
        public PreparedCorrelation? Correlate(bool repair)
        {
            var pairs = plan.Document.Correlations;
            if (pairs.Count == 0 || iterations < 3)
            {
                return null;
            }

            cancellation.ThrowIfCancellationRequested();
            progress?.Report(new SimulationProgress(SimulationStage.Correlating, 0, iterations));

            // Only the correlated parameters are reordered, so the others keep their independent samples.
            var names = UncertainNames;
            int[] correlated = [.. Enumerable.Range(0, names.Length).Where(u => pairs.Any(p => p.A == names[u] || p.B == names[u]))];
            var prepared = CorrelationMatrixValidation.Prepare(CorrelationMatrix.FromPairs([.. correlated.Select(u => names[u])], pairs), repair);
            foreach (var u in correlated)
            {
                _ranks[u] ??= Strata(u);
            }

            using var workspace = new ImanConoverWorkspace();
            ImanConover.Reorder([.. correlated.Select(u => _ranks[u].AsMemory(0, iterations))], prepared.Matrix, workspace, new ImanConoverOptions { MaxDegreeOfParallelism = threads });
            return prepared;
        }

        /// <summary>Evaluates every iteration, or until the convergence rule is met at a checkpoint; returns the iterations evaluated.</summary>
        public int Evaluate(ConvergenceRule? rule, bool keepSamples)
        {
            _outputs = new OutputColumns(_padded);
            _inputSamples = keepSamples ? [.. _uncertain.Select(_ => new double[iterations])] : null;
            var metric = rule is null ? (ConvergenceMetric?)null : ConvergenceMetric.Parse(rule.Metric);
            var checkpoints = rule is null ? [iterations] : Statistics.Convergence.Checkpoints(iterations);
            var done = 0;
            foreach (var checkpoint in checkpoints)
            {
                // Kernel calls start on a whole group of lanes; the lanes past the checkpoint are evaluated early, not twice.
                var from = done / ModelKernel.Lanes * ModelKernel.Lanes;
                var to = Math.Min(_padded, (checkpoint + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes);
                if (to > from)
                {
                    var chunks = (to - from + Chunk - 1) / Chunk;
                    var completed = from;
                    Parallel.For(0, chunks, _parallel, () => new ChunkScratch(plan, _uncertain, _kernel), (c, _, scratch) =>
                    {
                        var start = from + c * Chunk;
                        var count = Math.Min(Chunk, to - start);
                        SampleChunk(start, count, scratch);
                        _kernel.Evaluate(scratch.Inputs, start, count, _outputs, scratch.Kernel);
                        progress?.Report(new SimulationProgress(SimulationStage.Evaluating, Math.Min(Interlocked.Add(ref completed, count), iterations), iterations));
                        return scratch;
                    }, _ => { });
                }

                done = Math.Max(done, Math.Min(to, iterations));
                if (metric is { } m && done < iterations
                    && StopRule.Evaluate(Column(m.Output).AsMemory(0, done), m, rule!.RelativeTolerance, rule.Confidence, threads).Converged)
                {
                    break;
                }
            }

            return done;
        }

        public SimulationResult Summarise(int evaluated, int asked, PreparedCorrelation? correlation)
        {
            cancellation.ThrowIfCancellationRequested();
            // One column a thread: a column's passes are too short to share between threads well, and a summary
            // is the same on any number of threads.
            var named = _outputs!.Named.ToArray();
            var (steps, stepsDone) = (named.Length + 1, 0);
            progress?.Report(new SimulationProgress(SimulationStage.Summarising, 0, steps));
            var summaries = new OutputSummary[named.Length];
            var oneThread = new StatisticsOptions { MaxDegreeOfParallelism = 1 };
            Parallel.For(0, named.Length, _parallel, c =>
            {
                summaries[c] = OutputStatistics.Compute(named[c].Values.AsMemory(0, evaluated), oneThread);
                progress?.Report(new SimulationProgress(SimulationStage.Summarising, Interlocked.Increment(ref stepsDone), steps));
            });
            var distributions = Enumerable.Range(0, named.Length).ToDictionary(c => named[c].Name, c => Distribution(summaries[c]));
            cancellation.ThrowIfCancellationRequested();

            // The input columns are the run's own, of exactly the run's length unless it stopped early: handed over, not copied.
            // The output columns come from the pool and go back to it, so they are copied.
            var samples = _inputSamples is { } inputs
                ? new SimulationSamples(
                    _uncertain.Select((j, u) => (j, u)).ToDictionary(p => plan.ParameterNames[p.j], p => inputs[p.u].Length == evaluated ? inputs[p.u] : inputs[p.u][..evaluated]),
                    _outputs.Named.ToDictionary(o => o.Name, o => o.Values[..evaluated]))
                : null;

            // Only the after-tax NPV is needed from here on: the other columns go back to the pool, where the analysis takes its work memory.
            var npvColumn = _outputs.NpvAfterTax;
            var npv = npvColumn.AsMemory(0, evaluated);
            _outputs.Return(keep: npvColumn);
            (_outputs, _inputSamples) = (null, null);
            var influences = Sensitivity.Analyse(npv, _uncertain.Length, u => SensitivityInputOf(u, evaluated), new SensitivityOptions { MaxDegreeOfParallelism = threads })
                // The kernel gives the contribution as a percentage; the public result keeps fractions as fractions.
                .Select(s => new InputInfluence(s.Name, s.RankCorrelation, s.ContributionToVariance / 100, s.TailShift))
                .OrderByDescending(s => Math.Abs(s.RankCorrelation))
                .ToList();
            progress?.Report(new SimulationProgress(SimulationStage.Summarising, steps, steps));

            var checkpoints = Statistics.Convergence.Checkpoints(evaluated);
            var points = new ConvergencePoint[checkpoints.Length];
            Statistics.Convergence.RunningMean(npv, checkpoints, points, 0.95, threads);
            ArrayPool<double>.Shared.Return(npvColumn);
            foreach (var ranks in _ranks.OfType<int[]>())
            {
                ArrayPool<int>.Shared.Return(ranks);
            }

            _ranks = [];

            return new SimulationResult
            {
                Iterations = evaluated,
                Seed = seed,
                Sampling = sampling,
                StoppedEarly = evaluated < asked,
                CorrelationsRepaired = correlation?.Repaired ?? false,
                CorrelationsMaxChange = correlation?.MaxChange ?? 0,
                Outputs = distributions,
                Sensitivity = influences,
                Tornado = Tornado(),
                Spider = Spider(),
                Convergence = [.. points.Select(p => new ConvergenceCheckpoint(p.Iterations, p.Mean, p.Lower, p.Upper))],
                Samples = samples,
            };
        }

        /// <summary>Samples the inputs of iterations [start, start + count); the lanes past the last iteration repeat it, a valid input.</summary>
        private void SampleChunk(int start, int count, ChunkScratch scratch)
        {
            var valid = Math.Min(count, iterations - start);
            var ranks = scratch.Ranks.AsSpan(0, valid);
            var moments = new double[3 * _uncertain.Length];
            for (var u = 0; u < _uncertain.Length; u++)
            {
                var values = scratch.Inputs[_uncertain[u]].AsSpan(0, count);
                RanksOf(u, start, ranks);
                Values(u, ranks, values[..valid]);
                values[valid..].Fill(values[valid - 1]);
                if (_inputSamples is { } samples)
                {
                    values[..valid].CopyTo(samples[u].AsSpan(start));
                }

                var (mean, squares) = Reductions.MeanAndSquares(values[..valid]);
                (moments[3 * u], moments[3 * u + 1], moments[3 * u + 2]) = (valid, mean, squares);
            }

            _inputMoments[start] = moments;
        }

        /// <summary>An input's sample standard deviation from the chunks' moments, merged in iteration order (Chan et al.).</summary>
        private double StandardDeviation(int u)
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

        private void RanksOf(int u, int start, Span<int> destination)
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
        private void Values(int u, ReadOnlySpan<int> ranks, Span<double> destination)
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

            _samplers[u].Quantiles(destination, destination);
        }

        /// <summary>The strata of input <paramref name="u"/> in iteration order, filled in parallel into an array of the pool.</summary>
        private int[] Strata(int u)
        {
            var strata = ArrayPool<int>.Shared.Rent(iterations);
            FixedChunks.For(FixedChunks.Count(iterations), threads, c => _sampling.Strata(u, c * FixedChunks.Size, strata.AsSpan(FixedChunks.Of(c, iterations))));
            return strata;
        }

        private SensitivityInput SensitivityInputOf(int u, int evaluated)
        {
            var name = plan.ParameterNames[_uncertain[u]];
            if (evaluated == iterations && _samplers[u].StandardForm.Type is not (DistributionType.Discrete or DistributionType.Empirical))
            {
                // A whole run of an input without tied values: each iteration's rank is known (held, or computed
                // chunk by chunk from the strata) and any rank's value can be computed, so nothing is sorted and no
                // column of values or ranks is made.
                return new SensitivityInput(name, ReadOnlyMemory<double>.Empty)
                {
                    Ranks = _ranks[u]?.AsMemory(0, iterations) ?? default,
                    RanksOf = _ranks[u] is null ? (first, destination) => _sampling.Strata(u, first, destination) : null,
                    ValueOfRank = rank => ValueOfRank(u, rank),
                    StandardDeviation = StandardDeviation(u),
                };
            }

            // A run stopped early, or values with ties: the iterations' values, ranked by the analysis.
            var ranks = new int[evaluated];
            var values = new double[evaluated];
            RanksOf(u, 0, ranks);
            Values(u, ranks, values);
            return new SensitivityInput(name, values);
        }

        private double ValueOfRank(int u, int rank)
        {
            Span<double> value = stackalloc double[1];
            Values(u, [rank], value);
            return value[0];
        }

        private double[] Column(string output) => _outputs!.Named.First(o => o.Name == output).Values;

        private List<TornadoBar> Tornado()
        {
            var bounds = _uncertain.Select((j, u) => (Parameter: j, Low: _samplers[u].Quantile(0.1), High: _samplers[u].Quantile(0.9))).ToArray();
            var npv = NpvsWith([.. bounds.SelectMany(b => new[] { (b.Parameter, b.Low), (b.Parameter, b.High) })]);
            return
            [
                .. bounds.Select((b, u) => new TornadoBar(plan.ParameterNames[b.Parameter], b.Low, b.High, npv[2 * u], npv[2 * u + 1]))
                    .OrderByDescending(bar => Math.Abs(bar.NpvAtHigh - bar.NpvAtLow)),
            ];
        }

        private List<SpiderSeries> Spider()
        {
            var points = _uncertain.SelectMany(j => SpiderChanges.Select(change => (Parameter: j, Value: plan.BaseValues[j] * (1 + change)))).ToArray();
            var npv = NpvsWith(points);
            return
            [
                .. _uncertain.Select((j, u) => new SpiderSeries(
                    plan.ParameterNames[j],
                    [.. SpiderChanges.Select((change, k) => new SpiderPoint(change, points[(u * SpiderChanges.Length) + k].Value, npv[(u * SpiderChanges.Length) + k]))])),
            ];
        }

        /// <summary>
        /// The after-tax NPV with one parameter changed at a time, every other at its base value. The run's kernel
        /// evaluates all the changes in one call, each the scalar model's NPV to rounding, at a fraction of its cost.
        /// </summary>
        private double[] NpvsWith((int Parameter, double Value)[] changes)
        {
            var count = (changes.Length + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes;
            var inputs = new double[]?[plan.ParameterNames.Length];
            foreach (var (parameter, _) in changes)
            {
                inputs[parameter] ??= [.. Enumerable.Repeat(plan.BaseValues[parameter], count)];
            }

            for (var i = 0; i < changes.Length; i++)
            {
                inputs[changes[i].Parameter]![i] = changes[i].Value;
            }

            var outputs = new OutputColumns(count);
            _kernel.Evaluate(inputs, 0, count, outputs, _kernel.NewScratch());
            var npv = outputs.NpvAfterTax[..changes.Length];
            outputs.Return();
            return npv;
        }

        private static OutputDistribution Distribution(OutputSummary s) => new()
        {
            PresentFraction = s.PresentFraction,
            Mean = s.Mean,
            StandardDeviation = s.StandardDeviation,
            Min = s.Min,
            Max = s.Max,
            Percentiles = s.Percentiles,
            ProbabilityNegative = s.ProbabilityBelowZero,
            ValueAtRisk5 = s.ValueAtRisk,
            ConditionalValueAtRisk5 = s.ConditionalValueAtRisk,
            Histogram = s.HistogramCounts,
            Cdf = s.Cdf,
        };

        /// <summary>One thread's memory for a chunk: the sampled inputs (null for parameters that are not uncertain), their ranks, the kernel's.</summary>
        private sealed class ChunkScratch
        {
            public ChunkScratch(ScenarioPlan plan, int[] uncertain, ModelKernel kernel)
            {
                Inputs = new double[]?[plan.ParameterNames.Length];
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
}
