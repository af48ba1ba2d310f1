using CalMiner.Core.Tests.Simulation.Statistics;
using CalMiner.Scenarios;
using CalMiner.Simulation.Correlation;
using CalMiner.Simulation.Sampling;
using CalMiner.Simulation.Statistics;
using MathNet.Numerics.Distributions;

namespace CalMiner.Core.Tests.Simulation.Correlation;

public class ImanConoverTests
{
    private const int N = 10_000;

    private static readonly string[] Names = ["goldPrice", "recovery", "grade", "capex", "opex", "throughput", "taxRate"];

    private static readonly CorrelationMatrix Target = CorrelationMatrix.FromPairs(
        Names,
        [
            new("goldPrice", "recovery", 0.8),
            new("goldPrice", "grade", -0.5),
            new("recovery", "grade", -0.4),
            new("capex", "opex", 0.3),
            new("throughput", "taxRate", -0.7),
            new("grade", "throughput", 0.2),
            new("capex", "taxRate", 0.55),
        ]);

    [Fact]
    public void TargetMatrix_OfTheseTests_IsValid() =>
        Assert.True(CorrelationMatrixValidation.Check(Target).IsValid);

    [Fact]
    public void Apply_AchievesEveryTargetRankCorrelationWithin002_AtTenThousandIterations()
    {
        var columns = Inputs(N, seed: 1);

        ImanConover.Apply(Memories(columns), Target, new ImanConoverWorkspace());

        AssertTargetsMet(columns, 0.02);
    }

    [Fact]
    public void Apply_OnlyReordersEachColumn()
    {
        var columns = Inputs(N, seed: 2);
        var before = columns.Select(c => c.Order().ToArray()).ToArray();

        ImanConover.Apply(Memories(columns), Target, new ImanConoverWorkspace());

        for (var j = 0; j < columns.Length; j++)
        {
            Assert.Equal(before[j], columns[j].Order().ToArray());
        }
    }

    [Fact]
    public void Apply_LeavesTheFirstColumnInPlace_WhenTheColumnsOwnOrderIsUsed()
    {
        var columns = Inputs(N, seed: 3);
        var first = (double[])columns[0].Clone();

        ImanConover.Apply(Memories(columns), Target, new ImanConoverWorkspace());

        Assert.Equal(first, columns[0]);
    }

    [Fact]
    public void Apply_WithGivenRanks_EqualsApplyRankingTheValues()
    {
        var ranked = Inputs(N, seed: 4);
        var given = ranked.Select(c => (double[])c.Clone()).ToArray();
        var ranks = given.Select(c =>
        {
            var r = new int[c.Length];
            BucketSort.Ranks(c, r, new double[c.Length], new int[c.Length]);
            return (ReadOnlyMemory<int>)r;
        }).ToArray();

        ImanConover.Apply(Memories(ranked), Target, new ImanConoverWorkspace());
        ImanConover.Apply(Memories(given), Target, new ImanConoverWorkspace(), ranks: ranks);

        Assert.Equal(ranked, given);
    }

    [Fact]
    public void Apply_IsBitIdentical_OnOneThreadAndOnAllCores_AndWithAReusedWorkspace()
    {
        var one = Inputs(N, seed: 5);
        var all = Inputs(N, seed: 5);
        var again = Inputs(N, seed: 5);
        var workspace = new ImanConoverWorkspace();

        ImanConover.Apply(Memories(one), Target, new ImanConoverWorkspace(), new ImanConoverOptions { MaxDegreeOfParallelism = 1 });
        ImanConover.Apply(Memories(Inputs(N / 3, seed: 9)), Target, workspace);
        ImanConover.Apply(Memories(all), Target, workspace);
        ImanConover.Apply(Memories(again), Target, workspace);

        Assert.Equal(one, all);
        Assert.Equal(one, again);
    }

