using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class SimulationWorkbookTests(CalMinerWebApp app)
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static readonly string[] Sheets = ["Run", "Statistics", "Percentiles", "Histogram", "Sensitivity", "Convergence"];

    [Fact]
    public async Task Results_DownloadAsJsonOrAsAWorkbook_OfStatisticsPercentilesHistogramsAndSensitivity()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (scenarioId, _) = await client.CreateScenarioAsync();
        var run = await (await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId, iterations = 3000, seed = 11 })).ExpectAsync(HttpStatusCode.Created);
        var id = run.GetProperty("id").GetInt64();
        var results = run.GetProperty("results");

        var json = await (await client.GetAsync($"/api/simulations/{id}/results")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(results.GetRawText()), JsonNode.Parse(json.GetRawText())));
        var byQuery = await client.GetAsync($"/api/simulations/{id}/results?format=xlsx");
        await byQuery.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Xlsx, byQuery.Content.Headers.ContentType?.MediaType);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/simulations/{id}/results");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(Xlsx));
        var byAccept = await client.SendAsync(request);
        Assert.Equal(Xlsx, byAccept.Content.Headers.ContentType?.MediaType);
        var bytes = await byQuery.Content.ReadAsByteArrayAsync();

        using var workbook = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);
        Assert.Equal(Sheets, workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value));
        var outputs = results.GetProperty("outputs").EnumerateObject().ToArray();
        var statistics = Rows(workbook, "Statistics");
        Assert.Equal(["Statistic", .. outputs.Select(o => o.Name)], statistics[2]);
        Assert.Equal(["Unit", "USD", "fraction", "USD", "years", "USD", "USD/oz", "USD/oz"], statistics[3]);
        foreach (var (label, key) in new[] { ("Mean", "mean"), ("Standard deviation", "sd"), ("P10", "p10"), ("P50 (median)", "p50"), ("P90", "p90"), ("Probability < 0", "probNegative"), ("CVaR 5 % (mean at or below the P5)", "cvar5") })
        {
            var row = statistics.Single(r => r.FirstOrDefault() == label);
            for (var o = 0; o < outputs.Length; o++)
            {
                var value = outputs[o].Value.GetProperty(key);
                Assert.Equal(value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("R", CultureInfo.InvariantCulture) : "", row.ElementAtOrDefault(1 + o) ?? "");
            }
        }

        var percentiles = Rows(workbook, "Percentiles");
        Assert.Equal(4 + 101, percentiles.Count);
        var npvCdf = outputs[0].Value.GetProperty("cdf").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(npvCdf, percentiles.Skip(4).Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)));

        var counts = outputs[0].Value.GetProperty("histogram").GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()).ToArray();
        var histogram = Rows(workbook, "Histogram");
        var start = histogram.FindIndex(r => r.FirstOrDefault() == "npvAfterTax (USD)") + 2;
        Assert.Equal(counts, histogram.Skip(start).Take(counts.Length).Select(r => int.Parse(r[2], CultureInfo.InvariantCulture)));
        Assert.Equal(outputs[0].Value.GetProperty("min").GetDouble(), double.Parse(histogram[start][0], CultureInfo.InvariantCulture));

        var sensitivity = Rows(workbook, "Sensitivity");
        foreach (var input in results.GetProperty("sensitivity").EnumerateArray())
        {
            var row = sensitivity.First(r => r.FirstOrDefault() == input.GetProperty("input").GetString());
            Assert.Equal(input.GetProperty("rankCorrelation").GetDouble(), double.Parse(row[1], CultureInfo.InvariantCulture));
            Assert.Equal(input.GetProperty("contributionToVariance").GetDouble(), double.Parse(row[2], CultureInfo.InvariantCulture));
        }

        // The formulas, recalculated by a real spreadsheet from the counts and the tornado's NPVs.
        var calculated = await LibreOffice.RecalculateAsync(LibreOffice.WithoutCachedValues(bytes), Sheets);
        var bins = calculated["Histogram"].Skip(start).Take(counts.Length).ToArray();
        Assert.Equal(1.0, LibreOffice.Number(bins[^1][4]), 12);
        Assert.Equal((double)counts[0] / counts.Sum(), LibreOffice.Number(bins[0][3]), 12);
        var tornado = results.GetProperty("tornado").EnumerateArray().First();
        var bar = calculated["Sensitivity"].Where(r => r.FirstOrDefault() == tornado.GetProperty("input").GetString()).ElementAt(1);
        Assert.Equal(Math.Abs(tornado.GetProperty("npvAtHigh").GetDouble() - tornado.GetProperty("npvAtLow").GetDouble()), LibreOffice.Number(bar[5]), 6);
    }

    [Fact]
    public async Task Results_Are409BeforeSuccess404ForAnUnknownRun_And400ForABadFormat()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (scenarioId, _) = await client.CreateScenarioAsync();
        var queued = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId, iterations = 2_000_000, seed = 1 });
        await queued.ExpectAsync(HttpStatusCode.Accepted);
        await (await client.PostAsync($"{queued.Headers.Location}/cancel", null)).ExpectAsync(HttpStatusCode.OK);

        await (await client.GetAsync($"{queued.Headers.Location}/results?format=xlsx")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await client.GetAsync("/api/simulations/987654321/results")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await client.GetAsync($"{queued.Headers.Location}/results?format=pdf")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["format"], problem.ErrorPaths());
    }

    /// <summary>Each row's cells as text, empty cells filled in, so that r[1] is column B.</summary>
    private static List<string[]> Rows(SpreadsheetDocument workbook, string sheetName)
    {
        var sheet = workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)workbook.WorkbookPart.GetPartById(sheet.Id!);
        return [.. part.Worksheet.Descendants<Row>().Select(row =>
        {
            var cells = row.Elements<Cell>().ToArray();
            var width = cells.Length == 0 ? 0 : cells.Max(c => ColumnNumber(c.CellReference!.Value!));
            var texts = Enumerable.Repeat("", width).ToArray();
            foreach (var cell in cells)
            {
                texts[ColumnNumber(cell.CellReference!.Value!) - 1] = cell.CellValue?.Text ?? cell.InlineString?.InnerText ?? "";
            }

            return texts;
        })];
    }

    private static int ColumnNumber(string reference) =>
        reference.TakeWhile(char.IsAsciiLetter).Aggregate(0, (n, c) => (n * 26) + (c - 'A' + 1));
}
