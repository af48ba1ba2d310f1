using System.Globalization;
using System.Text.Json.Nodes;
using CalMiner.Cli.Output;
using CalMiner.Simulation;

namespace CalMiner.Cli.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private static readonly string[] OutputNames =
        ["npvAfterTax", "irrAfterTax", "npvPreTax", "paybackYears", "peakFunding", "cashCostPerUnit", "aiscPerUnit"];

    private static readonly string[] StatisticNames =
    [
        "mean", "sd", "min", "max", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99",
        "probNegative", "var5", "cvar5", "presentFraction", "histogram", "cdf",
    ];

    private static readonly string[] UncertainInputs =
        ["goldPrice", "auRecovery", "miningCost", "processingCost", "dieselPrice", "gradeFactor", "initialCapitalFactor"];

    private readonly Scenarios _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Json_HasTheDocumentedShape()
    {
        var json = await SimulateJsonAsync(Scenarios.GoldOpenPit, "--iterations", "500");

        Assert.Equal(
            ["iterations", "seed", "sampling", "seconds", "stoppedEarly", "correlationsRepaired", "correlationsMaxChange", "outputs", "sensitivity", "tornado", "spider", "convergence"],
            json.Select(p => p.Key));
        Assert.Equal(500, (int)json["iterations"]!);
        Assert.Equal(20261126, (long)json["seed"]!);
        Assert.Equal("latinHypercube", (string?)json["sampling"]);
        Assert.InRange((double)json["seconds"]!, 0, 60);
        Assert.Equal(OutputNames, json["outputs"]!.AsObject().Select(p => p.Key));
        foreach (var (_, output) in json["outputs"]!.AsObject())
        {
            Assert.Equal(StatisticNames, output!.AsObject().Select(p => p.Key));
            Assert.Equal(["min", "binWidth", "counts"], output["histogram"]!.AsObject().Select(p => p.Key));
            Assert.Equal(101, output["cdf"]!.AsArray().Count);
        }

        var npv = json["outputs"]!["npvAfterTax"]!;
        Assert.Equal(500, npv["histogram"]!["counts"]!.AsArray().Sum(c => (int)c!));
        Assert.True((double)npv["p10"]! < (double)npv["p50"]! && (double)npv["p50"]! < (double)npv["p90"]!);
        Assert.Equal(UncertainInputs.Order(), json["sensitivity"]!.AsArray().Select(s => (string)s!["input"]!).Order());
        Assert.InRange(json["sensitivity"]!.AsArray().Sum(s => Math.Abs((double)s!["contributionToVariance"]!)), 0.999, 1.001);
        Assert.Equal(UncertainInputs.Length, json["tornado"]!.AsArray().Count);
        Assert.Equal(UncertainInputs.Length, json["spider"]!.AsArray().Count);
        Assert.Equal(500, (int)json["convergence"]!.AsArray()[^1]!["iterations"]!);
    }

    [Fact]
    public async Task TheSameSeed_GivesTheSameJson_OnAnyNumberOfThreads()
    {
        var first = await SimulateJsonAsync(Scenarios.GoldOpenPit, "-n", "700", "--seed", "7", "--threads", "1");
        var second = await SimulateJsonAsync(Scenarios.GoldOpenPit, "-n", "700", "--seed", "7", "--threads", "2");
        var other = await SimulateJsonAsync(Scenarios.GoldOpenPit, "-n", "700", "--seed", "8");

        Assert.Equal(7, (long)first["seed"]!);
        Assert.Equal(WithoutTime(first), WithoutTime(second));
        Assert.NotEqual(WithoutTime(first), WithoutTime(other));
    }

    [Fact]
    public async Task Defaults_ComeFromTheDocument_AndOptionsOverrideThem()
    {
        var document = Scenarios.GoldOpenPitJson();
        document["simulation"] = new JsonObject { ["iterations"] = 321, ["seed"] = 99, ["sampling"] = "monteCarlo" };
        var path = _files.Write(document);

        var defaults = await SimulateJsonAsync(path);
        var overridden = await SimulateJsonAsync(path, "-n", "123", "--seed", "5", "--sampling", "latinHypercube");

        Assert.Equal((321, 99L, "monteCarlo"), ((int)defaults["iterations"]!, (long)defaults["seed"]!, (string)defaults["sampling"]!));
        Assert.Equal((123, 5L, "latinHypercube"), ((int)overridden["iterations"]!, (long)overridden["seed"]!, (string)overridden["sampling"]!));
    }

    [Fact]
    public async Task Samples_WritesOneRowPerIteration_WithTheInputsAndTheOutputs()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"calminer-samples-{Guid.NewGuid():N}.csv");
        try
        {
            var run = await Cli.RunAsync("simulate", Scenarios.GoldOpenPit, "-n", "250", "--sampling", "monteCarlo", "--format", "json", "--samples", csv);

            Assert.True(run.ExitCode == 0, run.Error);
            var lines = File.ReadAllText(csv).Split("\r\n");
            Assert.Equal("", lines[^1]);
            var header = lines[0].Split(',');
            Assert.Equal(["iteration", .. UncertainInputs, .. OutputNames], header);
            var rows = lines[1..^1].Select(l => l.Split(',')).ToArray();
            Assert.Equal(250, rows.Length);
            Assert.Equal(Enumerable.Range(1, 250).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
            Assert.All(rows, row =>
            {
                Assert.Equal(header.Length, row.Length);
                Assert.All(row[1..], cell => Assert.True(cell.Length == 0 || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _), cell));
                Assert.All(row[1..(1 + UncertainInputs.Length)], cell => Assert.NotEmpty(cell));
            });

            // The mean of the written NPVs is the mean the JSON reports.
            var npv = Array.IndexOf(header, "npvAfterTax");
            var mean = rows.Average(r => double.Parse(r[npv], CultureInfo.InvariantCulture));
            Assert.Equal((double)JsonNode.Parse(run.Output)!["outputs"]!["npvAfterTax"]!["mean"]!, mean, 1e-6);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task Table_FitsIn120Columns_AndHasEverySection()
    {
        var run = await Cli.RunAsync("simulate", Scenarios.GoldOpenPit, "-n", "400");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(run.Error);
        Assert.All(run.OutputLines, line => Assert.True(line.Length <= 120, $"{line.Length}: {line}"));
        Assert.Contains("400 iterations, Latin Hypercube sampling, seed 20261126", run.Output, StringComparison.Ordinal);
        foreach (var heading in new[] { "Statistics", "Percentiles", "Sensitivity of the after-tax NPV", "Tornado: after-tax NPV" })
        {
            Assert.Contains(run.OutputLines, line => line.StartsWith(heading, StringComparison.Ordinal));
        }

        Assert.Contains(run.OutputLines, line => line.StartsWith("NPV after tax (USD M)", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, line => line.StartsWith("goldPrice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--iterations", "0")]
    [InlineData("--iterations", "100000001")]
    [InlineData("--iterations", "many")]
    [InlineData("--sampling", "foo")]
    [InlineData("--sampling", "lhs")]
    [InlineData("--sampling", "mc")]
    [InlineData("--threads", "0")]
    [InlineData("--seed", "x")]
    [InlineData("--format", "csv")]
    public async Task ABadOption_IsInvalidInput(params string[] option)
    {
        var run = await Cli.RunAsync(["simulate", Scenarios.GoldOpenPit, .. option]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingOrInvalidFile_IsInvalidInput_WithEveryProblemOnStandardError()
    {
        var document = Scenarios.GoldOpenPitJson();
        document["periods"] = 0;
        document["discountRate"] = -1;
        var text = document.ToJsonString();

        var invalid = await Cli.RunAsync("simulate", _files.Write(text), "-n", "10");
        var missing = await Cli.RunAsync("simulate", Path.Combine(Path.GetTempPath(), "no-such-scenario.json"));
        var samplesFolder = await Cli.RunAsync("simulate", Scenarios.GoldOpenPit, "-n", "10", "--samples", Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}", "s.csv"));

        Assert.Equal((2, 2, 2), (invalid.ExitCode, missing.ExitCode, samplesFolder.ExitCode));
        Assert.Empty(invalid.Output + missing.Output + samplesFolder.Output);
        Assert.All(ValidateCommandTests.ProblemsOf(text), problem => Assert.Contains(problem, invalid.Error, StringComparison.Ordinal));
        Assert.Contains("--samples", samplesFolder.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidCorrelationMatrix_IsInvalidInput_UnlessRepairIsAsked()
    {
        var document = Scenarios.GoldOpenPitJson();
        document["correlations"] = new JsonArray(
            new JsonObject { ["a"] = "goldPrice", ["b"] = "dieselPrice", ["rank"] = 0.9 },
            new JsonObject { ["a"] = "dieselPrice", ["b"] = "miningCost", ["rank"] = 0.9 },
            new JsonObject { ["a"] = "goldPrice", ["b"] = "miningCost", ["rank"] = -0.9 });
        var path = _files.Write(document);

        var rejected = await Cli.RunAsync("simulate", path, "-n", "200");
        var repaired = await Cli.RunAsync("simulate", path, "-n", "200", "--repair-correlations", "--format", "json");

        Assert.Equal(2, rejected.ExitCode);
        Assert.Empty(rejected.Output);
        Assert.Contains("smallest eigenvalue -0.8", rejected.Error, StringComparison.Ordinal);
        Assert.Contains("--repair-correlations", rejected.Error, StringComparison.Ordinal);
        Assert.True(repaired.ExitCode == 0, repaired.Error);
        Assert.True((bool)JsonNode.Parse(repaired.Output)!["correlationsRepaired"]!);
        Assert.InRange((double)JsonNode.Parse(repaired.Output)!["correlationsMaxChange"]!, 0.01, 1);
    }

    [Fact]
    public async Task Help_NamesTheSamplingMethods_AsTheScenarioDocumentDoes()
    {
        var help = await Cli.RunAsync("simulate", "--help");

        Assert.Contains("--sampling <monteCarlo|latinHypercube>", help.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("lhs", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_StopsTheRun_WithExitCode130()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var run = await Cli.RunAsync(new StringWriter(), cancelled.Token, "simulate", Scenarios.GoldOpenPit, "-n", "1000");

        Assert.Equal(130, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Equal("cancelled", run.Error.TrimEnd());
    }

    [Fact]
    public void Progress_IsSilent_ForShortRunsToARedirectedStream()
    {
        var error = new StringWriter();
        using (var progress = new ProgressBar(error, terminal: false, redirectedFrom: 100_000))
        {
            progress.Report(new SimulationProgress(SimulationStage.Evaluating, 10, 99_999));
        }

        Assert.Empty(error.ToString());
        Assert.Equal(
            "simulating [###############---------------]  50%  evaluating 500,000/1,000,000  1.5 s",
            ProgressBar.Line(new SimulationProgress(SimulationStage.Evaluating, 500_000, 1_000_000), TimeSpan.FromSeconds(1.5)));
    }

    private static string WithoutTime(JsonObject json)
    {
        var copy = json.DeepClone().AsObject();
        copy.Remove("seconds");
        return copy.ToJsonString();
    }

    private static async Task<JsonObject> SimulateJsonAsync(string path, params string[] options)
    {
        var run = await Cli.RunAsync(["simulate", path, "--format", "json", .. options]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(run.Error);
        return JsonNode.Parse(run.Output)!.AsObject();
    }
}
