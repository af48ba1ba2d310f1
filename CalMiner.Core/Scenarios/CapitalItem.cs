namespace CalMiner.Scenarios;

/// <summary>A capital expenditure.</summary>
/// <param name="Name">Name; informative.</param>
/// <param name="Category">The category, which decides the factor applied and the tax treatment.</param>
/// <param name="Period">Period of spend, 0..periods − 1.</param>
/// <param name="Amount">Amount before contingency in scenario currency, ≥ 0.</param>
/// <param name="Contingency">Contingency as a fraction of the amount, ≥ 0; default 0.</param>
/// <param name="DepreciationYears">Straight-line depreciation life in years, 1..100; default 10. Closure is not depreciated.</param>
public sealed record CapitalItem(
    string Name,
    CapitalCategory Category,
    int Period,
    Bindable Amount,
    double Contingency = 0,
    int DepreciationYears = 10);
