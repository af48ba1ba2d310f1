using CalMiner.Economics;
using CalMiner.Model;

namespace CalMiner.Core.Tests.Economics;

/// <summary>The IRR scan skips grid points where the NPV provably keeps its sign; it must find what a plain scan finds.</summary>
public sealed class IrrScanTests
{
    [Fact]
    public void Irr_EqualsAPointByPointScan_OnFlowsWithManySignChanges()
    {
        var random = new Random(20261127);
        for (var trial = 0; trial < 3000; trial++)
        {
            var flows = new double[random.Next(2, 41)];
            for (var t = 0; t < flows.Length; t++)
            {
                // Mine-like magnitudes with frequent sign changes, and some flows near zero.
                flows[t] = (random.NextDouble() - 0.45) * Math.Pow(10, random.Next(0, 9));
            }

            var expected = ReferenceIrr(flows);
            var actual = CashFlowMath.Irr(flows);
            Assert.True(expected.Equals(actual), $"flows [{string.Join(", ", flows.Select(f => f.ToString("R")))}]: {actual:R}, a plain scan gives {expected:R}");
        }
    }

    [Fact]
    public void Irr_EqualsAPointByPointScan_OnMineFlowsWithLossYearsAndClosure()
    {
        var random = new Random(20261128);
        var startedAtNewtonsRoot = 0;
        var searched = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            var flows = new double[random.Next(8, 41)];
            MineFlows(random, flows);
            var signChanges = CashFlowMath.SignChanges(flows, out _);
            var expected = ReferenceIrr(flows);
            var actual = CashFlowMath.Irr(flows);
            Assert.True(expected.Equals(actual), $"flows [{string.Join(", ", flows.Select(f => f.ToString("R")))}]: {actual:R}, a plain scan gives {expected:R}");
            if (signChanges > 2 && CashFlowMath.Newton(flows, out var root))
            {
                searched++;
                startedAtNewtonsRoot += IrrSearch.For(flows, signChanges, root).Position.Low > 0 ? 1 : 0;
            }
        }

