using System.Globalization;
using System.Text.Json.Nodes;

namespace CalMiner.Cli.Tests;

public sealed class EvaluateTableTests : IDisposable
{
    private readonly Scenarios _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Table_IsTheDefaultFormat()
    {
        var byDefault = await Cli.RunAsync("evaluate", Scenarios.GoldOpenPit);
        var table = await Cli.RunAsync("evaluate", Scenarios.GoldOpenPit, "--format", "table");

        Assert.Equal(0, byDefault.ExitCode);
        Assert.Equal(table.Output, byDefault.Output);
    }

    [Fact]
    public async Task Table_FitsIn120Columns()
    {
        var run = await Cli.RunAsync("evaluate", Scenarios.GoldOpenPit);

        Assert.Equal(0, run.ExitCode);
        Assert.All(run.OutputLines, line => Assert.True(line.Length <= 120, $"{line.Length} characters: {line}"));
    }

    [Fact]
    public async Task Table_OfALongMine_ShowsEveryYear_In120Columns()
    {
        var document = Scenarios.GoldOpenPitJson();
        document["periods"] = 40;
        var schedule = document["schedule"]!.AsArray();
        for (var period = 9; period < 38; period++)
        {
            var row = schedule[1 + (period % 8)]!.DeepClone();
            row["period"] = period;
            schedule.Add(row);
        }

        document["capital"]!.AsArray().Single(c => (string?)c!["category"] == "closure")!["period"] = 39;

        var run = await Cli.RunAsync("evaluate", _files.Write(document));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.All(run.OutputLines, line => Assert.True(line.Length <= 120, $"{line.Length} characters: {line}"));
        var years = run.OutputLines.Where(l => l.StartsWith("Year ", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            .ToArray();
        Assert.Equal([.. Enumerable.Range(2027, 40).Select(y => y.ToString(CultureInfo.InvariantCulture)), "Total"], years);
    }

    [Fact]
    public async Task Table_StatesItsUnits_AndShowsEveryLineAndMetric()
    {
        var run = await Cli.RunAsync("evaluate", Scenarios.GoldOpenPit);

        Assert.Contains("Amounts in USD M", run.Output, StringComparison.Ordinal);
        string[] labels =
        [
            "Ore mined (Mt)", "Au payable (koz)", "NSR", "Royalties", "Operating cost", "EBITDA", "Sustaining", "Closure",
            "Depreciation", "Tax", "Working capital change", "Pre-tax cash flow", "After-tax cash flow", "CO2e (kt)",
            "NPV after tax at 5 %", "NPV pre-tax at 5 %", "IRR after tax", "IRR pre-tax", "Payback", "Discounted payback",
            "Peak funding", "C1 cash cost (Au)", "AISC (Au)", "Breakeven price (Au)", "CO2e intensity", "NPV profile (USD M)",
        ];
        Assert.All(labels, label => Assert.Contains(run.OutputLines, line => line.TrimStart().StartsWith(label, StringComparison.Ordinal)));
        Assert.Contains(run.OutputLines, line => line.StartsWith("C1 cash cost (Au)", StringComparison.Ordinal) && line.EndsWith("USD/oz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Table_ShowsEachProduct_InItsOwnUnit_AndUnitCostsPerPrimaryUnit()
    {
        var document = Scenarios.GoldOpenPitJson();
        document["products"]![0]!["primary"] = false;
        document["products"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "Cu", ["gradeUnit"] = "%", ["payableUnit"] = "lb", ["recovery"] = 0.88, ["price"] = 4.1, ["primary"] = true,
        });
        foreach (var period in document["schedule"]!.AsArray())
        {
            period!["grades"]!["Cu"] = 0.45;
        }

        var run = await Cli.RunAsync("evaluate", _files.Write(document));

        Assert.True(run.ExitCode == 0, run.Error);
        string[] labels = ["Au payable (koz)", "Cu payable (Mlb)", "Au gross revenue", "Cu gross revenue"];
        Assert.All(labels, label => Assert.Contains(run.OutputLines, line => line.TrimStart().StartsWith(label, StringComparison.Ordinal)));
        Assert.Contains(run.OutputLines, line => line.StartsWith("AISC (Cu)", StringComparison.Ordinal) && line.EndsWith("USD/lb", StringComparison.Ordinal));
        Assert.All(run.OutputLines, line => Assert.True(line.Length <= 120, $"{line.Length} characters: {line}"));
    }

    [Fact]
    public async Task Table_ShowsNa_ForAbsentMetrics()
    {
        var document = Scenarios.GoldOpenPitJson();
        document["parameters"]!["goldPrice"]!["value"] = 100;
        var path = _files.Write(document);
        var metrics = JsonNode.Parse((await Cli.RunAsync("evaluate", path, "--format", "json")).Output)!["metrics"]!;

        var run = await Cli.RunAsync("evaluate", path);

        Assert.Equal(0, run.ExitCode);
        Assert.Null(metrics["paybackYears"]);
        var payback = Assert.Single(run.OutputLines, line => line.StartsWith("Payback ", StringComparison.Ordinal));
        Assert.EndsWith("n/a", payback, StringComparison.Ordinal);
        var irr = Assert.Single(run.OutputLines, line => line.StartsWith("IRR after tax ", StringComparison.Ordinal));
        Assert.Equal(metrics["irrAfterTax"] is null, irr.EndsWith("n/a", StringComparison.Ordinal));
    }
}
