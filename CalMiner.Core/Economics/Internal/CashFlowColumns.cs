namespace CalMiner.Economics.Internal;

/// <summary>One numeric column of a flat cash-flow table, named as in the JSON form of a line.</summary>
/// <param name="Name">camelCase name; a product's lines are <c>Au.payable</c> etc.</param>
/// <param name="Product">The product of a product's line, else <see langword="null"/>.</param>
/// <param name="Line">The line's name without the product, e.g. <c>payable</c>.</param>
/// <param name="Unit">What the column's amounts measure.</param>
/// <param name="Value">The column's value in a line.</param>
internal sealed record CashFlowColumn(string Name, string? Product, string Line, CashFlowUnit Unit, Func<CashFlowLine, double> Value)
{
    public CashFlowColumn(string name, CashFlowUnit unit, Func<CashFlowLine, double> value)
        : this(name, null, name, unit, value)
    {
    }
}

/// <summary>The lines of <see cref="CashFlowLine"/> flattened into columns, in the order of the JSON form.</summary>
internal static class CashFlowColumns
{
    /// <summary>Every numeric line of <paramref name="result"/>, its products' lines in place of <c>products</c>.</summary>
    public static IReadOnlyList<CashFlowColumn> Of(EvaluationResult result)
    {
        const CashFlowUnit money = CashFlowUnit.Currency, tonnes = CashFlowUnit.Tonnes;
        List<CashFlowColumn> columns =
        [
            new("oreMined", tonnes, l => l.OreMined),
            new("wasteMined", tonnes, l => l.WasteMined),
            new("oreProcessed", tonnes, l => l.OreProcessed),
        ];
        for (var i = 0; i < result.Totals.Products.Count; i++)
        {
            var index = i;
            var name = result.Totals.Products[i].Name;
            CashFlowColumn Of(string line, CashFlowUnit unit, Func<ProductLine, double> value) =>
                new($"{name}.{line}", name, line, unit, l => value(l.Products[index]));
            columns.AddRange(
            [
                Of("contained", CashFlowUnit.PayableUnits, p => p.Contained),
                Of("recovered", CashFlowUnit.PayableUnits, p => p.Recovered),
                Of("payable", CashFlowUnit.PayableUnits, p => p.Payable),
                Of("grossRevenue", money, p => p.GrossRevenue),
                Of("sellingCosts", money, p => p.SellingCosts),
                Of("nsr", money, p => p.Nsr),
            ]);
        }

        columns.AddRange(
        [
            new("primaryPayable", CashFlowUnit.PayableUnits, l => l.PrimaryPayable),
            new("grossRevenue", money, l => l.GrossRevenue),
            new("sellingCosts", money, l => l.SellingCosts),
            new("nsr", money, l => l.Nsr),
            new("royalties", money, l => l.Royalties),
            new("miningCost", money, l => l.MiningCost),
            new("processingCost", money, l => l.ProcessingCost),
            new("generalAndAdmin", money, l => l.GeneralAndAdmin),
            new("consumablesCost", money, l => l.ConsumablesCost),
            new("carbonCost", money, l => l.CarbonCost),
            new("equipmentOperatingCost", money, l => l.EquipmentOperatingCost),
            new("operatingCost", money, l => l.OperatingCost),
            new("ebitda", money, l => l.Ebitda),
            new("initialCapital", money, l => l.InitialCapital),
            new("sustainingCapital", money, l => l.SustainingCapital),
            new("closureCapital", money, l => l.ClosureCapital),
            new("equipmentCapital", money, l => l.EquipmentCapital),
            new("capital", money, l => l.Capital),
            new("depreciation", money, l => l.Depreciation),
            new("taxableIncome", money, l => l.TaxableIncome),
            new("lossesUsed", money, l => l.LossesUsed),
            new("tax", money, l => l.Tax),
            new("workingCapital", money, l => l.WorkingCapital),
            new("workingCapitalChange", money, l => l.WorkingCapitalChange),
            new("preTaxCashFlow", money, l => l.PreTaxCashFlow),
            new("afterTaxCashFlow", money, l => l.AfterTaxCashFlow),
            new("discountedAfterTaxCashFlow", money, l => l.DiscountedAfterTaxCashFlow),
            new("co2eTonnes", CashFlowUnit.TonnesCo2e, l => l.Co2eTonnes),
        ]);
        return columns;
    }
}
