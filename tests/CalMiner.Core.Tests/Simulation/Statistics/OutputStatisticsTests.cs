using CalMiner.Simulation.Statistics;

namespace CalMiner.Core.Tests.Simulation.Statistics;

public class OutputStatisticsTests
{
    private static readonly StatisticsOptions OneThread = new() { MaxDegreeOfParallelism = 1 };

    [Fact]
    public void Percentiles_EqualTheSortedReferenceExactly_ForEveryLengthFrom1To300()
    {
        for (var n = 1; n <= 300; n++)
        {
            for (var shape = 0; shape < 4; shape++)
            {
                var values = Reference.Data(n, (n * 7) + shape, shape);
                AssertMatchesReference(values, OutputStatistics.Compute(values, OneThread));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Percentiles_EqualTheSortedReferenceExactly_ForAMillionValues(int shape)
    {
        var values = Reference.Data(1_000_003, 42 + shape, shape);
        AssertMatchesReference(values, OutputStatistics.Compute(values));
    }

    [Fact]
    public void Percentiles_EqualTheSortedReference_WhenOneOutlierSqueezesTheDataIntoAFewBuckets()
    {
        // All but one value fall into the first 1/10^6 of the range, so the wanted buckets hold
        // hundreds of thousands of values and have to be bucketed again.
        var values = Reference.Data(400_000, 5, 0);
        values[123] = 1e9;
        AssertMatchesReference(values, OutputStatistics.Compute(values));
    }

    [Fact]
    public void Statistics_AreOverThePresentValues_WhenSomeAreNaN()
    {
        var values = Reference.Data(100_000, 9, 3);
        for (var i = 0; i < values.Length; i += 3)
        {
            values[i] = double.NaN;
        }

        var summary = OutputStatistics.Compute(values);

        Assert.Equal(100_000, summary.Iterations);
        Assert.Equal(66_666, summary.Present);
        Assert.Equal(0.66666, summary.PresentFraction, 12);
        AssertMatchesReference(values, summary);
    }

    [Fact]
    public void Statistics_AreRight_WhenTheLastValuesAreNaN()
    {
        // The values past the last whole vector are counted one by one, the NaNs among them skipped.
        var values = Reference.Data(100_003, 11, 1);
        values[^1] = values[^2] = double.NaN;

        AssertMatchesReference(values, OutputStatistics.Compute(values, OneThread));
    }

    [Fact]
    public void Statistics_AreNaN_WhenNoValueIsPresent()
    {
        var summary = OutputStatistics.Compute(new[] { double.NaN, double.NaN, double.NaN });

        Assert.Equal(3, summary.Iterations);
        Assert.Equal(0, summary.Present);
        Assert.True(double.IsNaN(summary.Mean));
        Assert.True(double.IsNaN(summary.P50));
        Assert.True(double.IsNaN(summary.ConditionalValueAtRisk));
        Assert.All(summary.Cdf, x => Assert.True(double.IsNaN(x)));
        Assert.Equal(0, summary.HistogramCounts.Sum());
    }

    [Fact]
    public void Statistics_OfAConstantColumn_HaveZeroSpreadAndOneFullBin()
    {
        var values = Enumerable.Repeat(7.5, 1000).ToArray();

        var summary = OutputStatistics.Compute(values);

        Assert.Equal(0, summary.StandardDeviation);
        Assert.All(summary.Percentiles, p => Assert.Equal(7.5, p));
        Assert.Equal(7.5, summary.ConditionalValueAtRisk);
        Assert.Equal(1000, summary.HistogramCounts[0]);
        Assert.Equal(1000, summary.HistogramCounts.Sum());
    }

    [Theory]
    [InlineData(1, 50)]
    [InlineData(999, 50)]
    [InlineData(1_000_001, 50)]
    [InlineData(20_000, 7)]
    public void HistogramCounts_AddUpToThePresentValues_AndMatchEqualWidthBins(int n, int bins)
    {
        var values = Reference.Data(n, n, 1);
        values[0] = double.NaN;

        var summary = OutputStatistics.Compute(values, new StatisticsOptions { HistogramBins = bins });

        Assert.Equal(bins, summary.HistogramCounts.Length);
        Assert.Equal(summary.Present, summary.HistogramCounts.Sum());
        if (summary.Present > 1)
        {
            var width = (summary.Max - summary.Min) / bins;
            var expected = new int[bins];
            foreach (var x in values.Where(x => !double.IsNaN(x)))
            {
                expected[Math.Min((int)((x - summary.Min) / width), bins - 1)]++;
            }

            Assert.Equal(expected, summary.HistogramCounts);
        }
    }

    [Fact]
    public void Summary_IsBitIdentical_OnOneThreadAndOnAllCores()
    {
        var values = Reference.Data(777_777, 3, 1);
        values[10] = double.NaN;

        var one = OutputStatistics.Compute(values, OneThread);
        var all = OutputStatistics.Compute(values);

        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Mean), BitConverter.DoubleToInt64Bits(all.Mean));
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.StandardDeviation), BitConverter.DoubleToInt64Bits(all.StandardDeviation));
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.ConditionalValueAtRisk), BitConverter.DoubleToInt64Bits(all.ConditionalValueAtRisk));
        Assert.Equal(one.Percentiles, all.Percentiles);
        Assert.Equal(one.Cdf, all.Cdf);
        Assert.Equal(one.HistogramCounts, all.HistogramCounts);
    }

    [Fact]
    public void ValueAtRisk_IsP5_AndCvarIsTheMeanOfTheValuesAtOrBelowIt()
    {
        // 1..100: P5 = 1 + 0.05·99 = 5.95, values ≤ 5.95 are 1..5, mean 3.
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToArray();

        var summary = OutputStatistics.Compute(values);

        Assert.Equal(5.95, summary.ValueAtRisk, 12);
        Assert.Equal(summary.P5, summary.ValueAtRisk);
        Assert.Equal(3, summary.ConditionalValueAtRisk);
        Assert.Equal(50.5, summary.P50);
        Assert.Equal(1, summary.Cdf[0]);
        Assert.Equal(100, summary.Cdf[100]);
    }

    [Fact]
    public void ProbabilityBelowZero_CountsStrictlyNegativeValues()
    {
        double[] values = [-2, -1, 0, 0, 1, 2, 3, double.NaN];

        var summary = OutputStatistics.Compute(values);

        Assert.Equal(2.0 / 7, summary.ProbabilityBelowZero, 15);
    }

    [Fact]
    public void Percentiles_FollowTheReference_WhenTheRangeIsInfinite()
    {
        var values = Reference.Data(5000, 1, 0);
        values[17] = double.PositiveInfinity;
        values[18] = double.NegativeInfinity;

        var summary = OutputStatistics.Compute(values);

        var sorted = Reference.SortedPresent(values);
        for (var i = 0; i < summary.Percentiles.Length; i++)
        {
            Assert.Equal(Reference.PercentileInc(sorted, Percentile.Standard[i]), summary.Percentiles[i]);
        }

        Assert.Equal(0, summary.HistogramCounts.Sum());
    }

    private static void AssertMatchesReference(double[] values, OutputSummary summary)
    {
        var sorted = Reference.SortedPresent(values);
        var n = sorted.Length;
        Assert.Equal(n, summary.Present);
        Assert.Equal(sorted[0], summary.Min);
        Assert.Equal(sorted[^1], summary.Max);
        for (var i = 0; i < summary.Percentiles.Length; i++)
        {
            Assert.Equal(Reference.PercentileInc(sorted, Percentile.Standard[i]), summary.Percentiles[i]);
        }

        for (var i = 0; i < summary.Cdf.Length; i++)
        {
            Assert.Equal(Reference.PercentileInc(sorted, i / 100.0), summary.Cdf[i]);
        }

        var valueAtRisk = Reference.PercentileInc(sorted, 0.05);
        Assert.Equal(valueAtRisk, summary.ValueAtRisk);
        var tail = sorted.Where(x => x <= valueAtRisk).ToArray();
        Assert.Equal(tail.Average(), summary.ConditionalValueAtRisk, Tolerance(tail));

        var mean = sorted.Average();
        Assert.Equal(mean, summary.Mean, Tolerance(sorted));
        if (n > 1)
        {
            var sd = Reference.SampleStandardDeviation(sorted);
            Assert.Equal(sd, summary.StandardDeviation, 1e-9 * Math.Max(1, sd));
        }
        else
        {
            Assert.True(double.IsNaN(summary.StandardDeviation));
        }

        Assert.Equal(sorted.Count(x => x < 0) / (double)n, summary.ProbabilityBelowZero, 15);
        Assert.Equal(n, summary.HistogramCounts.Sum());
    }

    private static double Tolerance(double[] values) => 1e-12 * Math.Max(1, values.Max(Math.Abs));
}
