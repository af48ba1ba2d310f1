namespace CalMiner.Scenarios;

/// <summary>Defaults for a simulation run of the scenario.</summary>
/// <param name="Iterations">Number of iterations, 1..100 000 000; default 10 000.</param>
/// <param name="Seed">Seed of the random streams; the same seed gives the same results; default 1.</param>
/// <param name="Sampling">How inputs are sampled; default Latin Hypercube.</param>
/// <param name="Convergence">An optional rule that stops the run once a statistic is precise enough.</param>
public sealed record SimulationSettings(
    int Iterations = 10_000,
    long Seed = 1,
    SamplingMethod Sampling = SamplingMethod.LatinHypercube,
    ConvergenceRule? Convergence = null);

/// <summary>Stops a simulation early once a statistic's confidence interval is narrow enough.</summary>
/// <param name="Metric">Output and statistic, e.g. "npvAfterTax.mean" or "npvAfterTax.p10".</param>
/// <param name="RelativeTolerance">Half-width of the confidence interval relative to the statistic, &gt; 0, e.g. 0.01.</param>
/// <param name="Confidence">Confidence level of the interval, in (0, 1); default 0.95.</param>
/// <param name="MaxIterations">Most iterations to run when the rule is not met earlier; default the run's iterations.</param>
public sealed record ConvergenceRule(string Metric, double RelativeTolerance, double Confidence = 0.95, int? MaxIterations = null);
