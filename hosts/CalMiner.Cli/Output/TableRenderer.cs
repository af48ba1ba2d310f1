using System.Globalization;
using System.Text;
using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Cli.Output;

/// <summary>
/// Writes an evaluation as text for a terminal of <see cref="Width"/> columns: the lines of the
/// cash-flow model as rows and the periods as columns, in as many blocks of periods as the width
/// needs, followed by the value metrics. Amounts share one scale (e.g. USD M), stated in the title;
/// tonnages, product quantities and emissions carry their unit in their label.
/// </summary>
internal static class TableRenderer
{
    /// <summary>No line of the table is longer than this.</summary>
    public const int Width = 120;

    private const int MaxLabelWidth = 34;
    private const string NotAvailable = "n/a";

    public static string Render(ScenarioDocument scenario, EvaluationResult result)
    {
        var lines = result.Periods.Append(result.Totals).ToArray();
        var money = Scale.ForAmounts(result.Currency, Scale.Largest(AmountsOf(lines).Append(result.Metrics.PeakFunding)));
        var rows = Rows(scenario, result, lines, money);

        var text = new StringBuilder();
        AppendTitle(text, scenario, result, money);
        AppendCashFlows(text, result, rows);
        AppendMetrics(text, scenario, result.Metrics, money);
        return text.ToString();
    }

    private static void AppendTitle(StringBuilder text, ScenarioDocument scenario, EvaluationResult result, Scale money)
    {
        var timing = scenario.Discounting == Discounting.MidPeriod ? "mid-period" : "end of period";
        var first = result.Periods[0].Year;
        var last = result.Periods[^1].Year;
        text.AppendLine(Fit(scenario.Name, Width));
        text.AppendLine(Fit(
            $"Amounts in {money.Unit}; {result.Periods.Count} periods {first}-{last}; discount rate {Rate(scenario.DiscountRate)}, {timing}",
            Width));
    }

    private static void AppendCashFlows(StringBuilder text, EvaluationResult result, IReadOnlyList<Row> rows)
    {
        var headers = result.Periods.Select(p => (Top: Integer(p.Year), Bottom: Integer(p.Period)))
            .Append((Top: "Total", Bottom: "LOM"))
            .ToArray();
        var cells = rows.Select(row => row.Cells).ToArray();

        var labelWidth = Math.Min(MaxLabelWidth, rows.Max(row => row.Label.Length));
        var columnWidth = 2 + cells.SelectMany(c => c ?? []).Concat(headers.SelectMany(h => new[] { h.Top, h.Bottom })).Max(c => c.Length);
        var perBlock = Math.Max(1, (Width - labelWidth) / columnWidth);
        var blocks = (headers.Length + perBlock - 1) / perBlock;
        var blockSize = (headers.Length + blocks - 1) / blocks;

        for (var start = 0; start < headers.Length; start += blockSize)
        {
            var end = Math.Min(headers.Length, start + blockSize);
            var ruleWidth = labelWidth + (end - start) * columnWidth;
            text.AppendLine();
            AppendRow(text, "Year", labelWidth, columnWidth, headers[start..end].Select(h => h.Top));
            AppendRow(text, "Period", labelWidth, columnWidth, headers[start..end].Select(h => h.Bottom));
            text.Append('-', ruleWidth).AppendLine();
            for (var r = 0; r < rows.Count; r++)
            {
                if (cells[r] is { } values)
                {
                    AppendRow(text, rows[r].Label, labelWidth, columnWidth, values[start..end]);
                }
                else
                {
                    text.AppendLine(Fit(rows[r].Label, ruleWidth));
                }
            }
        }
    }

    private static void AppendRow(StringBuilder text, string label, int labelWidth, int columnWidth, IEnumerable<string> cells)
    {
        text.Append(Fit(label, labelWidth).PadRight(labelWidth));
        foreach (var cell in cells)
        {
            text.Append(cell.PadLeft(columnWidth));
        }

        text.AppendLine();
    }

