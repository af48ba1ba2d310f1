namespace CalMiner.Scenarios;

/// <summary>A royalty paid as a fraction of revenue.</summary>
/// <param name="Name">Name; informative.</param>
/// <param name="Rate">Rate as a fraction of the basis, in 0..1.</param>
/// <param name="Basis">What the rate applies to; default NSR.</param>
public sealed record Royalty(string Name, Bindable Rate, RoyaltyBasis Basis = RoyaltyBasis.Nsr);
