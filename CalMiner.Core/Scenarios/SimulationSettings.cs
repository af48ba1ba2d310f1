namespace CalMiner.Scenarios;

/// <summary>Defaults for a simulation run of the scenario.</summary>
public sealed record SimulationSettings
{
    /// <summary>Number of iterations, 1..100 000 000; default 10 000.</summary>
    public int Iterations { get; init; } = 10_000;

    /// <summary>Seed of the random streams; the same seed gives the same results.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>How inputs are sampled; default Latin Hypercube.</summary>
    public SamplingMethod Sampling { get; init; } = SamplingMethod.LatinHypercube;

    /// <summary>An optional rule that stops the run once a statistic is precise enough.</summary>
    public ConvergenceRule? Convergence { get; init; }
}

/// <summary>Stops a simulation early once a statistic's confidence interval is narrow enough.</summary>
public sealed record ConvergenceRule
{
    /// <summary>Output and statistic, e.g. "npvAfterTax.mean" or "npvAfterTax.p10".</summary>
    public required string Metric { get; init; }

    /// <summary>Half-width of the confidence interval relative to the statistic, &gt; 0, e.g. 0.01.</summary>
    public required double RelativeTolerance { get; init; }

    /// <summary>Confidence level of the interval, in (0, 1); default 0.95.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Most iterations to run, ≥ the run's iterations; default the run's iterations.</summary>
    public int? MaxIterations { get; init; }
}
