namespace CalMiner.Scenarios;

/// <summary>A fleet of identical equipment units.</summary>
public sealed record Equipment
{
    /// <summary>Name, unique among the equipment.</summary>
    public required string Name { get; init; }

    /// <summary>Number of units in the fleet, ≥ 1.</summary>
    public required int Count { get; init; }

    /// <summary>Purchase cost per unit in scenario currency, ≥ 0.</summary>
    public required double UnitCost { get; init; }

    /// <summary>Period of purchase, 0..<see cref="ScenarioDocument.Periods"/> − 1.</summary>
    public required int PurchasePeriod { get; init; }

    /// <summary>Operating cost per unit per operating hour, ≥ 0.</summary>
    public required Bindable OperatingCostPerHour { get; init; }

    /// <summary>Mechanical availability, a fraction in 0..1.</summary>
    public required double Availability { get; init; }

    /// <summary>Use of available hours, a fraction in 0..1.</summary>
    public required double Utilisation { get; init; }

    /// <summary>Operating hours per unit after which the fleet is replaced, &gt; 0.</summary>
    public required double LifeHours { get; init; }

    /// <summary>Straight-line depreciation life in years, ≥ 1; default 10.</summary>
    public int DepreciationYears { get; init; } = 10;

    /// <summary>Nominal production rate per unit in tonnes per hour, &gt; 0 when given; informative.</summary>
    public double? CapacityTonnesPerHour { get; init; }
}
