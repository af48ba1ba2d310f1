using System.Runtime.Intrinsics;
using CalMiner.Core.Tests.Economics;
using CalMiner.Economics;
using CalMiner.Model;

namespace CalMiner.Core.Tests.Model;

/// <summary>The batched IRR searches of the simulation against the scalar model's search, flow by flow.</summary>
public sealed class IrrSearchBatchTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(30)]
    public void Batch_FindsTheScalarRoot_BitForBit(int periods)
    {
        var random = new Random(20261127 + periods);
        var batch = new IrrSearchBatch(periods);
        var expected = new List<double>();
        var flows = new double[periods];

        // More flows than slots and than the first queue, with every kind of search the scalar model makes: random
        // flows, and mine-like ones whose scan starts next to Newton's root.
        for (var i = 0; i < 1000; i++)
        {
            if (i % 2 == 0)
            {
                IrrScanTests.MineFlows(random, flows);
            }
            else
            {
                for (var t = 0; t < periods; t++)
                {
                    flows[t] = i % 10 == 1 && t % 3 == 1 ? 0 : (random.NextDouble() - 0.45) * Math.Pow(10, random.Next(0, 9));
                }
            }

            var signChanges = CashFlowMath.SignChanges(flows, out _);
            if (signChanges == 0)
            {
                continue;
            }

            var newtonRoot = CashFlowMath.Newton(flows, out var x) ? x : double.NaN;
            batch.Add(flows, signChanges, newtonRoot, expected.Count);
            expected.Add(CashFlowMath.RootSearch(flows, signChanges, newtonRoot));
        }

        var actual = new double[expected.Count];
        batch.Solve(actual);

        Assert.True(expected.Count > 100);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Batch_IsEmptyAfterSolving()
    {
        var batch = new IrrSearchBatch(3);
        batch.Add([-100, 60, 60], 1, double.NaN, 0);
        var first = new double[1];
        batch.Solve(first);

        var second = new[] { 42.0 };
        batch.Solve(second);

        Assert.Equal(CashFlowMath.Irr([-100, 60, 60]), first[0]);
        Assert.Equal(42.0, second[0]);
    }

    [Fact]
    public void LastPointAtOrBelow_EqualsALinearSearch_AtAndAroundEveryGridPoint()
    {
        var grid = IrrSearch.Grid;
        var values = new List<double> { double.NaN, double.NegativeInfinity, -1, 0, 1e-300, double.PositiveInfinity, 1e300 };
        for (var i = 0; i < grid.Length; i++)
        {
            values.AddRange([grid[i], Math.BitDecrement(grid[i]), Math.BitIncrement(grid[i])]);
            if (i + 1 < grid.Length)
            {
                values.Add(0.5 * (grid[i] + grid[i + 1]));
            }
        }

        var mismatches = new List<string>();
        for (var start = 0; start < values.Count; start += 8)
        {
            var chunk = new double[8];
            for (var k = 0; k < 8; k++)
            {
                chunk[k] = values[Math.Min(start + k, values.Count - 1)];
            }

            var found = IrrSearchBatch.LastPointAtOrBelow(Vector512.Create(chunk));
            for (var k = 0; k < 8; k++)
            {
                var expected = Array.FindLastIndex(grid, point => point <= chunk[k]);
                if (found[k] != expected)
                {
                    mismatches.Add($"{chunk[k]:R}: {found[k]} instead of {expected}");
                }
            }
        }

        Assert.True(values.Count > 4 * grid.Length);
        Assert.Empty(mismatches);
    }
}
