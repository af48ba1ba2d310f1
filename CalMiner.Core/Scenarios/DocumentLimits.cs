namespace CalMiner.Scenarios;

/// <summary>
/// The largest document the format accepts. Each bound is far above what a mine plan needs, and low
/// enough that a document within them cannot make a simulation or a stored copy unreasonably large.
/// </summary>
internal static class DocumentLimits
{
    /// <summary>Names, units, enum values and parameter keys.</summary>
    public const int MaxTextLength = 200;

    /// <summary>A <c>description</c> field.</summary>
    public const int MaxDescriptionLength = 4_000;

    /// <summary>Parameters, uncertain or not: a simulation keeps a column per uncertain one.</summary>
    public const int MaxParameters = 1_000;

    /// <summary>Correlation entries: a full matrix of about 140 correlated inputs.</summary>
    public const int MaxCorrelations = 10_000;

    /// <summary>The values of one discrete or empirical distribution.</summary>
    public const int MaxDistributionValues = 100_000;

    /// <summary>Products of one scenario.</summary>
    public const int MaxProducts = 50;

    /// <summary>Consumables, equipment fleets, capital items or royalties: each list on its own.</summary>
    public const int MaxItems = 1_000;
}
