using CalMiner.Simulation.Statistics;

namespace CalMiner.Core.Tests.Simulation.Statistics;

public class ConvergenceTests
{
    [Fact]
    public void Checkpoints_ArePowersOfTwoAndTwentiethsOfTheRun()
    {
        var points = Convergence.Checkpoints(1000);

        int[] expected = [1, 2, 4, 8, 16, 32, 50, 64, 100, 128, 150, 200, 250, 256, 300, 350, 400, 450, 500, 512, 550, 600, 650, 700, 750, 800, 850, 900, 950, 1000];
        Assert.Equal(expected, points);
    }

    [Fact]
    public void RunningMean_EqualsTheMeanAndIntervalOfEachPrefix()
    {
        var values = Reference.Data(50_000, 8, 3);
        for (var i = 5; i < values.Length; i += 11)
        {
            values[i] = double.NaN;
        }

        var checkpoints = Convergence.Checkpoints(values.Length);
        var points = new ConvergencePoint[checkpoints.Length];

        Convergence.RunningMean(values, checkpoints, points);

        for (var c = 0; c < checkpoints.Length; c++)
        {
            var prefix = values.Take(checkpoints[c]).Where(x => !double.IsNaN(x)).ToArray();
            Assert.Equal(checkpoints[c], points[c].Iterations);
            Assert.Equal(prefix.Length, points[c].Present);
            var mean = prefix.Average();
            Assert.Equal(mean, points[c].Mean, 1e-12 * 1e8);
            if (prefix.Length > 1)
            {
                var half = 1.959963984540054 * Reference.SampleStandardDeviation(prefix) / Math.Sqrt(prefix.Length);
                Assert.Equal(half, points[c].HalfWidth, 1e-9 * half);
                Assert.Equal(mean - half, points[c].Lower, 1e-4);
            }
            else
            {
                Assert.True(double.IsNaN(points[c].HalfWidth));
            }
        }
    }

    [Fact]
    public void RunningMean_IsBitIdentical_OnOneThreadAndOnAllCores()
    {
        var values = Reference.Data(300_000, 12, 1);
        var checkpoints = Convergence.Checkpoints(values.Length);
        var one = new ConvergencePoint[checkpoints.Length];
        var all = new ConvergencePoint[checkpoints.Length];

        Convergence.RunningMean(values, checkpoints, one, maxDegreeOfParallelism: 1);
        Convergence.RunningMean(values, checkpoints, all);

        Assert.Equal(one, all);
    }

    [Fact]
    public void StopRule_ForTheMean_StopsOnlyWhenTheRelativeHalfWidthIsWithinTolerance()
    {
        // Mean about 2e7, sd 1e8: half-width 1.96e8/√20000 ≈ 1.39e6, about 7 % of the mean.
        var values = Reference.Data(20_000, 2, 3);
        var metric = ConvergenceMetric.Parse("npvAfterTax.mean");

        var loose = StopRule.Evaluate(values, metric, 0.10, 0.95);
        var tight = StopRule.Evaluate(values, metric, 0.01, 0.95);

        var mean = values.Average();
        var half = 1.959963984540054 * Reference.SampleStandardDeviation(values) / Math.Sqrt(values.Length);
        Assert.Equal(half / Math.Abs(mean), loose.RelativeHalfWidth, 1e-9);
        Assert.True(loose.Converged);
        Assert.False(tight.Converged);
        Assert.Equal(mean, tight.Estimate, 1e-3);
    }

    [Fact]
    public void StopRule_ForAPercentile_UsesTheOrderStatisticInterval()
    {
        var values = Reference.Data(10_000, 6, 0);
        var metric = ConvergenceMetric.Parse("npvAfterTax.p10");

        var decision = StopRule.Evaluate(values, metric, 0.05, 0.95);

        var sorted = Reference.SortedPresent(values);
        var spread = 1.959963984540054 * Math.Sqrt(10_000 * 0.1 * 0.9);
        var j = (int)Math.Floor(1000 - spread);
        var k = (int)Math.Ceiling(1000 + spread);
        Assert.Equal(sorted[j - 1], decision.Lower);
        Assert.Equal(sorted[k - 1], decision.Upper);
        Assert.Equal(Reference.PercentileInc(sorted, 0.1), decision.Estimate);
        Assert.InRange(decision.Estimate, decision.Lower, decision.Upper);
        Assert.Equal((sorted[k - 1] - sorted[j - 1]) / 2 / Math.Abs(decision.Estimate), decision.RelativeHalfWidth, 12);
        Assert.Equal(decision.RelativeHalfWidth <= 0.05, decision.Converged);
    }

    [Fact]
    public void StopRule_ForAPercentile_DoesNotStop_WhileTooFewValuesBoundTheInterval()
    {
        var values = Enumerable.Repeat(5.0, 10).ToArray();

        var decision = StopRule.Evaluate(values, ConvergenceMetric.Parse("npvAfterTax.p1"), 0.5, 0.95);

        Assert.False(decision.Converged);
        Assert.Equal(5, decision.Estimate);
        Assert.True(double.IsNaN(decision.Lower));
    }

    [Theory]
    [InlineData("npvAfterTax.p0")]
    [InlineData("npvAfterTax.p100")]
    [InlineData("npvAfterTax.median")]
    [InlineData("mean")]
    public void ConvergenceMetric_RejectsTextThatIsNotAMeanOrAPercentile(string text) =>
        Assert.Throws<FormatException>(() => ConvergenceMetric.Parse(text));

    [Fact]
    public void ConvergenceMetric_ReadsTheOutputAndThePercentile()
    {
        Assert.Equal(new ConvergenceMetric("irrAfterTax", false, 0.9), ConvergenceMetric.Parse("irrAfterTax.p90"));
        Assert.True(ConvergenceMetric.Parse("npvPreTax.mean").IsMean);
    }
}
