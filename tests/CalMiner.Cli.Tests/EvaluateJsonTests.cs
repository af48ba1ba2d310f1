using System.Text.Json;
using System.Text.Json.Nodes;
using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Cli.Tests;

public sealed class EvaluateJsonTests : IDisposable
{
    private static readonly string[] MetricNames =
    [
        "npvAfterTax", "npvPreTax", "irrAfterTax", "irrPreTax", "paybackYears", "discountedPaybackYears", "peakFunding",
        "cashCostPerUnit", "aiscPerUnit", "breakevenPrice", "npvProfile", "co2eTonnes", "co2eKgPerUnit",
    ];

    private readonly Scenarios _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Json_HasMetricsTotalsAndPeriods_WithTheDocumentedMetricNames()
    {
        var json = await EvaluateAsync(Scenarios.GoldOpenPit);

        Assert.Equivalent(new[] { "currency", "metrics", "totals", "periods" }, json.Select(p => p.Key).ToArray(), strict: true);
        Assert.Equal(MetricNames, json["metrics"]!.AsObject().Select(p => p.Key));
        var periods = json["periods"]!.AsArray();
        Assert.Equal(10, periods.Count);
        Assert.Equal(Enumerable.Range(0, 10), periods.Select(p => (int)p!["period"]!));
        Assert.Equal(Enumerable.Range(2027, 10), periods.Select(p => (int)p!["year"]!));
        Assert.Equal("Au", (string?)periods[1]!["products"]![0]!["name"]);
        Assert.Null(json["totals"]!["period"]);
    }

    [Fact]
    public async Task Json_GivesTheModelsFigures_WithFractionsAsFractions()
    {
        var expected = EconomicModel.Evaluate(ScenarioDocument.Load(Scenarios.GoldOpenPit));

        var json = await EvaluateAsync(Scenarios.GoldOpenPit);

        var metrics = json["metrics"]!;
        Assert.Equal(expected.Metrics.NpvAfterTax, (double)metrics["npvAfterTax"]!);
        Assert.Equal(expected.Metrics.IrrAfterTax, (double?)metrics["irrAfterTax"]);
        Assert.InRange((double)metrics["irrAfterTax"]!, -0.99, 10);
        Assert.Equal(expected.Metrics.NpvProfile.Select(p => p.Rate), metrics["npvProfile"]!.AsArray().Select(p => (double)p!["rate"]!));
        Assert.Equal(expected.Periods.Select(p => p.AfterTaxCashFlow), json["periods"]!.AsArray().Select(p => (double)p!["afterTaxCashFlow"]!));
        Assert.Equal(expected.Totals.Nsr, (double)json["totals"]!["nsr"]!);
    }

    [Fact]
    public async Task Json_WritesNull_ForEveryAbsentMetric()
    {
        // At this price the mine never pays back: no IRR, no payback.
        var document = Scenarios.GoldOpenPitJson();
        document["parameters"]!["goldPrice"]!["value"] = 100;
        var path = _files.Write(document);
        var expected = EconomicModel.Evaluate(ScenarioDocument.Load(path)).Metrics;
        Assert.Null(expected.PaybackYears);

        var metrics = (await EvaluateAsync(path))["metrics"]!.AsObject();

        Assert.Equal(MetricNames, metrics.Select(p => p.Key));
        Assert.Null(metrics["paybackYears"]);
        Assert.Equal(expected.IrrAfterTax is null, metrics["irrAfterTax"] is null);
        Assert.Equal(expected.IrrPreTax is null, metrics["irrPreTax"] is null);
        Assert.Equal(expected.DiscountedPaybackYears is null, metrics["discountedPaybackYears"] is null);
        Assert.Equal(expected.BreakevenPrice is null, metrics["breakevenPrice"] is null);
        Assert.Equal(JsonValueKind.Number, metrics["npvAfterTax"]!.GetValueKind());
    }

    private static async Task<JsonObject> EvaluateAsync(string path)
    {
        var run = await Cli.RunAsync("evaluate", path, "--format", "json");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(run.Error);
        return JsonNode.Parse(run.Output)!.AsObject();
    }
}
