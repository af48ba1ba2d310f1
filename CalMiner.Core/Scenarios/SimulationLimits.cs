namespace CalMiner.Scenarios;

/// <summary>Bounds on simulation settings that the document format enforces.</summary>
internal static class SimulationLimits
{
    public const int MaxIterations = 100_000_000;

    /// <summary>Outputs a convergence rule may watch.</summary>
    public static readonly string[] Outputs = ["npvAfterTax", "npvPreTax", "irrAfterTax", "paybackYears", "peakFunding", "cashCostPerUnit", "aiscPerUnit"];

    /// <summary>Statistics a convergence rule may watch.</summary>
    public static readonly string[] Statistics = ["mean", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"];

    public static bool IsConvergenceMetric(string? metric) =>
        metric?.Split('.') is [var output, var statistic]
        && Outputs.Contains(output, StringComparer.Ordinal)
        && Statistics.Contains(statistic, StringComparer.Ordinal);
}
