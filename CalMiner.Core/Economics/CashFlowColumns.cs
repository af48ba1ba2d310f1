namespace CalMiner.Economics;

/// <summary>One numeric column of a flat cash-flow table, named as in the JSON form of a line.</summary>
/// <param name="Name">camelCase name; a product's lines are <c>Au.payable</c> etc.</param>
/// <param name="Value">The column's value in a line.</param>
internal sealed record CashFlowColumn(string Name, Func<CashFlowLine, double> Value);

/// <summary>The lines of <see cref="CashFlowLine"/> flattened into columns, in the order of the JSON form.</summary>
internal static class CashFlowColumns
{
    /// <summary>Every numeric line of <paramref name="result"/>, its products' lines in place of <c>products</c>.</summary>
    public static IReadOnlyList<CashFlowColumn> Of(EvaluationResult result)
    {
        List<CashFlowColumn> columns =
        [
            new("oreMined", l => l.OreMined),
            new("wasteMined", l => l.WasteMined),
            new("oreProcessed", l => l.OreProcessed),
        ];
        for (var i = 0; i < result.Totals.Products.Count; i++)
        {
            var index = i;
            var name = result.Totals.Products[i].Name;
            columns.AddRange(
            [
                new($"{name}.contained", l => l.Products[index].Contained),
                new($"{name}.recovered", l => l.Products[index].Recovered),
                new($"{name}.payable", l => l.Products[index].Payable),
                new($"{name}.grossRevenue", l => l.Products[index].GrossRevenue),
                new($"{name}.sellingCosts", l => l.Products[index].SellingCosts),
                new($"{name}.nsr", l => l.Products[index].Nsr),
            ]);
        }

        columns.AddRange(
        [
            new("primaryPayable", l => l.PrimaryPayable),
            new("grossRevenue", l => l.GrossRevenue),
            new("sellingCosts", l => l.SellingCosts),
            new("nsr", l => l.Nsr),
            new("royalties", l => l.Royalties),
            new("miningCost", l => l.MiningCost),
            new("processingCost", l => l.ProcessingCost),
            new("generalAndAdmin", l => l.GeneralAndAdmin),
            new("consumablesCost", l => l.ConsumablesCost),
            new("carbonCost", l => l.CarbonCost),
            new("equipmentOperatingCost", l => l.EquipmentOperatingCost),
            new("operatingCost", l => l.OperatingCost),
            new("ebitda", l => l.Ebitda),
            new("initialCapital", l => l.InitialCapital),
            new("sustainingCapital", l => l.SustainingCapital),
            new("closureCapital", l => l.ClosureCapital),
            new("equipmentCapital", l => l.EquipmentCapital),
            new("capital", l => l.Capital),
            new("depreciation", l => l.Depreciation),
            new("taxableIncome", l => l.TaxableIncome),
            new("lossesUsed", l => l.LossesUsed),
            new("tax", l => l.Tax),
            new("workingCapital", l => l.WorkingCapital),
            new("workingCapitalChange", l => l.WorkingCapitalChange),
            new("preTaxCashFlow", l => l.PreTaxCashFlow),
            new("afterTaxCashFlow", l => l.AfterTaxCashFlow),
            new("discountedAfterTaxCashFlow", l => l.DiscountedAfterTaxCashFlow),
            new("co2eTonnes", l => l.Co2eTonnes),
        ]);
        return columns;
    }
}
