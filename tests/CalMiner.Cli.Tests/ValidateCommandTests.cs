using System.Text.Json.Nodes;
using CalMiner.Scenarios;

namespace CalMiner.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly Scenarios _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Validate_SummarisesAValidScenario_AndExitsWith0()
    {
        var json = Scenarios.GoldOpenPitJson();
        var uncertain = json["parameters"]!.AsObject()
            .Count(p => p.Value!["distribution"] is { } d && (string?)d["type"] != "constant");

        var run = await Cli.RunAsync("validate", Scenarios.GoldOpenPit);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            $"valid: {json["name"]} ({json["periods"]} periods, 1 product, {uncertain} uncertain parameters)",
            Assert.Single(run.OutputLines));
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Validate_WarnsOfContradictoryCorrelations_NamingTheSmallestEigenvalueAndTheRepairOption()
    {
        var json = Scenarios.GoldOpenPitJson();
        json["correlations"] = new JsonArray(
            new JsonObject { ["a"] = "goldPrice", ["b"] = "dieselPrice", ["rank"] = 0.9 },
            new JsonObject { ["a"] = "dieselPrice", ["b"] = "miningCost", ["rank"] = 0.9 },
            new JsonObject { ["a"] = "goldPrice", ["b"] = "miningCost", ["rank"] = -0.9 });

        var run = await Cli.RunAsync("validate", _files.Write(json));

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("valid: ", Assert.Single(run.OutputLines), StringComparison.Ordinal);
        var warning = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warning: correlations contradict one another", warning, StringComparison.Ordinal);
        Assert.Contains("smallest eigenvalue -0.8", warning, StringComparison.Ordinal);
        Assert.Contains("--repair-correlations", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OfAnEmptyFile_SaysItIsEmpty()
    {
        var run = await Cli.RunAsync("validate", _files.Write(""));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the document is empty: a scenario is a JSON object", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("isFinalBlock", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SuggestsTheFieldAMisspeltOneMeans()
    {
        var text = File.ReadAllText(Scenarios.GoldOpenPit).Replace("\"discountRate\":", "\"discountRat\":", StringComparison.Ordinal);

        var run = await Cli.RunAsync("validate", _files.Write(text));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("discountRat is not a field of the scenario format; did you mean discountRate? (line ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_PrintsEveryProblem_OnStandardError_AndExitsWith2()
    {
        var json = Scenarios.GoldOpenPitJson();
        json["discountRate"] = 2;
        json["capital"]![0]!["period"] = 99;
        json["products"]![0]!["price"] = "gldPrice";
        json["tax"]!["rate"] = -0.3;
        var expected = ProblemsOf(json.ToJsonString());

        var run = await Cli.RunAsync("validate", _files.Write(json));

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.True(expected.Count >= 4, $"expected at least 4 problems, got {expected.Count}");
        Assert.All(expected, problem => Assert.Contains(problem, run.Error, StringComparison.Ordinal));
        Assert.Contains($"({expected.Count} problems)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_GivesTheLineAndPosition_OfMalformedJson()
    {
        var text = File.ReadAllText(Scenarios.GoldOpenPit).Replace("\"periods\": 10,", "\"periods\": 10,,", StringComparison.Ordinal);
        var problem = Assert.Single(ProblemsOf(text));

        var run = await Cli.RunAsync("validate", _files.Write(text));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("(line ", problem, StringComparison.Ordinal);
        Assert.Contains(problem, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RejectsUnknownFields()
    {
        var json = Scenarios.GoldOpenPitJson();
        json["discountRat"] = 0.05;

        var run = await Cli.RunAsync("validate", _files.Write(json));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("discountRat", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OfAMissingFile_ExitsWith2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.json");

        var run = await Cli.RunAsync("validate", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains(missing, run.Error, StringComparison.Ordinal);
    }

    /// <summary>What Core says is wrong with <paramref name="json"/>, as the CLI must print it.</summary>
    internal static IReadOnlyList<string> ProblemsOf(string json)
    {
        var e = Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json));
        return [.. e.Errors.Select(error => error.ToString())];
    }
}
