using CalMiner.Economics;
using CalMiner.Numerics;
using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>NPV, IRR and payback kernels. Absent results are NaN so that the simulation can store them in arrays.</summary>
internal static class CashFlowMath
{
    /// <summary>The IRR is searched in (−0.99, 10], i.e. for x = 1/(1 + r) in [1/11, 100).</summary>
    internal const double MinX = 1.0 / 11, MaxX = 100;

    public static double Npv(ReadOnlySpan<double> cashFlows, double rate, Discounting discounting)
    {
        var v = 1 / (1 + rate);
        var factor = discounting == Discounting.MidPeriod ? Math.Sqrt(v) : v;
        var npv = 0.0;
        foreach (var cashFlow in cashFlows)
        {
            npv += cashFlow * factor;
            factor *= v;
        }

        return npv;
    }

    /// <summary>The discount factor of period <paramref name="period"/>, (1 + r)^−(period + 1) or ^−(period + ½), the same bits on any machine.</summary>
    public static double DiscountFactor(int period, double rate, Discounting discounting) =>
        PortableMath.Pow(1 + rate, -(period + (discounting == Discounting.MidPeriod ? 0.5 : 1)));

    /// <summary>Newton starts from a 10 % rate, x = 1/1.1.</summary>
    public const double NewtonStart = 1 / 1.1;

    /// <summary>
    /// Newton's steps before the search takes over. Where it converges it settles in 4–8; where it has not settled by
    /// 16 it almost never does (flows whose roots lie close together), and the search finds the root. The simulation
    /// steps many iterations together, so one that keeps stepping holds up all the others with it.
    /// </summary>
    public const int NewtonIterations = 16;

    /// <summary>
    /// The largest rate in (−0.99, 10] at which the NPV changes sign, or NaN. With x = 1/(1 + r) the NPV is
    /// x·P(x) for the polynomial P(x) = Σ cfᵢ xⁱ whatever the timing, so the largest IRR is the smallest root
    /// of P in [1/11, 100) where P changes sign.
    /// </summary>
    /// <remarks>
    /// By Descartes' rule of signs, flows that change sign once have one positive root, and flows that change
    /// sign twice (construction, production, closure) have two or none. In both cases Newton's method from
    /// 10 % finds the answer cheaply, and the slope at the root proves it is the smallest: P has the sign of
    /// its lowest coefficient near 0 and leaves it at the first root. Any other case is scanned on a
    /// geometric grid, starting next to Newton's root where P provably keeps its sign below it. The
    /// simulation engine runs the same steps lane by lane, so both give the same root.
    /// </remarks>
    public static double Irr(ReadOnlySpan<double> cashFlows)
    {
        var signChanges = SignChanges(cashFlows, out var lowestSign);
        if (signChanges == 0)
        {
            return double.NaN;
        }

        var settled = Newton(cashFlows, out var x);
        if (settled && signChanges <= 2 && IsFirstRoot(cashFlows, x, signChanges, lowestSign))
        {
            return 1 / x - 1;
        }

        return RootSearch(cashFlows, signChanges, settled ? x : double.NaN);
    }

    /// <summary>
    /// What <see cref="Irr"/> does when Newton's method does not settle the answer, given the root Newton found (NaN
    /// for none); the simulation runs the same <see cref="IrrSearch"/> on many flows at once.
    /// </summary>
    internal static double RootSearch(ReadOnlySpan<double> cashFlows, int signChanges, double newtonRoot) =>
        Run(IrrSearch.For(cashFlows, signChanges, newtonRoot), cashFlows);

    /// <summary>Runs <paramref name="search"/> on the flows to its end; returns the IRR it finds, NaN for none.</summary>
    internal static double Run(IrrSearch search, ReadOnlySpan<double> cashFlows)
    {
        while (!search.Done)
        {
            if (search.NeedsBounds)
            {
                var (positiveA, negativeA) = Parts(cashFlows, search.BoundsLow);
                var (positiveB, negativeB) = Parts(cashFlows, search.BoundsHigh);
                search.TakeBounds(positiveA, negativeA, positiveB, negativeB);
            }
            else
            {
                search.TakePolynomial(Polynomial(cashFlows, search.Point));
            }
        }

        return search.Rate;
    }

