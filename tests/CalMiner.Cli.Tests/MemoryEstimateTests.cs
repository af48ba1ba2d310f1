using System.Globalization;
using System.Text.Json.Nodes;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Cli.Tests;

/// <summary>
/// <see cref="MonteCarlo.EstimateMemory"/> against real runs: the CLI, in a process whose heap is capped at the
/// estimate, completes the run; capped at 40 % of it, the run runs out of memory. So the estimate is an upper
/// bound of the run's peak, and at most two and a half times it.
/// </summary>
public sealed class MemoryEstimateTests : IDisposable
{
    private readonly Scenarios _scenarios = new();

    public static TheoryData<string, int, string> Runs => new()
    {
        // The gold sample: seven uncertain inputs, three of them correlated.
        { "gold", 1_000_000, "latinHypercube" },
        { "gold", 1_000_000, "monteCarlo" },
        // Fifty-seven uncertain inputs, twenty of them correlated with one another: the rank correlation's stage is the peak.
        { "wide", 100_000, "latinHypercube" },
        // Five hundred and seven uncertain inputs, a hundred of them correlated with one another.
        { "many", 100_000, "latinHypercube" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Run_FitsInItsEstimate_AndNotIn40PercentOfIt(string scenario, int iterations, string sampling)
    {
        var path = scenario switch
        {
            "gold" => Scenarios.GoldOpenPit,
            "wide" => _scenarios.Write(WithInputs(50, 20)),
            _ => _scenarios.Write(WithInputs(500, 100)),
        };
        var method = sampling == "monteCarlo" ? SamplingMethod.MonteCarlo : SamplingMethod.LatinHypercube;
        var estimate = MonteCarlo.EstimateMemory(ScenarioDocument.Load(path), new SimulationOptions { Iterations = iterations, Sampling = method });

        var fits = await SimulateInHeapAsync(path, iterations, sampling, estimate);
        var tooSmall = await SimulateInHeapAsync(path, iterations, sampling, estimate * 2 / 5);

        Assert.True(fits.ExitCode == 0, $"estimate {estimate >> 20} MiB: the run failed in a heap of that size: {fits.Error}");
        Assert.True(tooSmall.ExitCode != 0, $"estimate {estimate >> 20} MiB: the run also fits in 40 % of it, so the estimate is too high");
        Assert.Contains("OutOfMemory", tooSmall.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_GrowsWithIterationsInputsAndKeptSamples()
    {
        var gold = ScenarioDocument.Load(Scenarios.GoldOpenPit);
        var small = MonteCarlo.EstimateMemory(gold, new SimulationOptions { Iterations = 100_000 });

        Assert.True(MonteCarlo.EstimateMemory(gold, new SimulationOptions { Iterations = 1_000_000 }) > small);
        Assert.True(MonteCarlo.EstimateMemory(gold, new SimulationOptions { Iterations = 100_000, KeepSamples = true }) > small);
        Assert.True(MonteCarlo.EstimateMemory(ScenarioDocument.Parse(WithInputs(50, 20).ToJsonString()), new SimulationOptions { Iterations = 100_000 }) > small);
    }

    public void Dispose() => _scenarios.Dispose();

    private static Task<CliRun> SimulateInHeapAsync(string path, int iterations, string sampling, long heapBytes) =>
        Cli.RunProcessAsync(
            new CliProcess(Environment: new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = heapBytes.ToString("x", CultureInfo.InvariantCulture) }),
            "simulate", path, "--iterations", iterations.ToString(CultureInfo.InvariantCulture), "--sampling", sampling, "--format", "json");

    /// <summary>The gold sample with <paramref name="extra"/> more uniform inputs, the first <paramref name="correlated"/> of them correlated with one another (and the sample's own correlations dropped).</summary>
    private static JsonObject WithInputs(int extra, int correlated)
    {
        var document = Scenarios.GoldOpenPitJson();
        var parameters = document["parameters"]!.AsObject();
        var correlations = new JsonArray();
        for (var i = 0; i < extra; i++)
        {
            parameters[$"x{i}"] = new JsonObject { ["value"] = 1, ["distribution"] = new JsonObject { ["type"] = "uniform", ["min"] = 0.9, ["max"] = 1.1 } };
            for (var j = 0; j < i && i < correlated; j++)
            {
                correlations.Add(new JsonObject { ["a"] = $"x{j}", ["b"] = $"x{i}", ["rank"] = 0.2 });
            }
        }

        document["correlations"] = correlations;
        return document;
    }
}
