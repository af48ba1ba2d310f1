namespace CalMiner.Economics;

/// <summary>What the amounts of a cash-flow line measure.</summary>
public enum CashFlowUnit
{
    /// <summary>The scenario's currency.</summary>
    Currency,

    /// <summary>Tonnes of ore or waste.</summary>
    Tonnes,

    /// <summary>The product's payable unit (oz, g, kg, t or lb); for <c>primaryPayable</c>, the primary product's.</summary>
    PayableUnits,

    /// <summary>Tonnes of CO2 equivalent.</summary>
    TonnesCo2e,
}

/// <summary>One line of the cash-flow table as a column: its value in each period, then its life-of-mine total.</summary>
/// <param name="Name">The CSV header, camelCase as in the JSON form; a product's lines are <c>Au.payable</c> etc.</param>
/// <param name="Product">The product of a product's line (<c>Au</c>), else <see langword="null"/>.</param>
/// <param name="Line">The line's name without the product, e.g. <c>payable</c> or <c>afterTaxCashFlow</c>.</param>
/// <param name="Unit">What the amounts measure.</param>
/// <param name="Values">One value per period, period 0 first, then the total; unrounded.</param>
public sealed record CashFlowTableColumn(string Name, string? Product, string Line, CashFlowUnit Unit, IReadOnlyList<double> Values)
{
    /// <summary>One value per row.</summary>
    public IReadOnlyList<double> Values { get; init => field = ValueEquality.List(value); } = ValueEquality.List(Values);
}
