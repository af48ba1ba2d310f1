using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Core.Tests;

/// <summary>Results with equal values are equal, lists and dictionaries inside them included.</summary>
public sealed class ResultEqualityTests
{
    private static readonly ScenarioDocument Gold = ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json"));

    [Fact]
    public void SimulationResults_OfTheSameRun_AreEqual_AndOfAnotherSeed_AreNot()
    {
        var options = new SimulationOptions { Iterations = 2_000, Seed = 5, KeepSamples = true };
        var first = MonteCarlo.Run(Gold, options);
        var again = MonteCarlo.Run(Gold, options);
        var other = MonteCarlo.Run(Gold, options with { Seed = 6 });

        Assert.NotSame(first, again);
        Assert.True(first == again);
        Assert.Equal(first.GetHashCode(), again.GetHashCode());
        Assert.Equal(first.Output(SimulationOutput.IrrAfterTax), again.Output(SimulationOutput.IrrAfterTax));
        Assert.Equal(first.Samples, again.Samples);
        Assert.True(first != other);
        Assert.NotEqual(first.Samples, other.Samples);
        Assert.NotEqual(first, first with { Spider = [.. first.Spider.Skip(1)] });
    }

    [Fact]
    public void Collections_AreComparedByContents_NaNEqualToNaN()
    {
        OutputDistribution Distribution(double[] percentiles) => new()
        {
            PresentFraction = 1, Mean = double.NaN, StandardDeviation = double.NaN, Min = 0, Max = 1,
            Percentiles = percentiles, ProbabilityNegative = 0, ValueAtRisk5 = 0, ConditionalValueAtRisk5 = 0,
            Histogram = [1, 2], Cdf = [0, 1],
        };

        Assert.Equal(Distribution([double.NaN, 2]), Distribution([double.NaN, 2]));
        Assert.NotEqual(Distribution([1, 2]), Distribution([1, 3]));
        Assert.Equal(
            new SimulationSamples(new Dictionary<string, double[]> { ["a"] = [1, double.NaN] }, new Dictionary<string, double[]>()),
            new SimulationSamples(new Dictionary<string, double[]> { ["a"] = [1, double.NaN] }, new Dictionary<string, double[]>()));
        Assert.NotEqual(
            new SimulationSamples(new Dictionary<string, double[]> { ["a"] = [1, 2] }, new Dictionary<string, double[]>()),
            new SimulationSamples(new Dictionary<string, double[]> { ["b"] = [1, 2] }, new Dictionary<string, double[]>()));
        Assert.Equal(new SpiderSeries("x", [new(0.1, 2, 3)]), new SpiderSeries("x", [new(0.1, 2, 3)]));
    }

    [Fact]
    public void Evaluations_OfTheSameScenario_AreEqual_PeriodsAndColumnsIncluded()
    {
        var first = EconomicModel.Evaluate(Gold);
        var again = EconomicModel.Evaluate(Gold);

        Assert.True(first == again);
        Assert.Equal(first.GetHashCode(), again.GetHashCode());
        Assert.Equal(first.Periods[1], again.Periods[1]);
        Assert.Equal(first.ToColumns(), again.ToColumns());
        Assert.True(first.ToColumns()[0] == again.ToColumns()[0]);
        Assert.NotEqual(first, first with { Periods = [.. first.Periods.Skip(1)] });
    }
}
