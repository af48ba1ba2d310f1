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
    /// <exception cref="InvalidScenarioException">The scenario breaks the rules of the format.</exception>
    /// <exception cref="ArgumentException">The options are out of range, or the correlation matrix is not valid and may not be repaired.</exception>
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
            ThrowHelper.ThrowArgumentOutOfRange(nameof(options.Iterations), $"must be within 1..{SimulationLimits.MaxIterations}");
        }

        var run = new Runner(plan, iterations, options.Seed ?? settings.Seed, options.Sampling ?? settings.Sampling, options.MaxDegreeOfParallelism, progress, cancellationToken);
        run.Sample();
        var repaired = run.Correlate(options.RepairCorrelations);
        var evaluated = run.Evaluate(rule);
        return run.Summarise(evaluated, iterations, repaired, options.KeepSamples);
    }

    private sealed class Runner(
        ScenarioPlan plan, int iterations, long seed, SamplingMethod sampling, int threads,
        IProgress<SimulationProgress>? progress, CancellationToken cancellation)
    {
        private readonly ParallelOptions _parallel = new() { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
        private readonly int _padded = (iterations + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes;

        // The uncertain parameters, in the scenario's order, with their samplers and sampled columns.
        private readonly int[] _uncertain = [.. Enumerable.Range(0, plan.ParameterNames.Length)
            .Where(j => plan.Document.Parameters[plan.ParameterNames[j]].Distribution is { Type: not DistributionType.Constant })];

        private readonly double[]?[] _columns = new double[plan.ParameterNames.Length][];
        private ParameterSampler[] _samplers = [];
        private SamplingPlan? _sampling;
        private OutputColumns? _outputs;

        // Uncertain parameters reordered by the rank correlation; the others keep their Latin Hypercube strata as ranks.
        private int[] _correlated = [];

        private string[] UncertainNames => [.. _uncertain.Select(j => plan.ParameterNames[j])];

        public void Sample()
        {
            progress?.Report(new SimulationProgress("sampling", 0, iterations));
            _samplers = [.. _uncertain.Select(j => ParameterSampler.Create(plan.Document.Parameters[plan.ParameterNames[j]].Distribution!))];
            _sampling = new SamplingPlan(seed, sampling, iterations, UncertainNames);
            if (_sampling.HasStrata)
            {
                // Each parameter's strata are one shuffle over all iterations; shuffle them side by side.
                Parallel.For(0, _uncertain.Length, _parallel, u => _sampling.Ranks(u));
            }

            for (var u = 0; u < _uncertain.Length; u++)
            {
                var column = new double[_padded];
                var sampler = _samplers[u];
                var index = u;
                Parallel.For(0, _sampling.BlockCount, _parallel, block =>
                {
                    var (start, count) = _sampling.Block(block);
                    var values = column.AsSpan(start, count);
                    _sampling.Uniforms(index, start, values);
                    sampler.Quantiles(values, values);
                });

                // The lanes past the last iteration are computed and dropped; give them a valid input.
                column.AsSpan(iterations).Fill(column[iterations - 1]);
                _columns[_uncertain[u]] = column;
            }
        }

        public bool Correlate(bool repair)
        {
            var pairs = plan.Document.Correlations;
            if (pairs.Count == 0 || iterations < 3)
            {
                return false;
            }

            cancellation.ThrowIfCancellationRequested();
            progress?.Report(new SimulationProgress("correlating", 0, iterations));

            // Only the correlated parameters are reordered, so the others keep their independent samples.
            var names = UncertainNames;
            var correlated = _correlated = [.. Enumerable.Range(0, names.Length).Where(u => pairs.Any(p => p.A == names[u] || p.B == names[u]))];
            var prepared = CorrelationMatrixValidation.Prepare(CorrelationMatrix.FromPairs([.. correlated.Select(u => names[u])], pairs), repair);
            var columns = correlated.Select(u => (Memory<double>)_columns[_uncertain[u]].AsMemory(0, iterations)).ToArray();
            IReadOnlyList<ReadOnlyMemory<int>>? ranks = sampling == SamplingMethod.LatinHypercube
                ? [.. correlated.Select(u => (ReadOnlyMemory<int>)_sampling!.Ranks(u).ToArray())]
                : null;
            ImanConover.Apply(columns, prepared.Matrix, new ImanConoverWorkspace(), new ImanConoverOptions { MaxDegreeOfParallelism = threads }, ranks);
            foreach (var u in correlated)
            {
                var column = _columns[_uncertain[u]]!;
                column.AsSpan(iterations).Fill(column[iterations - 1]);
            }

            return prepared.Repaired;
        }

        /// <summary>Evaluates every iteration, or until the convergence rule is met at a checkpoint; returns the iterations evaluated.</summary>
        public int Evaluate(ConvergenceRule? rule)
        {
            _outputs = new OutputColumns(_padded);
            var kernel = new ModelKernel(plan, _columns);
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
                    Parallel.For(0, chunks, _parallel, () => new double[plan.Periods * Chunk], (c, _, scratch) =>
                    {
                        var start = from + c * Chunk;
                        var count = Math.Min(Chunk, to - start);
                        kernel.Evaluate(start, count, _outputs, scratch);
                        progress?.Report(new SimulationProgress("evaluating", Math.Min(Interlocked.Add(ref completed, count), iterations), iterations));
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

        public SimulationResult Summarise(int evaluated, int asked, bool repaired, bool keepSamples)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report(new SimulationProgress("summarising", evaluated, asked));
            var outputs = _outputs!;
            var statistics = new StatisticsOptions { MaxDegreeOfParallelism = threads };
            var distributions = outputs.Named.ToDictionary(
                o => o.Name,
                o =>
                {
                    cancellation.ThrowIfCancellationRequested();
                    return Distribution(OutputStatistics.Compute(o.Values.AsMemory(0, evaluated), statistics));
                });
            cancellation.ThrowIfCancellationRequested();

            var npv = outputs.NpvAfterTax.AsMemory(0, evaluated);
            var influences = Sensitivity.Analyse(
                    npv,
                    [.. _uncertain.Select((j, u) => new SensitivityInput(plan.ParameterNames[j], _columns[j].AsMemory(0, evaluated))
                    {
                        Ranks = evaluated == iterations && sampling == SamplingMethod.LatinHypercube && !_correlated.Contains(u)
                            ? _sampling!.Ranks(u).ToArray()
                            : default,
                    })],
                    new SensitivityOptions { MaxDegreeOfParallelism = threads })
                // The kernel gives the contribution as a percentage; the public result keeps fractions as fractions.
                .Select(s => new InputInfluence(s.Name, s.RankCorrelation, s.ContributionToVariance / 100, s.TailShift))
                .OrderByDescending(s => Math.Abs(s.RankCorrelation))
                .ToList();

            var checkpoints = Statistics.Convergence.Checkpoints(evaluated);
            var points = new ConvergencePoint[checkpoints.Length];
            Statistics.Convergence.RunningMean(npv, checkpoints, points, 0.95, threads);

            return new SimulationResult
            {
                Iterations = evaluated,
                Seed = seed,
                Sampling = sampling,
                StoppedEarly = evaluated < asked,
                CorrelationsRepaired = repaired,
                Outputs = distributions,
                Sensitivity = influences,
                Tornado = Tornado(),
                Spider = Spider(),
                Convergence = [.. points.Select(p => new ConvergenceCheckpoint(p.Iterations, p.Mean, p.Lower, p.Upper))],
                Samples = keepSamples
                    ? new SimulationSamples(
                        _uncertain.ToDictionary(j => plan.ParameterNames[j], j => _columns[j]![..evaluated]),
                        outputs.Named.ToDictionary(o => o.Name, o => o.Values[..evaluated]))
                    : null,
            };
        }

        private double[] Column(string output) => _outputs!.Named.First(o => o.Name == output).Values;

        private double NpvWith(int parameter, double value) =>
            CashFlowCalculator.Evaluate(plan, With(parameter, value)).Metrics.NpvAfterTax;

        private double[] With(int parameter, double value)
        {
            var values = (double[])plan.BaseValues.Clone();
            values[parameter] = value;
            return values;
        }

        private List<TornadoBar> Tornado() =>
        [
            .. _uncertain.Select((j, u) =>
                {
                    double low = _samplers[u].Quantile(0.1), high = _samplers[u].Quantile(0.9);
                    return new TornadoBar(plan.ParameterNames[j], low, high, NpvWith(j, low), NpvWith(j, high));
                })
                .OrderByDescending(bar => Math.Abs(bar.NpvAtHigh - bar.NpvAtLow)),
        ];

        private List<SpiderSeries> Spider() =>
        [
            .. _uncertain.Select(j => new SpiderSeries(
                plan.ParameterNames[j],
                [.. SpiderChanges.Select(change =>
                {
                    var value = plan.BaseValues[j] * (1 + change);
                    return new SpiderPoint(change, value, NpvWith(j, value));
                })])),
        ];

        private static OutputDistribution Distribution(OutputSummary s) => new()
        {
            PresentFraction = s.PresentFraction,
            Mean = s.Mean,
            Sd = s.StandardDeviation,
            Min = s.Min,
            Max = s.Max,
            Percentiles = new Dictionary<string, double>
            {
                ["p1"] = s.P1, ["p5"] = s.P5, ["p10"] = s.P10, ["p25"] = s.P25, ["p50"] = s.P50,
                ["p75"] = s.P75, ["p90"] = s.P90, ["p95"] = s.P95, ["p99"] = s.P99,
            },
            ProbabilityNegative = s.ProbabilityBelowZero,
            Var5 = s.ValueAtRisk,
            Cvar5 = s.ConditionalValueAtRisk,
            Histogram = s.HistogramCounts,
            Cdf = s.Cdf,
        };
    }
}
