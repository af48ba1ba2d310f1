using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Web.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CalMiner.Web.Tests;

/// <summary>
/// The cash-flow workbook opened as Excel would open it (DocumentFormat.OpenXml) and recalculated by a
/// real spreadsheet engine (LibreOffice Calc): its formulas must give the model's figures.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class CashflowWorkbookTests(CalMinerWebApp app)
{
    // The spreadsheet sums, powers and discounts in its own order, and its CSV export writes 15 significant digits.
    private const double Relative = 1e-9;

    // Excel's and LibreOffice's IRR stop Newton's method once a step is below 1e-7; the root is then good to far less than that.
    private const double IrrTolerance = 1e-9;

    private static readonly string[] Sheets = ["Cash flow", "Metrics", "Inputs"];

    public static TheoryData<string, string?> Scenarios() => new()
    {
        { "gold-open-pit.json", null },
        { "gold-open-pit.json", "midPeriod" },
        { "copper-gold-porphyry.json", null },
        { "copper-gold-porphyry.json", "endOfPeriod" },
    };

    [Fact]
    public async Task Workbook_RunsPeriodsAcrossTheColumnsAndLinesDownTheRows_InOrderWithUnitsAndFormats()
    {
        var json = TestApi.GoldJson();
        var expected = EconomicModel.Evaluate(ScenarioDocument.Parse(json));
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(await DownloadAsync(json)), isEditable: false);

        Assert.Equal(Sheets, workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value));
        Assert.True(workbook.WorkbookPart.Workbook.CalculationProperties?.FullCalculationOnLoad?.Value, "The workbook asks to be recalculated when opened.");
        var sheet = Worksheet(workbook, "Cash flow");
        var pane = sheet.Descendants<Pane>().Single();
        Assert.Equal("E5", pane.TopLeftCell?.Value);
        Assert.Equal(PaneStateValues.Frozen, pane.State?.Value);

        var cells = Cells(workbook, sheet);
        Assert.Equal(["Period", "Total"], [Text(workbook, cells["A3"]), Text(workbook, cells["D3"])]);
        for (var t = 0; t < expected.Periods.Count; t++)
        {
            var column = Column(5 + t);
            Assert.Equal(t, Number(cells[$"{column}3"]));
            Assert.Equal(expected.Periods[t].Year, (int)Number(cells[$"{column}4"]));
        }

        var rows = KeyRows(workbook, cells);
        var columns = expected.ToColumns();
        Assert.Equal(columns.Select(c => c.Name), rows.Keys);
        Assert.True(rows.Values.Zip(rows.Values.Skip(1)).All(p => p.First < p.Second), "The lines are in the model's order.");
        var stylesheet = workbook.WorkbookPart.WorkbookStylesPart!.Stylesheet;
        foreach (var column in columns)
        {
            var row = rows[column.Name];
            var unit = Text(workbook, cells[$"C{row}"]);
            Assert.Equal(column.Unit switch { CashFlowUnit.Currency => "USD", CashFlowUnit.Tonnes => "t", CashFlowUnit.TonnesCo2e => "t CO2e", _ => "oz" }, unit);
            var total = cells[$"D{row}"];
            Assert.Equal(column.Line == "workingCapital" ? $"{Column(4 + expected.Periods.Count)}{row}" : $"SUM(E{row}:{Column(4 + expected.Periods.Count)}{row})", total.CellFormula?.Text);
            Assert.Equal(column.Values[^1], Number(total));
            for (var t = 0; t < expected.Periods.Count; t++)
            {
                var cell = cells[$"{Column(5 + t)}{row}"];
                Assert.Equal(column.Values[t], Number(cell));
                var format = ((CellFormat)stylesheet.CellFormats!.ElementAt((int)cell.StyleIndex!.Value)).NumberFormatId!.Value;
                Assert.True(format == 3, $"{column.Name} is shown as #,##0 (format 3), not {format}.");
            }
        }

        var metrics = Cells(workbook, Worksheet(workbook, "Metrics"));
        var npv = metrics.Values.Single(c => c.CellReference!.Value!.StartsWith('B') && Text(workbook, c) == "npvAfterTax");
        var formula = metrics[$"D{Row(npv)}"];
        Assert.Equal($"NPV(DiscountRate,'Cash flow'!$E${rows["afterTaxCashFlow"]}:${Column(4 + expected.Periods.Count)}${rows["afterTaxCashFlow"]})*(1+DiscountRate)^(1-TimingOffset)", formula.CellFormula?.Text);
        Assert.Equal(expected.Metrics.NpvAfterTax, Number(formula));
        Assert.Equal(expected.Metrics.NpvAfterTax, Number(metrics[$"E{Row(npv)}"]));
        var names = workbook.WorkbookPart.Workbook.DefinedNames!.Elements<DefinedName>().ToDictionary(n => n.Name!.Value!, n => n.Text);
        Assert.Equal(["DiscountRate", "TimingOffset", "IrrGuess"], names.Keys);
        Assert.All(names.Values, reference => Assert.StartsWith("'Inputs'!$B$", reference, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Formulas_GiveTheModelsMetricsAndTotals_WhenRecalculatedByASpreadsheetEngine(string file, string? discounting)
    {
        var node = JsonNode.Parse(File.ReadAllText(TestApi.SamplePath(file)))!;
        if (discounting is not null)
        {
            node["discounting"] = discounting;
        }

        var json = node.ToJsonString();
        var expected = EconomicModel.Evaluate(ScenarioDocument.Parse(json));

        var sheets = await LibreOffice.RecalculateAsync(LibreOffice.WithoutCachedValues(await DownloadAsync(json)), Sheets);

        var metrics = sheets["Metrics"].Where(r => r.Length > 3 && r[1].Length > 0).ToDictionary(r => r[1], r => r[3]);
        var m = expected.Metrics;
        Near(m.NpvAfterTax, metrics["npvAfterTax"], "npvAfterTax");
        Near(m.NpvPreTax, metrics["npvPreTax"], "npvPreTax");
        Assert.True(Math.Abs(m.IrrAfterTax!.Value - Parse(metrics["irrAfterTax"])) <= IrrTolerance, $"irrAfterTax: the spreadsheet gives {metrics["irrAfterTax"]}, the model {m.IrrAfterTax:R}");
        Assert.True(Math.Abs(m.IrrPreTax!.Value - Parse(metrics["irrPreTax"])) <= IrrTolerance, $"irrPreTax: the spreadsheet gives {metrics["irrPreTax"]}, the model {m.IrrPreTax:R}");
        Near(m.PaybackYears!.Value, metrics["paybackYears"], "paybackYears");
        Near(m.DiscountedPaybackYears!.Value, metrics["discountedPaybackYears"], "discountedPaybackYears");
        Near(m.PeakFunding, metrics["peakFunding"], "peakFunding");
        Near(m.CashCostPerUnit!.Value, metrics["cashCostPerUnit"], "cashCostPerUnit");
        Near(m.AiscPerUnit!.Value, metrics["aiscPerUnit"], "aiscPerUnit");
        Near(m.Co2eTonnes, metrics["co2eTonnes"], "co2eTonnes");
        Near(m.Co2eKgPerUnit!.Value, metrics["co2eKgPerUnit"], "co2eKgPerUnit");
        for (var i = 0; i < m.NpvProfile.Count; i++)
        {
            Near(m.NpvProfile[i].NpvAfterTax, metrics[$"npvProfile[{i}].npvAfterTax"], $"npvProfile[{i}].npvAfterTax");
            Near(m.NpvProfile[i].NpvPreTax, metrics[$"npvProfile[{i}].npvPreTax"], $"npvProfile[{i}].npvPreTax");
        }

        var lines = sheets["Cash flow"].Where(r => r.Length > 4 && r[1].Length > 0 && r[1] != "Key").ToDictionary(r => r[1]);
        foreach (var column in expected.ToColumns())
        {
            Near(column.Values[^1], lines[column.Name][3], $"the total of {column.Name}");
            for (var t = 0; t < expected.Periods.Count; t++)
            {
                Near(column.Values[t], lines[column.Name][4 + t], $"{column.Name} in period {t}");
            }
        }
    }

    [Fact]
    public async Task Workbook_HasNoIrrAndNoPayback_WhenTheModelHasNone()
    {
        var node = JsonNode.Parse(TestApi.GoldJson())!;
        node["parameters"]!["goldPrice"]!["value"] = 300;
        var json = node.ToJsonString();
        var expected = EconomicModel.Evaluate(ScenarioDocument.Parse(json));
        Assert.Null(expected.Metrics.IrrAfterTax);
        Assert.Null(expected.Metrics.PaybackYears);

        var sheets = await LibreOffice.RecalculateAsync(LibreOffice.WithoutCachedValues(await DownloadAsync(json)), Sheets);

        var metrics = sheets["Metrics"].Where(r => r.Length > 4 && r[1].Length > 0).ToDictionary(r => r[1], r => r[3..5]);
        Assert.Contains(metrics["irrAfterTax"][0], new[] { "#NUM!", "Err:502", "Err:523" });
        Assert.Equal(["not reached", "none"], metrics["paybackYears"]);
        Assert.Equal(["not reached", "none"], metrics["discountedPaybackYears"]);
        Near(expected.Metrics.NpvAfterTax, metrics["npvAfterTax"][0], "npvAfterTax");
        Near(expected.Metrics.PeakFunding, metrics["peakFunding"][0], "peakFunding");
    }

    private async Task<byte[]> DownloadAsync(string json)
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync(json);
        var response = await client.GetAsync($"/api/scenarios/{id}/cashflow?format=xlsx");
        await response.ExpectAsync(HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static void Near(double expected, string actual, string what)
    {
        var value = Parse(actual);
        Assert.True(
            Math.Abs(value - expected) <= Relative * Math.Max(1, Math.Abs(expected)),
            $"{what}: the spreadsheet gives {actual}, the model {expected:R}");
    }

    private static double Parse(string text) => LibreOffice.Number(text);

    private static Worksheet Worksheet(SpreadsheetDocument workbook, string name)
    {
        var sheet = workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return ((WorksheetPart)workbook.WorkbookPart.GetPartById(sheet.Id!)).Worksheet;
    }

    private static Dictionary<string, Cell> Cells(SpreadsheetDocument workbook, Worksheet sheet) =>
        sheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);

    /// <summary>The row of each model line, by its key in column B, from the first line (ore mined) on.</summary>
    private static Dictionary<string, int> KeyRows(SpreadsheetDocument workbook, Dictionary<string, Cell> cells) =>
        cells.Values.Where(c => c.CellReference!.Value!.StartsWith('B') && Row(c) > 4)
            .OrderBy(Row).ToDictionary(c => Text(workbook, c), Row);

    private static int Row(Cell cell) => int.Parse(cell.CellReference!.Value!.AsSpan(cell.CellReference.Value!.IndexOfAny("0123456789".ToCharArray())), CultureInfo.InvariantCulture);

    private static string Column(int number) => number <= 26 ? ((char)('A' + number - 1)).ToString() : Column((number - 1) / 26) + (char)('A' + ((number - 1) % 26));

    private static string Text(SpreadsheetDocument workbook, Cell cell) => cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "";

    private static double Number(Cell cell) => double.Parse(cell.CellValue!.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
