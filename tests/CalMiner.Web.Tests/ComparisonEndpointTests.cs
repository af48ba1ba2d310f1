using System.Net;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class ComparisonEndpointTests(CalMinerWebApp app)
{
    [Fact]
    public async Task Compare_GivesEachScenariosMetrics_AsTheEconomicModelComputesThem()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var goldJson = TestApi.GoldJson();
        var copperJson = File.ReadAllText(TestApi.SamplePath("copper-gold-porphyry.json"));
        var (gold, _) = await client.CreateScenarioAsync(goldJson);
        var (copper, _) = await client.CreateScenarioAsync(copperJson);

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        var first = await (await viewer.GetAsync($"/api/compare?ids={gold},{copper}")).ExpectAsync(HttpStatusCode.OK);
        var items = first.GetProperty("items");
        Assert.Equal([gold, copper], items.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        AssertMetrics(EconomicModel.Evaluate(ScenarioDocument.Parse(goldJson)).Metrics, items[0].GetProperty("metrics"));
        AssertMetrics(EconomicModel.Evaluate(ScenarioDocument.Parse(copperJson)).Metrics, items[1].GetProperty("metrics"));

        // A repeat is served from the cache and says the same.
        var again = await (await viewer.GetAsync($"/api/compare?ids={gold},{copper}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(first.GetRawText(), again.GetRawText());
    }

    [Fact]
    public async Task Compare_RefusesBadOrTooManyIds_AndNamesMissingScenarios()
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        foreach (var ids in new[] { "", "1,x", "0", string.Join(',', Enumerable.Range(1, 21)) })
        {
            var problem = await (await client.GetAsync($"/api/compare?ids={ids}")).ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["ids"], problem.ErrorPaths());
        }

        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        var missing = await (await client.GetAsync($"/api/compare?ids={id},999999998,999999999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("999999998, 999999999", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static void AssertMetrics(EconomicMetrics expected, JsonElement actual)
    {
        Assert.Equal(expected.NpvAfterTax, actual.GetProperty("npvAfterTax").GetDouble(), 6);
        Assert.Equal(expected.NpvPreTax, actual.GetProperty("npvPreTax").GetDouble(), 6);
        Assert.Equal(expected.IrrAfterTax!.Value, actual.GetProperty("irrAfterTax").GetDouble(), 12);
        Assert.Equal(expected.PaybackYears!.Value, actual.GetProperty("paybackYears").GetDouble(), 12);
        Assert.Equal(expected.PeakFunding, actual.GetProperty("peakFunding").GetDouble(), 6);
        Assert.Equal(expected.CashCostPerUnit!.Value, actual.GetProperty("cashCostPerUnit").GetDouble(), 9);
        Assert.Equal(expected.AiscPerUnit!.Value, actual.GetProperty("aiscPerUnit").GetDouble(), 9);
        Assert.Equal(expected.BreakevenPrice!.Value, actual.GetProperty("breakevenPrice").GetDouble(), 6);
        Assert.Equal(expected.Co2eTonnes, actual.GetProperty("co2eTonnes").GetDouble(), 6);
    }
}
