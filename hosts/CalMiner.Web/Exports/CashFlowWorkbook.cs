using System.Globalization;
using System.Text.Json;
using CalMiner.Economics;
using CalMiner.Model;
using CalMiner.Scenarios;
using DocumentFormat.OpenXml.Packaging;

namespace CalMiner.Web.Exports;

/// <summary>
/// The deterministic evaluation as an Excel workbook that audits itself. "Cash flow": periods across
/// the columns, every line of the model down the rows in the model's order with its key (the CSV header)
/// and unit, the life-of-mine total as <c>SUM</c> over the periods, and the discounting, cumulative and
/// payback rows as formulas. "Metrics": NPV, IRR, payback, peak funding, unit costs and the NPV profile as
/// live formulas over those rows, beside the model's own values. "Inputs": the named cells the formulas
/// read (<c>DiscountRate</c>, <c>TimingOffset</c>, <c>IrrGuess</c>) and the scenario document, field by field.
/// </summary>
internal static class CashFlowWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CashFlowSheet = "Cash flow", MetricsSheet = "Metrics", InputsSheet = "Inputs";

    /// <summary>Excel's IRR starts its search here; from 10 % it finds the model's root on conventional mine flows.</summary>
    public const double IrrGuess = 0.1;

    // The cash-flow sheet: label, key, unit, total, then one column per period; header rows 3 (period) and 4 (year).
    private const int LabelColumn = 1, KeyColumn = 2, UnitColumn = 3, TotalColumn = 4, FirstPeriodColumn = 5;
    private const int PeriodRow = 3, YearRow = 4;

    public static byte[] Create(ScenarioDocument scenario, EvaluationResult result)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var workbook = SheetBuilder.Workbook(document);
            var (cashFlow, rows) = CashFlow(scenario, result);
            cashFlow.AddTo(workbook, CashFlowSheet, frozenRows: YearRow, frozenColumns: TotalColumn);
            Metrics(scenario, result, rows).AddTo(workbook, MetricsSheet, frozenRows: 3);
            var (inputs, named) = Inputs(scenario);
            inputs.AddTo(workbook, InputsSheet);
            foreach (var (name, row) in named)
            {
                SheetBuilder.DefineName(workbook, name, InputsSheet, 2, row);
            }

            SheetBuilder.Finish(workbook);
        }

        return stream.ToArray();
    }

    /// <summary>Where the cash-flow sheet put the rows the metrics read: model lines by key, and its own working rows.</summary>
    private sealed record CashFlowRows(IReadOnlyDictionary<string, int> Lines, int Periods, int Cumulative, int DiscountFactor, int CumulativeDiscounted, int Crossing, int DiscountedCrossing)
    {
        public int LastPeriodColumn => FirstPeriodColumn + Periods - 1;

        /// <summary>The period cells of a row, e.g. <c>'Cash flow'!E20:N20</c>.</summary>
        public string Range(int row) =>
            $"{SheetBuilder.SheetPrefix(CashFlowSheet)}{SheetBuilder.Reference(FirstPeriodColumn, row, true)}:{SheetBuilder.Reference(LastPeriodColumn, row, true)}";

        /// <summary>The life-of-mine total of a model line.</summary>
        public string Total(string key) => SheetBuilder.SheetPrefix(CashFlowSheet) + SheetBuilder.Reference(TotalColumn, Lines[key], true);
    }

    private static (SheetBuilder Sheet, CashFlowRows Rows) CashFlow(ScenarioDocument scenario, EvaluationResult result)
    {
        var periods = result.Periods.Count;
        var last = FirstPeriodColumn + periods - 1;
        var offset = TimingOffset(scenario);
        var sheet = new SheetBuilder().Width(LabelColumn, 44).Width(KeyColumn, 26).Width(UnitColumn, 9).Width(TotalColumn, 16);
        for (var t = 0; t < periods; t++)
        {
            sheet.Width(FirstPeriodColumn + t, 14);
        }

        sheet.NewRow().Text(LabelColumn, $"{scenario.Name}: cash flow", Style.Title);
        sheet.NewRow().Text(LabelColumn, $"Amounts in {result.Currency}, unrounded (the number formats only round what is shown). Totals are SUM over the periods; the metrics are on the {MetricsSheet} sheet, the inputs on {InputsSheet}.", Style.Note);
        sheet.NewRow().Text(LabelColumn, "Period", Style.Heading).Text(KeyColumn, "Key", Style.Heading).Text(UnitColumn, "Unit", Style.Heading).Text(TotalColumn, "Total", Style.Heading);
        for (var t = 0; t < periods; t++)
        {
            sheet.Number(FirstPeriodColumn + t, t, Style.IntegerBold);
        }

        sheet.NewRow().Text(LabelColumn, "Year", Style.Bold);
        for (var t = 0; t < periods; t++)
        {
            sheet.Number(FirstPeriodColumn + t, result.Periods[t].Year ?? scenario.StartYear + t, Style.IntegerBold);
        }

        string Cell(int column, int row) => SheetBuilder.Reference(column, row);
        string Sum(int row) => $"SUM({Cell(FirstPeriodColumn, row)}:{Cell(last, row)})";

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        int cumulative = 0, discountFactor = 0, cumulativeDiscounted = 0;
        string? product = null;
        foreach (var column in result.ToColumns())
        {
            if (Section(column, ref product) is { } section)
            {
                sheet.NewRow();
                sheet.NewRow().Text(LabelColumn, section, Style.Heading);
            }

            var bold = column.Product is null && column.Line is "operatingCost" or "ebitda" or "capital" or "preTaxCashFlow" or "afterTaxCashFlow";
            var style = bold ? Style.AmountBold : Style.Amount;
            var row = sheet.NewRow().RowNumber;
            lines[column.Name] = row;
            sheet.Text(LabelColumn, Label(column), bold ? Style.Bold : Style.Plain).Text(KeyColumn, column.Name, Style.Note).Text(UnitColumn, Unit(scenario, result, column));
            var total = column.Values[periods];
            if (column is { Product: null, Line: "workingCapital" })
            {
                // A balance, not a flow: its total is the closing balance, 0 once everything is recovered.
                sheet.Formula(TotalColumn, Cell(last, row), total, style);
            }
            else
            {
                sheet.Formula(TotalColumn, Sum(row), total, style);
            }

            if (column is { Product: null, Line: "discountedAfterTaxCashFlow" } && discountFactor > 0)
            {
                var cashFlow = lines["afterTaxCashFlow"];
                for (var t = 0; t < periods; t++)
                {
                    var c = FirstPeriodColumn + t;
                    sheet.Formula(c, $"{Cell(c, cashFlow)}*{Cell(c, discountFactor)}", column.Values[t], style);
                }

                cumulativeDiscounted = CumulativeRow(sheet, "Cumulative discounted after-tax cash flow", row, column.Values, periods, result.Currency);
                continue;
            }

            for (var t = 0; t < periods; t++)
            {
                sheet.Number(FirstPeriodColumn + t, column.Values[t], style);
            }

            if (column is { Product: null, Line: "afterTaxCashFlow" })
            {
                cumulative = CumulativeRow(sheet, "Cumulative after-tax cash flow", row, column.Values, periods, result.Currency);
                discountFactor = sheet.NewRow().RowNumber;
                sheet.Text(LabelColumn, $"Discount factor: 1/(1 + DiscountRate)^(period + TimingOffset)").Text(UnitColumn, "factor");
                for (var t = 0; t < periods; t++)
                {
                    var c = FirstPeriodColumn + t;
                    sheet.Formula(c, $"1/(1+DiscountRate)^({SheetBuilder.ColumnName(c)}${PeriodRow}+TimingOffset)", Math.Pow(1 + scenario.DiscountRate, -(t + offset)), Style.Factor);
                }
            }
        }

        sheet.NewRow();
        sheet.NewRow().Text(LabelColumn, "Payback workings", Style.Heading);
        sheet.NewRow().Text(LabelColumn, "Where the cumulative flow first turns from negative to ≥ 0: period + (−cumulative before) / flow, in years from the start of period 0.", Style.Note);
        var crossing = CrossingRow(sheet, "Payback crossing", lines["afterTaxCashFlow"], cumulative, result.Periods.Select(p => p.AfterTaxCashFlow).ToArray());
        var discountedCrossing = CrossingRow(sheet, "Discounted payback crossing", lines["discountedAfterTaxCashFlow"], cumulativeDiscounted, result.Periods.Select(p => p.DiscountedAfterTaxCashFlow).ToArray());
        return (sheet, new CashFlowRows(lines, periods, cumulative, discountFactor, cumulativeDiscounted, crossing, discountedCrossing));
    }

    /// <summary>A row that adds up the flows of <paramref name="flowRow"/> period by period; returns its row number.</summary>
    private static int CumulativeRow(SheetBuilder sheet, string label, int flowRow, IReadOnlyList<double> flows, int periods, string currency)
    {
        var row = sheet.NewRow().RowNumber;
        sheet.Text(LabelColumn, label).Text(UnitColumn, currency);
        var running = 0.0;
        for (var t = 0; t < periods; t++)
        {
            var c = FirstPeriodColumn + t;
            running += flows[t];
            var formula = t == 0 ? SheetBuilder.Reference(c, flowRow) : $"{SheetBuilder.Reference(c - 1, row)}+{SheetBuilder.Reference(c, flowRow)}";
            sheet.Formula(c, formula, running);
        }

        return row;
    }

    /// <summary>Per period from 1 on, the payback time if the cumulative flow turns there, else empty text; returns its row number.</summary>
    private static int CrossingRow(SheetBuilder sheet, string label, int flowRow, int cumulativeRow, double[] flows)
    {
        var row = sheet.NewRow().RowNumber;
        sheet.Text(LabelColumn, label).Text(UnitColumn, "years");
        var running = flows.Length > 0 ? flows[0] : 0;
        for (var t = 1; t < flows.Length; t++)
        {
            var c = FirstPeriodColumn + t;
            var before = SheetBuilder.Reference(c - 1, cumulativeRow);
            var formula = $"IF(AND({before}<0,{SheetBuilder.Reference(c, cumulativeRow)}>=0),{SheetBuilder.ColumnName(c)}${PeriodRow}+(-{before})/{SheetBuilder.Reference(c, flowRow)},\"\")";
            var previous = running;
            running += flows[t];
            if (previous < 0 && running >= 0)
            {
                sheet.Formula(c, formula, t + (-previous / flows[t]), Style.Years);
            }
            else
            {
                sheet.TextFormula(c, formula, "");
            }
        }

        return row;
    }

    private static SheetBuilder Metrics(ScenarioDocument scenario, EvaluationResult result, CashFlowRows rows)
    {
        const int Label = 1, Key = 2, Unit = 3, Workbook = 4, Model = 5, How = 6;
        var metrics = result.Metrics;
        var currency = result.Currency;
        var primary = scenario.Products.First(p => p.Primary);
        var perUnit = $"{currency}/{PayableUnitName(primary.PayableUnit)}";
        var sheet = new SheetBuilder().Width(Label, 34).Width(Key, 28).Width(Unit, 10).Width(Workbook, 18).Width(Model, 18).Width(How, 90);
        sheet.NewRow().Text(Label, $"{scenario.Name}: metrics", Style.Title);
        sheet.NewRow().Text(Label, $"\"Workbook\" is computed by the formulas of this file from the {CashFlowSheet} sheet; \"CalMiner\" is the model's value. Keys are the JSON paths under \"metrics\".", Style.Note);
        sheet.NewRow().Text(Label, "Metric", Style.Heading).Text(Key, "Key", Style.Heading).Text(Unit, "Unit", Style.Heading)
            .Text(Workbook, "Workbook", Style.Heading).Text(Model, "CalMiner", Style.Heading).Text(How, "How", Style.Heading);

        void Row(string label, string key, string unit, Style style, string? formula, double? value, string absent, string how)
        {
            sheet.NewRow().Text(Label, label).Text(Key, key, Style.Note).Text(Unit, unit);
            if (formula is not null)
            {
                if (value is { } cached)
                {
                    sheet.Formula(Workbook, formula, cached, style);
                }
                else if (absent.StartsWith('#'))
                {
                    sheet.ErrorFormula(Workbook, formula, absent);
                }
                else
                {
                    sheet.TextFormula(Workbook, formula, absent);
                }
            }

            if (value is { } number)
            {
                sheet.Number(Model, number, style);
            }
            else
            {
                sheet.Text(Model, "none");
            }

            sheet.Text(How, how, Style.Note);
        }

        var afterTax = rows.Range(rows.Lines["afterTaxCashFlow"]);
        var preTax = rows.Range(rows.Lines["preTaxCashFlow"]);
        string Npv(string rate, string range) => $"NPV({rate},{range})*(1+{rate})^(1-TimingOffset)";
        string Payback(int cumulative, int crossing) =>
            $"IF(COUNTIF({rows.Range(cumulative)},\"<0\")=0,0,IF(COUNT({rows.Range(crossing)})=0,\"not reached\",MIN({rows.Range(crossing)})))";
        var timing = scenario.Discounting == Discounting.MidPeriod ? "mid-period" : "end of period";
        var payable = rows.Total("primaryPayable");

        Row("NPV after tax", "npvAfterTax", currency, Style.Amount, Npv("DiscountRate", afterTax), metrics.NpvAfterTax, "",
            $"Excel's NPV is end of period; × (1 + rate)^(1 − TimingOffset) moves the flows to the scenario's timing ({timing}).");
        Row("NPV pre-tax", "npvPreTax", currency, Style.Amount, Npv("DiscountRate", preTax), metrics.NpvPreTax, "", "As above, on the pre-tax cash flow.");
        Row("IRR after tax", "irrAfterTax", "fraction", Style.Percent, $"IRR({afterTax},IrrGuess)", metrics.IrrAfterTax, "#NUM!",
            "Excel's IRR searches from IrrGuess; CalMiner reports the largest rate in (−99 %, 1000 %] where the NPV changes sign. They agree when the flows change sign once or the guess is nearer that root; #NUM! where there is no IRR.");
        Row("IRR pre-tax", "irrPreTax", "fraction", Style.Percent, $"IRR({preTax},IrrGuess)", metrics.IrrPreTax, "#NUM!", "As above, on the pre-tax cash flow.");
        Row("Payback", "paybackYears", "years", Style.Years, Payback(rows.Cumulative, rows.Crossing), metrics.PaybackYears, "not reached",
            "The first payback crossing; 0 when the cumulative after-tax flow is never negative.");
        Row("Discounted payback", "discountedPaybackYears", "years", Style.Years, Payback(rows.CumulativeDiscounted, rows.DiscountedCrossing), metrics.DiscountedPaybackYears, "not reached",
            "As above, on the discounted after-tax cash flow.");
        Row("Peak funding", "peakFunding", currency, Style.Amount, $"-MIN(0,MIN({rows.Range(rows.Cumulative)}))", metrics.PeakFunding, "",
            "The largest cumulative after-tax deficit.");
        var cashCostRow = sheet.RowNumber + 1;
        var primaryName = primary.Name;
        Row("Cash cost (C1)", "cashCostPerUnit", perUnit, Style.Decimal,
            $"IF({payable}>0,({rows.Total("operatingCost")}+{rows.Total($"{primaryName}.sellingCosts")}-({rows.Total("nsr")}-{rows.Total($"{primaryName}.nsr")}))/{payable},\"\")",
            metrics.CashCostPerUnit, "", $"(Operating cost + {primaryName} selling costs − by-product NSR) / {primaryName} payable, life of mine.");
        Row("All-in sustaining cost", "aiscPerUnit", perUnit, Style.Decimal,
            $"IF({payable}>0,{SheetBuilder.Reference(Workbook, cashCostRow)}+({rows.Total("royalties")}+{rows.Total("sustainingCapital")})/{payable},\"\")",
            metrics.AiscPerUnit, "", $"C1 + (royalties + sustaining capital) / {primaryName} payable.");
        Row("Breakeven price", "breakevenPrice", perUnit, Style.Decimal, null, metrics.BreakevenPrice, "",
            $"The constant {primaryName} price at which the after-tax NPV is 0: solved by the model, which re-evaluates revenue, royalties, tax and working capital at each trial price.");
        Row("Emissions", "co2eTonnes", "t CO2e", Style.Amount, rows.Total("co2eTonnes"), metrics.Co2eTonnes, "", "Life-of-mine total.");
        Row("Emissions per unit", "co2eKgPerUnit", $"kg CO2e/{PayableUnitName(primary.PayableUnit)}", Style.Decimal,
            $"IF({payable}>0,{rows.Total("co2eTonnes")}*1000/{payable},\"\")", metrics.Co2eKgPerUnit, "", $"Emissions / {primaryName} payable.");

        sheet.NewRow();
        sheet.NewRow().Text(Label, "NPV profile", Style.Heading);
        for (var i = 0; i < metrics.NpvProfile.Count; i++)
        {
            var point = metrics.NpvProfile[i];
            var rate = point.Rate.ToString("R", CultureInfo.InvariantCulture);
            var percent = (point.Rate * 100).ToString("0.##", CultureInfo.InvariantCulture);
            Row($"NPV after tax at {percent} %", $"npvProfile[{i}].npvAfterTax", currency, Style.Amount, Npv(rate, afterTax), point.NpvAfterTax, "", $"NPV at a fixed {percent} %, {timing}.");
            Row($"NPV pre-tax at {percent} %", $"npvProfile[{i}].npvPreTax", currency, Style.Amount, Npv(rate, preTax), point.NpvPreTax, "", $"NPV at a fixed {percent} %, {timing}.");
        }

        return sheet;
    }

    private static (SheetBuilder Sheet, IReadOnlyList<(string Name, int Row)> Named) Inputs(ScenarioDocument scenario)
    {
        var sheet = new SheetBuilder().Width(1, 44).Width(2, 18).Width(3, 16).Width(4, 90);
        sheet.NewRow().Text(1, $"{scenario.Name}: inputs", Style.Title);
        sheet.NewRow().Text(1, $"The named cells feed the formulas of the {CashFlowSheet} and {MetricsSheet} sheets; change them to see the metrics move. The scenario document follows, field by field.", Style.Note);
        sheet.NewRow();
        sheet.NewRow().Text(1, "Input", Style.Heading).Text(2, "Value", Style.Heading).Text(3, "Name", Style.Heading).Text(4, "Meaning", Style.Heading);
        var named = new List<(string, int)>();
        void Named(string label, string name, double value, Style style, string meaning)
        {
            named.Add((name, sheet.NewRow().RowNumber));
            sheet.Text(1, label).Number(2, value, style).Text(3, name, Style.Note).Text(4, meaning, Style.Note);
        }

        Named("Discount rate", "DiscountRate", scenario.DiscountRate, Style.Percent, "discountRate: real annual rate.");
        Named("Discount timing offset", "TimingOffset", TimingOffset(scenario), Style.Plain,
            $"The flow of period i is discounted over i + TimingOffset years: 1 end of period, 0.5 mid-period (discounting: {(scenario.Discounting == Discounting.MidPeriod ? "midPeriod" : "endOfPeriod")}).");
        Named("IRR guess", "IrrGuess", IrrGuess, Style.Percent, "Where Excel's IRR starts its search.");
        sheet.NewRow();
        sheet.NewRow().Text(1, "Scenario document", Style.Heading).Text(2, "Value", Style.Heading);
        using var json = JsonDocument.Parse(scenario.ToJson());
        Flatten(sheet, "", json.RootElement);
        return (sheet, named);
    }

    /// <summary>One row per field of the document, named by its JSON path as in validation messages (<c>products[0].price</c>).</summary>
    private static void Flatten(SheetBuilder sheet, string path, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(sheet, path.Length == 0 ? property.Name : $"{path}.{property.Name}", property.Value);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(sheet, $"{path}[{index++}]", item);
                }

                break;
            case JsonValueKind.Number:
                sheet.NewRow().Text(1, path).Number(2, element.GetDouble(), Style.Plain);
                break;
            case JsonValueKind.String:
                sheet.NewRow().Text(1, path).Text(2, element.GetString()!);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                sheet.NewRow().Text(1, path).Text(2, element.ValueKind == JsonValueKind.True ? "true" : "false");
                break;
        }
    }

    private static double TimingOffset(ScenarioDocument scenario) => scenario.Discounting == Discounting.MidPeriod ? 0.5 : 1;

    /// <summary>The heading that starts a group of lines before <paramref name="column"/>, if it starts one.</summary>
    private static string? Section(CashFlowTableColumn column, ref string? product)
    {
        if (column.Product is { } name)
        {
            var first = name != product;
            product = name;
            return first ? $"Product {name}" : null;
        }

        return column.Line switch
        {
            "oreMined" => "Mining and processing",
            "primaryPayable" => "Revenue",
            "miningCost" => "Operating costs",
            "initialCapital" => "Capital",
            "depreciation" => "Tax",
            "workingCapital" => "Working capital",
            "preTaxCashFlow" => "Cash flow",
            "co2eTonnes" => "Emissions",
            _ => null,
        };
    }

    private static string Label(CashFlowTableColumn column)
    {
        var label = column.Line switch
        {
            "oreMined" => "Ore mined",
            "wasteMined" => "Waste mined",
            "oreProcessed" => "Ore processed",
            "contained" => "Contained",
            "recovered" => "Recovered",
            "payable" => "Payable",
            "primaryPayable" => "Primary product payable",
            "grossRevenue" => "Gross revenue",
            "sellingCosts" => "Selling costs",
            "nsr" => "Net smelter return",
            "royalties" => "Royalties",
            "miningCost" => "Mining",
            "processingCost" => "Processing",
            "generalAndAdmin" => "General and administrative",
            "consumablesCost" => "Consumables",
            "carbonCost" => "Carbon",
            "equipmentOperatingCost" => "Equipment operating",
            "operatingCost" => "Operating cost",
            "ebitda" => "EBITDA",
            "initialCapital" => "Initial capital",
            "sustainingCapital" => "Sustaining capital",
            "closureCapital" => "Closure capital",
            "equipmentCapital" => "Equipment capital (part of initial and sustaining)",
            "capital" => "Capital",
            "depreciation" => "Tax depreciation",
            "taxableIncome" => "Taxable income",
            "lossesUsed" => "Tax losses used",
            "tax" => "Income tax",
            "workingCapital" => "Working capital, closing balance",
            "workingCapitalChange" => "Working-capital cash effect",
            "preTaxCashFlow" => "Pre-tax cash flow",
            "afterTaxCashFlow" => "After-tax cash flow",
            "discountedAfterTaxCashFlow" => "Discounted after-tax cash flow",
            "co2eTonnes" => "Emissions",
            _ => column.Line,
        };
        return column.Product is { } product ? $"{product} {char.ToLowerInvariant(label[0])}{label[1..]}" : label;
    }

    private static string Unit(ScenarioDocument scenario, EvaluationResult result, CashFlowTableColumn column) => column.Unit switch
    {
        CashFlowUnit.Currency => result.Currency,
        CashFlowUnit.Tonnes => "t",
        CashFlowUnit.TonnesCo2e => "t CO2e",
        _ => PayableUnitName((column.Product is { } name ? scenario.Products.First(p => p.Name == name) : scenario.Products.First(p => p.Primary)).PayableUnit),
    };

    internal static string PayableUnitName(PayableUnit unit) => unit switch
    {
        PayableUnit.TroyOunce => "oz",
        PayableUnit.Gram => "g",
        PayableUnit.Kilogram => "kg",
        PayableUnit.Tonne => "t",
        _ => "lb",
    };
}