    [Fact]
    public void Apply_WithAShuffleSeed_MeetsTheTargets_AndTheSameSeedGivesTheSameOrder()
    {
        var a = Inputs(N, seed: 6);
        var b = Inputs(N, seed: 6);
        var c = Inputs(N, seed: 6);

        ImanConover.Apply(Memories(a), Target, new ImanConoverWorkspace(), new ImanConoverOptions { ShuffleSeed = 42 });
        ImanConover.Apply(Memories(b), Target, new ImanConoverWorkspace(), new ImanConoverOptions { ShuffleSeed = 42 });
        ImanConover.Apply(Memories(c), Target, new ImanConoverWorkspace(), new ImanConoverOptions { ShuffleSeed = 43 });

        AssertTargetsMet(a, 0.02);
        Assert.Equal(a, b);
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public void Apply_WithAShuffleSeed_DoesNotDependOnTheOrderTheValuesArriveIn()
    {
        // Sorted columns are as far from random order as can be; the shuffled scores do not care.
        var sorted = Inputs(N, seed: 7).Select(c => c.Order().ToArray()).ToArray();
        var unsorted = Inputs(N, seed: 7);

        ImanConover.Apply(Memories(sorted), Target, new ImanConoverWorkspace(), new ImanConoverOptions { ShuffleSeed = 1 });
        ImanConover.Apply(Memories(unsorted), Target, new ImanConoverWorkspace(), new ImanConoverOptions { ShuffleSeed = 1 });

        Assert.Equal(unsorted, sorted);
        AssertTargetsMet(sorted, 0.02);
    }

    [Fact]
    public void Apply_HandlesAPerfectCorrelation()
    {
        var names = new[] { "a", "b", "c" };
        var target = CorrelationMatrix.FromPairs(names, [new("a", "b", 1)]);
        var columns = Inputs(N, seed: 8)[..3];

        ImanConover.Apply(Memories(columns), target, new ImanConoverWorkspace());

        Assert.Equal(1, Reference.Spearman(columns[0], columns[1]), 12);
        Assert.InRange(Reference.Spearman(columns[0], columns[2]), -0.02, 0.02);
    }

    [Theory]
    [InlineData((1 << 20) + 3, false, 0x384D46E36513B9CCUL)]
    [InlineData((1 << 20) + 3, true, 0x02D5660A635A074AUL)]
    [InlineData(2_400_001, false, 0xA36315B5E59D1C53UL)]
    [InlineData(2_400_001, true, 0xBC4AC6874F8DB001UL)]
    public void Reorder_GivesTheRanksItAlwaysGave_OnOneTwoThreeAndEightThreads(int rows, bool shuffle, ulong expected)
    {
        // Enough rows that the radix sort of one column is split among workers (six or seven columns on eight threads),
        // and then that the gathered scores of all seven columns are more than the workspace keeps. The
        // checksums are those of the code that sorted each whole column on one thread and kept no scores at that size.
        var plan = new SamplingPlan(11, SamplingMethod.LatinHypercube, rows, Names);
        foreach (var threads in new[] { 1, 2, 3, 8 })
        {
            var ranks = new int[Names.Length][];
            for (var j = 0; j < ranks.Length; j++)
            {
                plan.Strata(j, 0, ranks[j] = new int[rows]);
            }

            var options = new ImanConoverOptions { MaxDegreeOfParallelism = threads, ShuffleSeed = shuffle ? 5 : null };
            ImanConover.Reorder([.. ranks.Select(r => (Memory<int>)r)], Target, new ImanConoverWorkspace(), options);

            Assert.Equal(expected, Checksum(ranks));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RankKeys_GivesTheRanksOfAStableSortOfTheKeys_WithAnyNumberOfWorkers(int workers)
    {
        foreach (var n in new[] { 0, 1, 2, 3, 5, 1000, 65_537, 300_007 })
        {
            // A third of the keys anywhere in 32 bits, the rest in a few values, so that ties are many and most
            // high digits are shared.
            var random = new Random(n);
            var keys = new int[n];
            for (var i = 0; i < n; i++)
            {
                keys[i] = i % 3 == 0 ? (int)(uint)random.NextInt64(1L << 32) : (random.Next(-2, 3) << 16) | random.Next(4);
            }

            var expected = new int[n];
            var order = Enumerable.Range(0, n).OrderBy(i => (uint)keys[i]).ToArray();
            for (var r = 0; r < n; r++)
            {
                expected[order[r]] = r;
            }

            ImanConover.RankKeys(keys, new RadixScratch(new ulong[n], new int[ImanConover.RadixCounts(workers)]), workers, parallelism: -1);

            Assert.Equal(expected, keys);
        }
    }

    [Fact]
    public void PearsonTarget_ConvertsSpearmanToThePearsonOfNormalScores()
    {
        // For a bivariate normal, Spearman ρs = (6/π)·asin(r/2); the factor must reproduce r.
        var target = CorrelationMatrix.FromArray(new double[,] { { 1, 0.5 }, { 0.5, 1 } });

        var factor = ImanConover.PearsonTargetFactor(target);

        var r = (factor[2] * factor[0]) + (factor[3] * factor[1]);
        Assert.Equal(0.5, 6 / Math.PI * Math.Asin(r / 2), 12);
    }

    [Fact]
    public void NormalScores_AreTheSamplersInverseNormalCdf_BitForBit()
    {
        // An odd and an even length, and one long enough for several batches; the portable inverse makes the scores
        // the same bits on any machine.
        foreach (var n in new[] { 7, 1000, 100_001 })
        {
            var scores = new double[n];

            NormalScores.Fill(scores);

            for (var r = 0; r < n; r++)
            {
                var expected = r < (n + 1) / 2 ? NormalFunctions.Quantile((r + 1.0) / (n + 1.0)) : -NormalFunctions.Quantile((n - r) / (n + 1.0));
                Assert.Equal(BitConverter.DoubleToInt64Bits(n % 2 == 1 && r == n / 2 ? 0 : expected), BitConverter.DoubleToInt64Bits(scores[r]));
            }
        }
    }

    [Fact]
    public void NormalScores_AreAscendingAndSumToZero()
    {
        var scores = new double[1001];

        NormalScores.Fill(scores);

        Assert.Equal(scores.Order().ToArray(), scores);
        Assert.Equal(0, scores.Sum(), 12);
        Assert.Equal(0, scores[500]);
        Assert.Equal(Normal.InvCDF(0, 1, 1.0 / 1002), scores[0], 12);
    }

    internal static double[][] Inputs(int n, int seed)
    {
        var random = new Random(seed);
        var triangular = new Triangular(0.8, 0.95, 0.9);
        var columns = new double[Names.Length][];
        for (var j = 0; j < columns.Length; j++)
        {
            columns[j] = new double[n];
        }

        for (var i = 0; i < n; i++)
        {
            columns[0][i] = 1800 + (200 * Reference.Normal(random));
            columns[1][i] = triangular.InverseCumulativeDistribution(random.NextDouble());
            columns[2][i] = Math.Exp(0.3 * Reference.Normal(random));
            columns[3][i] = 400 + (200 * random.NextDouble());
            columns[4][i] = 30 + (5 * Reference.Normal(random));
            columns[5][i] = 10 + random.NextDouble();
            columns[6][i] = 0.25 + (0.05 * random.NextDouble());
        }

        return columns;
    }

    private static ulong Checksum(int[][] columns)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var x in columns.SelectMany(c => c))
        {
            hash = (hash ^ (uint)x) * 0x100000001B3UL;
        }

        return hash;
    }

    internal static Memory<double>[] Memories(double[][] columns) => [.. columns.Select(c => c.AsMemory())];

    private static void AssertTargetsMet(double[][] columns, double tolerance)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            for (var j = i + 1; j < columns.Length; j++)
            {
                var achieved = Reference.Spearman(columns[i], columns[j]);
                Assert.True(
                    Math.Abs(achieved - Target[i, j]) <= tolerance,
                    $"Spearman of {Names[i]} and {Names[j]} is {achieved:F4}, target {Target[i, j]}");
            }
        }
    }
}
