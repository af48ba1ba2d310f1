namespace CalMiner.Scenarios;

/// <summary>A consumable (diesel, power, reagents) whose quantity follows a driver.</summary>
public sealed record Consumable
{
    /// <summary>Name, unique among the consumables.</summary>
    public required string Name { get; init; }

    /// <summary>The unit the quantity is counted in, e.g. "L" or "kWh"; informative.</summary>
    public string Unit { get; init; } = "";

    /// <summary>What the quantity is proportional to.</summary>
    public required ConsumableDriver Driver { get; init; }

    /// <summary>Units consumed per unit of the driver, ≥ 0.</summary>
    public required Bindable RatePerDriver { get; init; }

    /// <summary>Price in scenario currency per unit, ≥ 0.</summary>
    public required Bindable UnitPrice { get; init; }

    /// <summary>Emissions in kg CO2e per unit consumed, ≥ 0; default 0.</summary>
    public double Co2eKgPerUnit { get; init; }
}
