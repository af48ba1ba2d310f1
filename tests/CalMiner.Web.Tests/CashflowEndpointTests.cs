using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Web.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class CashflowEndpointTests(CalMinerWebApp app)
{
    private static readonly EvaluationResult Expected = EconomicModel.Evaluate(ScenarioDocument.Parse(TestApi.GoldJson()));

    [Fact]
    public async Task Json_IsTheEvaluationDocument_WithTheVersionAsETag()
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        var (id, etag) = await NewScenarioAsync();

        var response = await client.GetAsync($"/api/scenarios/{id}/cashflow");
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Expected.ToJson()), JsonNode.Parse(body.GetRawText())));
        Assert.Equal(etag, response.Headers.ETag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/scenarios/{id}/cashflow");
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task Csv_IsTheSameTextAsTheCliWrites()
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        var (id, _) = await NewScenarioAsync();

        var byQuery = await client.GetAsync($"/api/scenarios/{id}/cashflow?format=csv");
        await byQuery.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", byQuery.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Expected.ToCsv(), await byQuery.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/scenarios/{id}/cashflow");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var byAccept = await client.SendAsync(request);
        Assert.Equal(Expected.ToCsv(), await byAccept.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Xlsx_IsChosenByQueryOrAccept_AndHoldsTheModelsCashFlows()
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        var (id, _) = await NewScenarioAsync();

        var byQuery = await client.GetAsync($"/api/scenarios/{id}/cashflow?format=xlsx");
        await byQuery.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", byQuery.Content.Headers.ContentType?.MediaType);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/scenarios/{id}/cashflow");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        var byAccept = await client.SendAsync(request);
        var bytes = await byQuery.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, await byAccept.Content.ReadAsByteArrayAsync());

        using var workbook = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);
        var cashFlow = Rows(workbook, "Cash flow");
        var row = cashFlow.Single(r => r.Length > 1 && r[1] == "afterTaxCashFlow");
        Assert.Equal(Expected.Totals.AfterTaxCashFlow, double.Parse(row[3], CultureInfo.InvariantCulture));
        for (var i = 0; i < Expected.Periods.Count; i++)
        {
            Assert.Equal(Expected.Periods[i].AfterTaxCashFlow, double.Parse(row[4 + i], CultureInfo.InvariantCulture));
        }

        var metrics = Rows(workbook, "Metrics").Where(r => r.Length > 4).ToDictionary(r => r[1], r => r[4]);
        Assert.Equal(Expected.Metrics.NpvAfterTax, double.Parse(metrics["npvAfterTax"], CultureInfo.InvariantCulture));
        Assert.Equal(Expected.Metrics.IrrAfterTax!.Value, double.Parse(metrics["irrAfterTax"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task CashFlows_Are400ForABadFormat_And404ForAnUnknownScenario()
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        var (id, _) = await NewScenarioAsync();
        var problem = await (await client.GetAsync($"/api/scenarios/{id}/cashflow?format=pdf")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["format"], problem.ErrorPaths());
        await (await client.GetAsync("/api/scenarios/987654321/cashflow")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SimulationSamples_DownloadAsCsv_MatchingTheResults()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();
        var run = await (await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2000, seed = 5 })).ExpectAsync(HttpStatusCode.Created);
        var runId = run.GetProperty("id").GetInt64();

        var response = await client.GetAsync($"/api/simulations/{runId}/samples");
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2001, lines.Length);
        var column = Array.IndexOf(lines[0].Split(','), "npvAfterTax");
        Assert.True(column >= 0, $"The samples have an npvAfterTax column: {lines[0]}");
        var mean = lines.Skip(1).Average(line => double.Parse(line.Split(',')[column], CultureInfo.InvariantCulture));
        var expected = run.GetProperty("results").GetProperty("outputs").GetProperty("npvAfterTax").GetProperty("mean").GetDouble();
        Assert.Equal(expected, mean, expected * 1e-12);
    }

    private async Task<(long Id, EntityTagHeaderValue ETag)> NewScenarioAsync()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        return await analyst.CreateScenarioAsync();
    }

    private static List<string[]> Rows(SpreadsheetDocument workbook, string sheetName)
    {
        var sheet = workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)workbook.WorkbookPart.GetPartById(sheet.Id!);
        return [.. part.Worksheet.Descendants<Row>().Select(row => row.Elements<Cell>()
            .Select(cell => cell.CellValue?.Text ?? cell.InlineString?.InnerText ?? "").ToArray())];
    }
}
