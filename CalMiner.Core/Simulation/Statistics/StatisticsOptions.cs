namespace CalMiner.Simulation.Statistics;

/// <summary>What the summary of an output reports beyond the fixed statistics.</summary>
internal sealed record StatisticsOptions
{
    public static StatisticsOptions Default { get; } = new();

    /// <summary>Equal-width histogram bins between the minimum and the maximum, ≥ 1; default 50.</summary>
    public int HistogramBins { get; init; } = 50;

    /// <summary>Points of the CDF, ≥ 2, at probabilities i/(points − 1); default 101 (every percent 0..100).</summary>
    public int CdfPoints { get; init; } = 101;

    /// <summary>Tail probability of VaR and CVaR, in (0, 1); default 0.05.</summary>
    public double TailProbability { get; init; } = 0.05;

    /// <summary>Most threads to use; −1 for all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