    /// <summary>Newton's method on P from <see cref="NewtonStart"/>; false when it leaves x &gt; 0 or does not settle.</summary>
    internal static bool Newton(ReadOnlySpan<double> c, out double x)
    {
        x = NewtonStart;
        for (var i = 0; i < NewtonIterations; i++)
        {
            var (p, slope) = PolynomialAndSlope(c, x);
            var step = p / slope;
            var next = x - step;
            if (!(next > 0) || !double.IsFinite(next))
            {
                return false;
            }

            if (Math.Abs(next - x) <= 1e-15 * next)
            {
                x = next;
                return true;
            }

            x = next;
        }

        return false;
    }

    /// <summary>Whether the root <paramref name="x"/> that Newton found is the answer: in range, and the first sign change of P.</summary>
    internal static bool IsFirstRoot(ReadOnlySpan<double> c, double x, int signChanges, int lowestSign) =>
        x >= MinX && x < MaxX
        && (signChanges == 1 || Math.Sign(PolynomialAndSlope(c, x).Slope) == -lowestSign);

    /// <summary>P's positive and negative parts at x: P₊(x) = Σ max(cᵢ, 0)·xⁱ and P₋(x) = Σ max(−cᵢ, 0)·xⁱ, by Horner's rule.</summary>
    internal static (double Positive, double Negative) Parts(ReadOnlySpan<double> c, double x)
    {
        double positive = 0, negative = 0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            positive = positive * x + Math.Max(c[i], 0);
            negative = negative * x + Math.Max(-c[i], 0);
        }

        return (positive, negative);
    }

    /// <summary>
    /// The sign P provably keeps on all of (0, b], or 0 when that is not proven. With y = x/b, Abel's summation gives
    /// P(x) = Σₖ Dₖ·(yᵏ − yᵏ⁺¹) + Dₙ·yⁿ, where Dₖ = Σᵢ₍ᵢ≤ₖ₎ cᵢbⁱ is the running sum of the flows discounted at b; for
    /// x ≤ b every weight is ≥ 0, so where all the Dₖ share a sign, P has it too. Flows that cross zero again late in
    /// a project's life (a loss year, closure) keep their running sums on one side right up to the first root.
    /// </summary>
    internal static int SignUpTo(ReadOnlySpan<double> c, double b)
    {
        double power = 1, sum = 0, magnitude = 0, lowest = double.PositiveInfinity, highest = double.NegativeInfinity;
        foreach (var flow in c)
        {
            var term = flow * power;
            sum += term;
            magnitude += Math.Abs(term);
            (lowest, highest) = (Math.Min(lowest, sum), Math.Max(highest, sum));
            power *= b;
        }

        // Each running sum errs by less than 2n·2⁻⁵³ of Σ|cᵢ|bⁱ, as in IrrSearch.TakeBounds; NaN or ∞ proves nothing.
        var margin = 1e-12 * magnitude;
        return lowest > margin ? 1 : highest < -margin ? -1 : 0;
    }

    public static double Payback(ReadOnlySpan<double> cashFlows)
    {
        if (!AllFinite(cashFlows))
        {
            return double.NaN;
        }

        var cumulative = 0.0;
        var everNegative = false;
        for (var i = 0; i < cashFlows.Length; i++)
        {
            var previous = cumulative;
            cumulative += cashFlows[i];
            if (previous < 0 && cumulative >= 0)
            {
                return i + (-previous / cashFlows[i]);
            }

            everNegative |= cumulative < 0;
        }

        return everNegative ? double.NaN : 0;
    }

    /// <summary>How often the non-zero flows change sign, and the sign of the first non-zero flow.</summary>
    internal static int SignChanges(ReadOnlySpan<double> cashFlows, out int lowestSign)
    {
        var changes = 0;
        var last = 0;
        lowestSign = 0;
        foreach (var cashFlow in cashFlows)
        {
            if (!double.IsFinite(cashFlow))
            {
                // No rate discounts an infinite or undefined flow to zero.
                return 0;
            }

            var sign = Math.Sign(cashFlow);
            if (sign != 0)
            {
                changes += last != 0 && sign != last ? 1 : 0;
                last = sign;
                lowestSign = lowestSign == 0 ? sign : lowestSign;
            }
        }

        return changes;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>P(x) and P'(x) by Horner's rule.</summary>
    internal static (double Value, double Slope) PolynomialAndSlope(ReadOnlySpan<double> c, double x)
    {
        double p = 0, slope = 0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            slope = slope * x + p;
            p = p * x + c[i];
        }

        return (p, slope);
    }

    internal static double Polynomial(ReadOnlySpan<double> c, double x)
    {
        var p = 0.0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            p = p * x + c[i];
        }

        return p;
    }
}
