namespace CalMiner.Scenarios;

/// <summary>A consumable (diesel, power, reagents) whose quantity follows a driver.</summary>
/// <param name="Name">Name, unique among the consumables.</param>
/// <param name="Driver">What the quantity is proportional to.</param>
/// <param name="RatePerDriver">Units consumed per unit of the driver, ≥ 0.</param>
/// <param name="UnitPrice">Price in scenario currency per unit, ≥ 0.</param>
/// <param name="Unit">The unit the quantity is counted in, e.g. "L" or "kWh"; informative.</param>
/// <param name="Co2eKgPerUnit">Emissions in kg CO2e per unit consumed, ≥ 0; default 0.</param>
public sealed record Consumable(
    string Name,
    ConsumableDriver Driver,
    Bindable RatePerDriver,
    Bindable UnitPrice,
    string? Unit = null,
    double Co2eKgPerUnit = 0);
