namespace CalMiner.Scenarios;

/// <summary>Unit operating costs, in scenario currency; each ≥ 0 and 0 when not given.</summary>
/// <param name="MiningPerTonne">Cost per tonne of ore and waste mined.</param>
/// <param name="ProcessingPerTonne">Cost per tonne of ore processed.</param>
/// <param name="GeneralAndAdminPerPeriod">General and administrative cost charged in every operating period.</param>
/// <param name="CarbonPricePerTonne">Carbon price per tonne of CO2e emitted.</param>
public sealed record OperatingCosts(
    Bindable MiningPerTonne = default,
    Bindable ProcessingPerTonne = default,
    Bindable GeneralAndAdminPerPeriod = default,
    Bindable CarbonPricePerTonne = default)
{
    /// <summary>Cost per tonne of ore and waste mined.</summary>
    public Bindable MiningPerTonne { get; init; } = MiningPerTonne.Or(0);

    /// <summary>Cost per tonne of ore processed.</summary>
    public Bindable ProcessingPerTonne { get; init; } = ProcessingPerTonne.Or(0);

    /// <summary>General and administrative cost charged in every operating period.</summary>
    public Bindable GeneralAndAdminPerPeriod { get; init; } = GeneralAndAdminPerPeriod.Or(0);

    /// <summary>Carbon price per tonne of CO2e emitted.</summary>
    public Bindable CarbonPricePerTonne { get; init; } = CarbonPricePerTonne.Or(0);
}
