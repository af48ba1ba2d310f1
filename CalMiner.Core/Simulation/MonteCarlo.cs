using CalMiner.Economics;
using CalMiner.Model;
using CalMiner.Scenarios;
using CalMiner.Simulation.Stages;
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

        var run = new RunContext(plan, iterations, options.Seed ?? settings.Seed, options.Sampling ?? settings.Sampling, Threads(options), progress, cancellationToken);

        // Each stage takes the one before it and owns its pooled memory until the result is made.
        using var inputs = SampledInputs.Draw(run, options.RepairCorrelations);
        using var evaluation = EvaluatedRun.Evaluate(run, inputs, rule, options.KeepSamples);
        return Summarise(run, evaluation, iterations);
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

    /// <summary>The last stage: every output's distribution, the sensitivity, the tornado, the spider and the convergence of the mean NPV.</summary>
    private static SimulationResult Summarise(RunContext run, EvaluatedRun evaluation, int asked)
    {
        run.Cancellation.ThrowIfCancellationRequested();
        var (inputs, outputs, evaluated) = (evaluation.Inputs, evaluation.Outputs, evaluation.Evaluated);

        // One column a thread: a column's passes are too short to share between threads well, and a summary
        // is the same on any number of threads.
        var named = outputs.Named.ToArray();
        var (steps, stepsDone) = (named.Length + 1, 0);
        run.Report(SimulationStage.Summarising, 0, steps);
        var summaries = new OutputSummary[named.Length];
        var oneThread = new StatisticsOptions { MaxDegreeOfParallelism = 1 };
        Parallel.For(0, named.Length, run.Parallel, c =>
        {
            summaries[c] = OutputStatistics.Compute(named[c].Values.AsMemory(0, evaluated), oneThread);
            run.Report(SimulationStage.Summarising, Interlocked.Increment(ref stepsDone), steps);
        });
        var distributions = Enumerable.Range(0, named.Length).ToDictionary(c => named[c].Name, c => Distribution(summaries[c]));
        run.Cancellation.ThrowIfCancellationRequested();

        // The input columns are the run's own, of exactly the run's length unless it stopped early: handed over, not copied.
        // The output columns come from the pool and go back to it, so they are copied.
        var samples = evaluation.InputSamples is { } kept
            ? new SimulationSamples(
                inputs.Uncertain.Select((j, u) => (j, u)).ToDictionary(p => run.Plan.ParameterNames[p.j], p => kept[p.u].Length == evaluated ? kept[p.u] : kept[p.u][..evaluated]),
                outputs.Named.ToDictionary(o => o.Name, o => o.Values[..evaluated]))
            : null;

        // Only the after-tax NPV is needed from here on: the other columns go back to the pool, where the analysis takes its work memory.
        var npv = outputs.NpvAfterTax.AsMemory(0, evaluated);
        outputs.Return(keep: outputs.NpvAfterTax);
        var influences = Sensitivity.Analyse(
                npv, inputs.Uncertain.Length, u => inputs.SensitivityInputOf(u, evaluated, evaluation.StandardDeviation(u)), new SensitivityOptions { MaxDegreeOfParallelism = run.Threads })
            // The kernel gives the contribution as a percentage; the public result keeps fractions as fractions.
            .Select(s => new InputInfluence(s.Name, s.RankCorrelation, s.ContributionToVariance / 100, s.TailShift))
            .OrderByDescending(s => Math.Abs(s.RankCorrelation))
            .ToList();
        run.Report(SimulationStage.Summarising, steps, steps);

        var checkpoints = Statistics.Convergence.Checkpoints(evaluated);
        var points = new ConvergencePoint[checkpoints.Length];
        Statistics.Convergence.RunningMean(npv, checkpoints, points, 0.95, run.Threads);
        var correlation = inputs.Correlation;
        return new SimulationResult
        {
            Iterations = evaluated,
            Seed = run.Seed,
            Sampling = run.Sampling,
            StoppedEarly = evaluated < asked,
            CorrelationsRepaired = correlation?.Repaired ?? false,
            CorrelationsMaxChange = correlation?.MaxChange ?? 0,
            Outputs = distributions,
            Sensitivity = influences,
            Tornado = OneAtATime.Tornado(run.Kernel, inputs.Uncertain, inputs.Samplers),
            Spider = OneAtATime.Spider(run.Kernel, inputs.Uncertain),
            Convergence = [.. points.Select(p => new ConvergenceCheckpoint(p.Iterations, p.Mean, p.Lower, p.Upper))],
            Samples = samples,
        };
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
}
