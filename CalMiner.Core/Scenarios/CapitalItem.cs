namespace CalMiner.Scenarios;

/// <summary>A capital expenditure.</summary>
public sealed record CapitalItem
{
    /// <summary>Name; informative.</summary>
    public required string Name { get; init; }

    /// <summary>The category, which decides the factor applied and the tax treatment.</summary>
    public required CapitalCategory Category { get; init; }

    /// <summary>Period of spend, 0..<see cref="ScenarioDocument.Periods"/> − 1.</summary>
    public required int Period { get; init; }

    /// <summary>Amount before contingency in scenario currency, ≥ 0.</summary>
    public required Bindable Amount { get; init; }

    /// <summary>Contingency as a fraction of the amount, ≥ 0; default 0.</summary>
    public double Contingency { get; init; }

    /// <summary>Straight-line depreciation life in years, ≥ 1; default 10. Closure is not depreciated.</summary>
    public int DepreciationYears { get; init; } = 10;
}
