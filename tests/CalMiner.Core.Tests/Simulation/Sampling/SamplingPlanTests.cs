using CalMiner.Scenarios;
using CalMiner.Simulation.Sampling;
using static CalMiner.Tests.Simulation.Sampling.SamplingTestSupport;

namespace CalMiner.Tests.Simulation.Sampling;

public class SamplingPlanTests
{
    private static readonly string[] Names = ["goldPrice", "recovery", "miningCost", "grade"];

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4097)]
    [InlineData(10_007)]
    [InlineData(1_048_577)]
    public void LatinHypercube_HitsEveryStratumExactlyOncePerParameter(int n)
    {
        var plan = new SamplingPlan(Seed, SamplingMethod.LatinHypercube, n, Names);
        for (var p = 0; p < Names.Length; p++)
        {
            var u = new double[n];
            plan.Uniforms(p, 0, u);
            var ranks = Strata(plan, p);
            var hits = new int[n];
            for (var i = 0; i < n; i++)
            {
                // u lies in stratum ranks[i], [r/N, (r+1)/N], up to rounding, and strictly inside (0, 1).
                Assert.True(u[i] > 0 && u[i] < 1);
                Assert.True(Math.Abs(u[i] * n - (ranks[i] + 0.5)) <= 0.5 + 1e-9, $"parameter {p}, iteration {i}: u = {u[i]}, stratum {ranks[i]}");
                hits[ranks[i]]++;
            }

            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void LatinHypercube_PermutationsDifferBetweenParameters()
    {
        var plan = new SamplingPlan(Seed, SamplingMethod.LatinHypercube, 1000, Names);
        var first = Strata(plan, 0);
        var second = Strata(plan, 1);
        Assert.NotEqual(first, second);

        // Independent permutations have rank correlation near 0 (sd 1/√999 ≈ 0.032).
        var mean = 499.5;
        var correlation = first.Zip(second, (a, b) => (a - mean) * (b - mean)).Sum() / first.Sum(a => (a - mean) * (a - mean));
        Assert.InRange(correlation, -0.15, 0.15);
    }

    [Theory]
    [InlineData(SamplingMethod.MonteCarlo)]
    [InlineData(SamplingMethod.LatinHypercube)]
    public void Blocks_InAnyOrderSplitOrThread_GiveTheSameBits(SamplingMethod method)
    {
        const int Iterations = 3 * SamplingPlan.BlockSize + 123;
        var plan = new SamplingPlan(Seed, method, Iterations, Names);
        var whole = new double[Iterations];
        plan.Uniforms(2, 0, whole);

        var reversed = new double[Iterations];
        for (var b = plan.BlockCount - 1; b >= 0; b--)
        {
            var (start, count) = plan.Block(b);
            new SamplingPlan(Seed, method, Iterations, Names).Uniforms(2, start, reversed.AsSpan(start, count));
        }

        AssertBitwiseEqual(whole, reversed, "blocks in reverse order, each from a fresh plan");

        // Ranges that do not start on a block boundary, of awkward lengths.
        var pieces = new double[Iterations];
        for (var start = 0; start < Iterations; start += 1001)
        {
            plan.Uniforms(2, start, pieces.AsSpan(start, Math.Min(1001, Iterations - start)));
        }

        AssertBitwiseEqual(whole, pieces, "ranges of 1001");

        var parallel = new double[Iterations];
        Parallel.For(0, plan.BlockCount, new ParallelOptions { MaxDegreeOfParallelism = 4 }, b =>
        {
            var (start, count) = plan.Block(b);
            plan.Uniforms(2, start, parallel.AsSpan(start, count));
        });
        AssertBitwiseEqual(whole, parallel, "blocks on several threads");
    }

    [Theory]
    [InlineData(SamplingMethod.MonteCarlo)]
    [InlineData(SamplingMethod.LatinHypercube)]
    public void AddingRemovingOrReorderingParameters_LeavesAnothersUniformsUnchanged(SamplingMethod method)
    {
        const int Iterations = 5000;
        string[][] layouts = [["recovery"], ["goldPrice", "recovery"], ["recovery", "goldPrice", "grade"], ["a", "b", "c", "recovery"]];
        double[]? reference = null;
        foreach (var names in layouts)
        {
            var plan = new SamplingPlan(Seed, method, Iterations, names);
            var u = new double[Iterations];
            plan.Uniforms(Array.IndexOf(names, "recovery"), 0, u);
            reference ??= u;
            AssertBitwiseEqual(reference, u, string.Join(",", names));
        }
    }

    [Fact]
    public void MonteCarlo_UniformsDoNotDependOnTheNumberOfIterations()
    {
        var small = new double[5000];
        var large = new double[20_000];
        new SamplingPlan(Seed, SamplingMethod.MonteCarlo, small.Length, Names).Uniforms(0, 0, small);
        new SamplingPlan(Seed, SamplingMethod.MonteCarlo, large.Length, Names).Uniforms(0, 0, large);
        AssertBitwiseEqual(small, large.AsSpan(0, small.Length), "prefix");
    }

    [Fact]
    public void SeedsAndNames_GiveDifferentUniforms()
    {
        var a = Uniforms(1000, seed: 1, name: "x");
        var b = Uniforms(1000, seed: 2, name: "x");
        var c = Uniforms(1000, seed: 1, name: "y");
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Uniforms_ArePinned_SoThatStoredResultsStayReproducible()
    {
        // A regression pin, not a reference value: these bits must be the same on every machine, OS,
        // runtime and thread count; a change here changes every stored simulation result.
        var u = new double[3];
        new SamplingPlan(1, SamplingMethod.MonteCarlo, 10, ["goldPrice"]).Uniforms(0, 0, u);
        Assert.Equal([0x3FE479FA51CFAB39L, 0x3FE939EF5506D733L, 0x3FD9CC4D2FF392C2L], u.Select(BitConverter.DoubleToInt64Bits).ToArray());
    }

    [Fact]
    public void Ranks_AreOnlyForLatinHypercube()
    {
        var plan = new SamplingPlan(Seed, SamplingMethod.MonteCarlo, 10, Names);
        Assert.False(plan.HasStrata);
        Assert.Throws<InvalidOperationException>(() => plan.Strata(0, 0, new int[1]));
    }

    [Fact]
    public void Plan_RejectsBadArguments()
    {
        Assert.Throws<ArgumentException>(() => new SamplingPlan(Seed, SamplingMethod.MonteCarlo, 10, ["a", "a"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingPlan(Seed, SamplingMethod.MonteCarlo, 0, ["a"]));
        var plan = new SamplingPlan(Seed, SamplingMethod.MonteCarlo, 10, ["a"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Uniforms(1, 0, new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Uniforms(0, 5, new double[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Uniforms(0, -1, new double[1]));
        Assert.Equal((0, 10), plan.Block(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Block(1));
    }

    [Fact]
    public void Blocks_CoverTheIterationsOnce()
    {
        var plan = new SamplingPlan(Seed, SamplingMethod.MonteCarlo, 2 * SamplingPlan.BlockSize + 1, Names);
        Assert.Equal(3, plan.BlockCount);
        Assert.Equal((2 * SamplingPlan.BlockSize, 1), plan.Block(2));
        Assert.Equal(plan.Iterations, Enumerable.Range(0, plan.BlockCount).Sum(b => plan.Block(b).Count));
    }

    [Fact]
    public void Strata_ComputedInPiecesOnSeveralThreads_AreTheWholePermutation()
    {
        const int Iterations = 50_003;
        var plan = new SamplingPlan(Seed, SamplingMethod.LatinHypercube, Iterations, Names);
        var whole = Strata(plan, 1);
        var pieces = new int[Iterations];
        Parallel.For(0, (Iterations + 999) / 1000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, piece =>
        {
            var start = piece * 1000;
            plan.Strata(1, start, pieces.AsSpan(start, Math.Min(1000, Iterations - start)));
        });
        Assert.Equal(whole, pieces);
    }

    private static int[] Strata(SamplingPlan plan, int parameter)
    {
        var strata = new int[plan.Iterations];
        plan.Strata(parameter, 0, strata);
        return strata;
    }
}
