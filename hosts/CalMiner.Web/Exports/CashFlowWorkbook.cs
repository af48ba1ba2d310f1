using CalMiner.Economics;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CalMiner.Web.Exports;

/// <summary>
/// The cash flows of an evaluation as an Excel workbook: a "Cash flow" sheet with the table of the
/// CSV form (a row per period, then the totals) and a "Metrics" sheet. Numbers are stored as numbers,
/// unrounded, so the analyst's own formulas work on them.
/// </summary>
internal static class CashFlowWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Create(EvaluationResult result, string scenarioName)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            AddSheet(workbook, "Cash flow", CashFlowRows(result));
            AddSheet(workbook, "Metrics", MetricRows(result, scenarioName));
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static IEnumerable<Row> CashFlowRows(EvaluationResult result)
    {
        var columns = result.ToColumns();
        yield return new Row([Text("period"), Text("year"), .. columns.Select(c => Text(c.Key))]);
        for (var i = 0; i <= result.Periods.Count; i++)
        {
            var line = i < result.Periods.Count ? result.Periods[i] : null;
            var index = i;
            yield return new Row(
            [
                line?.Period is { } period ? Number(period) : Text("total"),
                line?.Year is { } year ? Number(year) : Text(""),
                .. columns.Select(c => Number(c.Value[index])),
            ]);
        }
    }

    private static IEnumerable<Row> MetricRows(EvaluationResult result, string scenarioName)
    {
        var metrics = result.Metrics;
        yield return new Row(Text("scenario"), Text(scenarioName));
        yield return new Row(Text("currency"), Text(result.Currency));
        foreach (var (name, value) in new (string, double?)[]
        {
            ("npvAfterTax", metrics.NpvAfterTax),
            ("npvPreTax", metrics.NpvPreTax),
            ("irrAfterTax", metrics.IrrAfterTax),
            ("irrPreTax", metrics.IrrPreTax),
            ("paybackYears", metrics.PaybackYears),
            ("discountedPaybackYears", metrics.DiscountedPaybackYears),
            ("peakFunding", metrics.PeakFunding),
            ("cashCostPerUnit", metrics.CashCostPerUnit),
            ("aiscPerUnit", metrics.AiscPerUnit),
            ("breakevenPrice", metrics.BreakevenPrice),
            ("co2eTonnes", metrics.Co2eTonnes),
            ("co2eKgPerUnit", metrics.Co2eKgPerUnit),
        })
        {
            // A metric that does not exist (no IRR, never paid back) is an empty cell, as in the CSV.
            yield return new Row(Text(name), value is { } number ? Number(number) : Text(""));
        }
    }

    private static void AddSheet(WorkbookPart workbook, string name, IEnumerable<Row> rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        part.Worksheet = new Worksheet(new SheetData(rows));
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(new Sheet
        {
            Id = workbook.GetIdOfPart(part),
            SheetId = (uint)sheets.ChildElements.Count + 1,
            Name = name,
        });
    }

    private static Cell Text(string text) => new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };

    // NaN and infinities cannot be stored in a numeric cell; like the CSV, they become empty cells.
    private static Cell Number(double value) => double.IsFinite(value) ? new Cell { CellValue = new CellValue(value) } : Text("");
}