    private static void AppendMetrics(StringBuilder text, ScenarioDocument scenario, EconomicMetrics metrics, Scale money)
    {
        var currency = money.Unit.Split(' ')[0];
        var perUnit = $"{currency}/{Scale.Symbol(scenario.PrimaryProduct.PayableUnit)}";
        var co2e = Scale.ForTonnes(metrics.Co2eTonnes);
        var rate = Rate(scenario.DiscountRate);

        text.AppendLine().AppendLine("Metrics").Append('-', Width / 2).AppendLine();
        Metric(text, $"NPV after tax at {rate}", money.Format(metrics.NpvAfterTax), money.Unit);
        Metric(text, $"NPV pre-tax at {rate}", money.Format(metrics.NpvPreTax), money.Unit);
        Metric(text, "IRR after tax", Percent(metrics.IrrAfterTax), "%");
        Metric(text, "IRR pre-tax", Percent(metrics.IrrPreTax), "%");
        Metric(text, "Payback", Fixed(metrics.PaybackYears), "years");
        Metric(text, "Discounted payback", Fixed(metrics.DiscountedPaybackYears), "years");
        Metric(text, "Peak funding", money.Format(metrics.PeakFunding), money.Unit);
        Metric(text, $"C1 cash cost ({scenario.PrimaryProduct.Name})", Fixed(metrics.CashCostPerUnit), perUnit);
        Metric(text, $"AISC ({scenario.PrimaryProduct.Name})", Fixed(metrics.AiscPerUnit), perUnit);
        Metric(text, $"Breakeven price ({scenario.PrimaryProduct.Name})", Fixed(metrics.BreakevenPrice), perUnit);
        Metric(text, "CO2e", co2e.Format(metrics.Co2eTonnes), $"{co2e.Unit} CO2e");
        Metric(text, "CO2e intensity", Fixed(metrics.Co2eKgPerUnit), $"kg CO2e/{Scale.Symbol(scenario.PrimaryProduct.PayableUnit)}");

        if (metrics.NpvProfile.Count > 0)
        {
            const int labelWidth = 24;
            var profile = metrics.NpvProfile;
            var cells = profile.Select(p => money.Format(p.NpvAfterTax))
                .Concat(profile.Select(p => money.Format(p.NpvPreTax)))
                .Concat(profile.Select(p => Rate(p.Rate)));
            var columnWidth = Math.Min(12, 2 + cells.Max(c => c.Length));
            text.AppendLine().AppendLine(Fit($"NPV profile ({money.Unit})", Width));
            AppendProfileBlocks(text, profile, labelWidth, columnWidth, money);
        }
    }

    private static void AppendProfileBlocks(StringBuilder text, IReadOnlyList<NpvAtRate> profile, int labelWidth, int columnWidth, Scale money)
    {
        var perBlock = Math.Max(1, (Width - labelWidth) / columnWidth);
        for (var start = 0; start < profile.Count; start += perBlock)
        {
            var block = profile.Skip(start).Take(perBlock).ToArray();
            AppendRow(text, "  discount rate", labelWidth, columnWidth, block.Select(p => Rate(p.Rate)));
            AppendRow(text, "  after tax", labelWidth, columnWidth, block.Select(p => money.Format(p.NpvAfterTax)));
            AppendRow(text, "  pre-tax", labelWidth, columnWidth, block.Select(p => money.Format(p.NpvPreTax)));
        }
    }

    private static void Metric(StringBuilder text, string label, string value, string unit)
    {
        var line = $"{Fit(label, MaxLabelWidth),-MaxLabelWidth}{value,14}";
        text.AppendLine(value == NotAvailable || unit.Length == 0 ? line : Fit($"{line}  {unit}", Width));
    }

