namespace CalMiner.Scenarios;

/// <summary>A fleet of identical equipment units.</summary>
/// <param name="Name">Name, unique among the equipment.</param>
/// <param name="Count">Number of units in the fleet, ≥ 1.</param>
/// <param name="UnitCost">Purchase cost per unit in scenario currency, ≥ 0.</param>
/// <param name="PurchasePeriod">Period of purchase, 0..periods − 1.</param>
/// <param name="OperatingCostPerHour">Operating cost per unit per operating hour, ≥ 0.</param>
/// <param name="Availability">Mechanical availability, a fraction in 0..1.</param>
/// <param name="Utilisation">Use of available hours, a fraction in 0..1.</param>
/// <param name="LifeHours">Operating hours per unit after which the fleet is replaced, &gt; 0.</param>
/// <param name="DepreciationYears">Straight-line depreciation life in years, 1..100; default 10.</param>
/// <param name="CapacityTonnesPerHour">Nominal production rate per unit in tonnes per hour, &gt; 0 when given; informative.</param>
public sealed record Equipment(
    string Name,
    int Count,
    double UnitCost,
    int PurchasePeriod,
    Bindable OperatingCostPerHour,
    double Availability,
    double Utilisation,
    double LifeHours,
    int DepreciationYears = 10,
    double? CapacityTonnesPerHour = null);
