namespace CalMiner.Simulation.Correlation;

/// <summary>Settings of <see cref="ImanConover"/>.</summary>
internal sealed record ImanConoverOptions
{
    public static ImanConoverOptions Default { get; } = new();

    /// <summary>
    /// Null (the default): each column's own order serves as the random permutation of its scores.
    /// That is exact for sampler output, whose columns are independent and in random order, costs
    /// no random numbers, and leaves the first column where it is. A seed: every column's scores
    /// are shuffled from this seed instead (one SplitMix64 stream per column), so the result does
    /// not depend on the order the columns arrive in.
    /// </summary>
    public ulong? ShuffleSeed { get; init; }

    /// <summary>Most threads to use; −1 for all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