        // Most of these scans start next to the root, proven, so the comparison above covers that start.
        Assert.True(searched > 1000, $"{searched} searched");
        Assert.True(startedAtNewtonsRoot > searched / 2, $"{startedAtNewtonsRoot} of {searched} started at Newton's root");
    }

    [Fact]
    public void SignUpTo_OnlyClaimsASignThatPKeepsAllTheWayUp()
    {
        var random = new Random(20261129);
        var claims = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            var flows = new double[random.Next(1, 41)];
            if (trial % 2 == 0)
            {
                MineFlows(random, flows);
            }
            else
            {
                for (var t = 0; t < flows.Length; t++)
                {
                    flows[t] = (random.NextDouble() - 0.45) * Math.Pow(10, random.Next(0, 9));
                }
            }

            var b = IrrSearch.Grid[random.Next(IrrSearch.Grid.Length)];
            var sign = CashFlowMath.SignUpTo(flows, b);
            if (sign == 0)
            {
                continue;
            }

            claims++;
            for (var k = 1; k <= 200; k++)
            {
                var x = b * k / 200;
                Assert.True(Math.Sign(Polynomial(flows, x)) == sign, $"P({x:R}) for flows [{string.Join(", ", flows.Select(f => f.ToString("R")))}] against the sign {sign} claimed up to {b:R}");
            }
        }

        Assert.True(claims > 500, $"{claims} claims");
    }

    [Fact]
    public void SignUpTo_ProvesWhatThePartsCannot_AMineWithExpansionCapitalAndClosure()
    {
        // NPV is negative at 17 % and every higher rate, though the flows change sign four times; the IRR is near 15.7 %.
        double[] flows = [-400, 120, 110, 100, 100, 95, -150, 90, 85, 80, 75, 70, -40];
        var b = 1 / 1.17;

        Assert.Equal(4, CashFlowMath.SignChanges(flows, out _));
        Assert.Equal(-1, CashFlowMath.SignUpTo(flows, b));

        // The parts bound over [1/11, b] cannot see it: the expansion year's outflow counts against it in full.
        var (_, negativeAtLowest) = CashFlowMath.Parts(flows, CashFlowMath.MinX);
        var (positiveAtB, _) = CashFlowMath.Parts(flows, b);
        Assert.True(negativeAtLowest < positiveAtB);

        // Below the IRR P is positive: nothing is claimed there.
        var irr = CashFlowMath.Irr(flows);
        Assert.InRange(irr, 0.15, 0.16);
        Assert.Equal(0, CashFlowMath.SignUpTo(flows, 1 / (1 + irr - 0.01)));
    }

    /// <summary>Mine-like after-tax flows: construction, declining production with occasional loss years, closure.</summary>
    internal static void MineFlows(Random random, Span<double> flows)
    {
        flows[0] = -(300 + 200 * random.NextDouble()) * 1e6;
        for (var t = 1; t < flows.Length; t++)
        {
            flows[t] = random.NextDouble() < 0.15
                ? -15e6 * random.NextDouble()
                : (20 + 60 * random.NextDouble()) * 1e6 * (1 - 0.02 * t);
        }

        if (flows.Length > 2)
        {
            flows[^1] = -(20 + 30 * random.NextDouble()) * 1e6;
        }
    }

    // CashFlowMath.Irr without skipping grid points: Newton's method when it settles the answer, else every grid point,
    // and Newton's root when it lies in the first bracket.
    private static double ReferenceIrr(double[] c)
    {
        var signChanges = CashFlowMath.SignChanges(c, out var lowestSign);
        if (signChanges == 0)
        {
            return double.NaN;
        }

        var settled = CashFlowMath.Newton(c, out var x);
        if (settled && signChanges <= 2 && CashFlowMath.IsFirstRoot(c, x, signChanges, lowestSign))
        {
            return 1 / x - 1;
        }

        // A single sign change is bracketed by the whole range; the plain scan finds the same bracket's root only
        // when it is the first grid interval, so compare against the library there.
        if (signChanges == 1)
        {
            return CashFlowMath.Irr(c);
        }

        var ratio = Math.Pow(CashFlowMath.MaxX / CashFlowMath.MinX, 1.0 / 200);
        double low = CashFlowMath.MinX, pLow = Polynomial(c, low);
        if (pLow == 0)
        {
            return 1 / low - 1;
        }

        while (low < CashFlowMath.MaxX)
        {
            var rate = 1 / low - 1;
            var high = Math.Min(CashFlowMath.MaxX, Math.Min(low * ratio, 1 / (1 + rate - 0.01)));
            var pHigh = Polynomial(c, high);
            if (pHigh == 0 && high < CashFlowMath.MaxX)
            {
                return 1 / high - 1;
            }

            if (Math.Sign(pHigh) != Math.Sign(pLow))
            {
                return high == CashFlowMath.MaxX && pHigh == 0 ? double.NaN
                    : settled && x > low && x <= high ? 1 / x - 1
                    : 1 / Refine(c, low, pLow, high) - 1;
            }

            (low, pLow) = (high, pHigh);
        }

        return double.NaN;
    }

    // Illinois regula falsi on a bracket where P changes sign, as the library refines a root.
    private static double Refine(double[] c, double low, double pLow, double high)
    {
        var pHigh = Polynomial(c, high);
        var side = 0;
        var previous = double.NaN;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var x = (low * pHigh - high * pLow) / (pHigh - pLow);
            if (!(x > low && x < high))
            {
                x = 0.5 * (low + high);
            }

            var p = Polynomial(c, x);
            if (p == 0 || high - low <= 1e-15 * high || Math.Abs(x - previous) <= 1e-16 * x)
            {
                return x;
            }

            previous = x;
            if (Math.Sign(p) == Math.Sign(pLow))
            {
                (low, pLow) = (x, p);
                pHigh /= side == -1 ? 2 : 1;
                side = -1;
            }
            else
            {
                (high, pHigh) = (x, p);
                pLow /= side == 1 ? 2 : 1;
                side = 1;
            }
        }

        return 0.5 * (low + high);
    }

    private static double Polynomial(double[] c, double x)
    {
        var p = 0.0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            p = p * x + c[i];
        }

        return p;
    }
}