    private static List<Row> Rows(ScenarioDocument scenario, EvaluationResult result, CashFlowLine[] lines, Scale money)
    {
        var tonnes = Scale.ForTonnes(Scale.Largest(lines.SelectMany(l => new[] { l.OreMined, l.WasteMined, l.OreProcessed })));
        var co2e = Scale.ForTonnes(Scale.Largest(lines.Select(l => l.Co2eTonnes)));
        var products = result.Totals.Products;

        List<Row> rows =
        [
            Row.Section("Production"),
            Row.Of($"  Ore mined ({tonnes.Unit})", lines, l => l.OreMined, tonnes),
            Row.Of($"  Waste mined ({tonnes.Unit})", lines, l => l.WasteMined, tonnes),
            Row.Of($"  Ore processed ({tonnes.Unit})", lines, l => l.OreProcessed, tonnes),
        ];
        for (var i = 0; i < products.Count; i++)
        {
            var index = i;
            var quantity = Scale.ForQuantity(scenario.Products[i].PayableUnit, Scale.Largest(lines.SelectMany(l => new[] { l.Products[index].Contained, l.Products[index].Payable })));
            var name = products[i].Name;
            rows.Add(Row.Of($"  {name} contained ({quantity.Unit})", lines, l => l.Products[index].Contained, quantity));
            rows.Add(Row.Of($"  {name} recovered ({quantity.Unit})", lines, l => l.Products[index].Recovered, quantity));
            rows.Add(Row.Of($"  {name} payable ({quantity.Unit})", lines, l => l.Products[index].Payable, quantity));
        }

        rows.Add(Row.Section("Revenue"));
        if (products.Count > 1)
        {
            for (var i = 0; i < products.Count; i++)
            {
                var index = i;
                rows.Add(Row.Of($"  {products[i].Name} gross revenue", lines, l => l.Products[index].GrossRevenue, money));
            }
        }

        rows.AddRange(
        [
            Row.Of("  Gross revenue", lines, l => l.GrossRevenue, money),
            Row.Of("  Selling costs", lines, l => l.SellingCosts, money),
            Row.Of("  NSR", lines, l => l.Nsr, money),
            Row.Of("  Royalties", lines, l => l.Royalties, money),
            Row.Section("Operating costs"),
            Row.Of("  Mining", lines, l => l.MiningCost, money),
            Row.Of("  Processing", lines, l => l.ProcessingCost, money),
            Row.Of("  General and admin", lines, l => l.GeneralAndAdmin, money),
            Row.Of("  Consumables", lines, l => l.ConsumablesCost, money),
            Row.Of("  Carbon", lines, l => l.CarbonCost, money),
            Row.Of("  Equipment operating", lines, l => l.EquipmentOperatingCost, money),
            Row.Of("  Operating cost", lines, l => l.OperatingCost, money),
            Row.Of("EBITDA", lines, l => l.Ebitda, money),
            Row.Section("Capital"),
            Row.Of("  Initial", lines, l => l.InitialCapital, money),
            Row.Of("  Sustaining", lines, l => l.SustainingCapital, money),
            Row.Of("  Closure", lines, l => l.ClosureCapital, money),
            Row.Of("  Capital", lines, l => l.Capital, money),
            Row.Of("    of which equipment", lines, l => l.EquipmentCapital, money),
            Row.Section("Tax"),
            Row.Of("  Depreciation", lines, l => l.Depreciation, money),
            Row.Of("  Taxable income", lines, l => l.TaxableIncome, money),
            Row.Of("  Losses used", lines, l => l.LossesUsed, money),
            Row.Of("  Tax", lines, l => l.Tax, money),
            Row.Section("Cash flow"),
            Row.Of("  Working capital", lines, l => l.WorkingCapital, money),
            Row.Of("  Working capital change", lines, l => l.WorkingCapitalChange, money),
            Row.Of("  Pre-tax cash flow", lines, l => l.PreTaxCashFlow, money),
            Row.Of("  After-tax cash flow", lines, l => l.AfterTaxCashFlow, money),
            Row.Of("  Discounted after-tax", lines, l => l.DiscountedAfterTaxCashFlow, money),
            Row.Section("Emissions"),
            Row.Of($"  CO2e ({co2e.Unit})", lines, l => l.Co2eTonnes, co2e),
        ]);
        return rows;
    }

    private static IEnumerable<double> AmountsOf(IEnumerable<CashFlowLine> lines) =>
        lines.SelectMany(l => new[]
        {
            l.GrossRevenue, l.Nsr, l.OperatingCost, l.Ebitda, l.Capital, l.TaxableIncome, l.Tax,
            l.WorkingCapital, l.PreTaxCashFlow, l.AfterTaxCashFlow,
        });

    /// <summary>A fraction as a percentage with one decimal, without the sign: 0.1784 → 17.8.</summary>
    private static string Percent(double? fraction) =>
        fraction is { } f ? (f * 100).ToString("0.0", CultureInfo.InvariantCulture) : NotAvailable;

    /// <summary>A discount rate as a percentage with only the decimals it has: 0.05 → 5 %, 0.075 → 7.5 %.</summary>
    private static string Rate(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string Fixed(double? value) =>
        value is { } v ? v.ToString("N2", CultureInfo.InvariantCulture) : NotAvailable;

    private static string Integer(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary><paramref name="text"/>, cut to <paramref name="width"/> characters with a <c>~</c> where it was cut.</summary>
    private static string Fit(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "~");

    /// <summary>A row of the cash-flow table: a section heading (no cells) or a line with one cell per period and the total.</summary>
    private sealed record Row(string Label, string[]? Cells)
    {
        public static Row Section(string label) => new(label, null);

        public static Row Of(string label, CashFlowLine[] lines, Func<CashFlowLine, double> value, Scale scale) =>
            new(label, [.. lines.Select(l => scale.Format(value(l)))]);
    }
}
