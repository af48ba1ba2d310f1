using System.Text.Json;
using System.Text.Json.Nodes;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Core.Tests.Simulation;

public sealed class SimulationJsonTests
{
    [Fact]
    public void NonFiniteStatistics_AreWrittenAsNull_AndTheRestAsNumbers()
    {
        var result = new SimulationResult
        {
            Iterations = 3,
            Seed = 1,
            Sampling = SamplingMethod.MonteCarlo,
            Outputs = new Dictionary<string, OutputDistribution>
            {
                ["irrAfterTax"] = new()
                {
                    PresentFraction = 0, Mean = double.NaN, StandardDeviation = double.NaN, Min = double.NaN, Max = double.PositiveInfinity,
                    Percentiles = [.. Enumerable.Repeat(double.NaN, 9)],
                    ProbabilityNegative = 0, ValueAtRisk5 = double.NaN, ConditionalValueAtRisk5 = double.NaN, Histogram = [0, 0], Cdf = [double.NaN, 1],
                },
            },
            Sensitivity = [new InputInfluence("goldPrice", double.NaN, 0, double.NaN)],
            Tornado = [],
            Spider = [],
            Convergence = [],
        };

        var text = result.ToJson();
        var json = JsonNode.Parse(text)!;

        Assert.Null(json["seconds"]);
        Assert.False(json.AsObject().ContainsKey("seconds"));
        Assert.Equal("monteCarlo", (string?)json["sampling"]);
        var irr = json["outputs"]!["irrAfterTax"]!.AsObject();
        Assert.All(new[] { "mean", "sd", "min", "max", "p1", "p50", "p99", "var5", "cvar5" }, name =>
        {
            Assert.True(irr.ContainsKey(name), name);
            Assert.Null(irr[name]);
        });
        Assert.Equal(0, (double)irr["presentFraction"]!);
        Assert.Null(irr["histogram"]!["binWidth"]);
        Assert.Null(irr["cdf"]![0]);
        Assert.Equal(1, (double)irr["cdf"]![1]!);
        Assert.Null(json["sensitivity"]![0]!["rankCorrelation"]);
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(result.ToJson(seconds: 0.25)).RootElement.GetProperty("seconds").ValueKind);
    }
}
