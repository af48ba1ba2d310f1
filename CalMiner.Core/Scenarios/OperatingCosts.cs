namespace CalMiner.Scenarios;

/// <summary>Unit operating costs, in scenario currency.</summary>
public sealed record OperatingCosts
{
    /// <summary>Cost per tonne of ore and waste mined, ≥ 0.</summary>
    public Bindable MiningPerTonne { get; init; }

    /// <summary>Cost per tonne of ore processed, ≥ 0.</summary>
    public Bindable ProcessingPerTonne { get; init; }

    /// <summary>General and administrative cost charged in every operating period, ≥ 0.</summary>
    public Bindable GeneralAndAdminPerPeriod { get; init; }

    /// <summary>Carbon price per tonne of CO2e emitted, ≥ 0; default 0.</summary>
    public Bindable CarbonPricePerTonne { get; init; }
}
