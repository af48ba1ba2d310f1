using CalMiner.Simulation.Statistics;

namespace CalMiner.Core.Tests.Simulation.Statistics;

public class BucketSortTests
{
    [Fact]
    public void Sort_EqualsAComparisonSort_AndKeepsTiesInIndexOrder_ForEveryLengthFrom0To300()
    {
        for (var n = 0; n <= 300; n++)
        {
            for (var shape = 0; shape < 4; shape++)
            {
                AssertSortsStably(Reference.Data(n, n + (1000 * shape), shape));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Sort_EqualsAComparisonSort_AndKeepsTiesInIndexOrder_ForTwoHundredThousandValues(int shape) =>
        AssertSortsStably(Reference.Data(200_001, 77, shape));

    [Fact]
    public void Sort_EqualsAComparisonSort_WhenValuesAreExponentiallySpread()
    {
        // Each level of bucketing separates only the largest values, so the depth limit is reached.
        var values = Enumerable.Range(0, 5000).Select(i => Math.Pow(2, -(i % 1000)) * (1 + (i / 1000))).ToArray();
        AssertSortsStably(values);
    }

    [Fact]
    public void Sort_PutsNaNFirst_LikeArraySort()
    {
        double[] values = [3, double.NaN, 1, 2, double.NaN, 0, 5, 4, 9, 8, 7, 6, 11, 10, 13, 12, 15, 14, 17, 16, 19, 18, 21, 20, 23, 22, 25, 24, 27, 26, 29, 28, 31, 30, 33];
        var sorted = new double[values.Length];
        var order = new int[values.Length];

        BucketSort.Sort(values, sorted, order);

        var expected = (double[])values.Clone();
        Array.Sort(expected);
        Assert.Equal(expected, sorted);
        Assert.Equal([1, 4], order[..2]);
    }

    [Fact]
    public void Ranks_AreAPermutation_ThatOrdersTheValues()
    {
        var values = Reference.Data(100_000, 4, 2);
        var ranks = new int[values.Length];

        BucketSort.Ranks(values, ranks, new double[values.Length], new int[values.Length]);

        Assert.Equal(Enumerable.Range(0, values.Length), ranks.Order());
        for (var i = 1; i < values.Length; i++)
        {
            Assert.Equal(values[i - 1].CompareTo(values[i]) < 0 || (values[i - 1] == values[i]), ranks[i - 1] < ranks[i]);
        }
    }

    [Fact]
    public void MidRanks_ShareTheMeanRankAmongTies()
    {
        double[] values = [10, 20, 20, 5, 20, 30];
        var ranks = new double[values.Length];

        BucketSort.MidRanks(values, ranks, new double[values.Length], new int[values.Length]);

        Assert.Equal([1, 3, 3, 0, 3, 5], ranks);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 8)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 8)]
    public void ChunkedMidRanks_EqualReferenceMidRanks_WithTheStableSortsOrderStatistics(int shape, int threads) =>
        AssertChunkedMidRanks(Reference.Data(300_007, 11 + shape, shape), threads);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void ChunkedMidRanks_EqualReferenceMidRanks_WhenBucketsCrowd(int threads)
    {
        // Values spread over many orders of magnitude fill a few sub-buckets, so those buckets take the comparison sort.
        var random = new Random(5);
        var values = Enumerable.Range(0, 200_003).Select(i => Math.Exp(40 * random.NextDouble()) * (i % 10 == 0 ? -1 : 1)).ToArray();
        AssertChunkedMidRanks(values, threads);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void ChunkedMidRanks_TieNegativeAndPositiveZero_AndTakeTheOrderStatisticOfTheStableSort(int threads)
    {
        var random = new Random(9);
        var values = Enumerable.Range(0, 150_001).Select(_ => random.Next(4) switch { 0 => 0.0, 1 => -0.0, 2 => random.NextDouble() - 0.5, _ => random.Next(3) - 1.0 }).ToArray();
        AssertChunkedMidRanks(values, threads);
    }

    private static void AssertChunkedMidRanks(double[] values, int threads)
    {
        var n = values.Length;
        var ranks = new double[n];
        int[] positions = [0, 1, n / 10, (n / 10) + 1, n / 2, n - 2, n - 1];
        var statistics = new double[positions.Length];

        BucketSort.MidRanks(values, ranks, new double[n], new int[n], threads, positions, statistics);

        Assert.Equal(Reference.MidRanks(values), ranks);
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        Assert.Equal(positions.Select(p => BitConverter.DoubleToInt64Bits(values[order[p]])), statistics.Select(BitConverter.DoubleToInt64Bits));
    }

    private static void AssertSortsStably(double[] values)
    {
        var sorted = new double[values.Length];
        var order = new int[values.Length];
        BucketSort.Sort(values, sorted, order);

        var expectedOrder = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        Assert.Equal(expectedOrder.Select(i => values[i]).ToArray(), sorted);
        Assert.Equal(expectedOrder, order);

        var valuesOnly = new double[values.Length];
        BucketSort.Sort(values, valuesOnly, []);
        Assert.Equal(sorted, valuesOnly);
    }
}
