namespace CalMiner.Scenarios;

/// <summary>A royalty paid as a fraction of revenue.</summary>
public sealed record Royalty
{
    /// <summary>Name; informative.</summary>
    public required string Name { get; init; }

    /// <summary>Rate as a fraction of the basis, in 0..1.</summary>
    public required Bindable Rate { get; init; }

    /// <summary>What the rate applies to; default NSR.</summary>
    public RoyaltyBasis Basis { get; init; } = RoyaltyBasis.Nsr;
}
