using CalMiner.Scenarios;

namespace CalMiner.Economics;

/// <summary>NPV, IRR and payback kernels. Absent results are NaN so that the simulation can store them in arrays.</summary>
internal static class CashFlowMath
{
    /// <summary>The IRR is searched in (−0.99, 10], i.e. for x = 1/(1 + r) in [1/11, 100).</summary>
    private const double MinX = 1.0 / 11, MaxX = 100;

    /// <summary>Grid points of the scan for the smallest root in x (the largest IRR); steps of about 3.5 % in 1 + r.</summary>
    private const int ScanPoints = 200;

    private static readonly double ScanRatio = Math.Pow(MaxX / MinX, 1.0 / ScanPoints);

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

    /// <summary>The discount factor of period <paramref name="period"/>.</summary>
    public static double DiscountFactor(int period, double rate, Discounting discounting) =>
        Math.Pow(1 + rate, -(period + (discounting == Discounting.MidPeriod ? 0.5 : 1)));

    /// <summary>
    /// The largest rate in (−0.99, 10] at which the NPV changes sign, or NaN. With x = 1/(1 + r) the NPV is
    /// x·P(x) for the polynomial P(x) = Σ cfᵢ xⁱ whatever the timing, so the largest IRR is the smallest root
    /// of P in [1/11, 100).
    /// </summary>
    public static double Irr(ReadOnlySpan<double> cashFlows)
    {
        var signChanges = SignChanges(cashFlows);
        if (signChanges == 0)
        {
            return double.NaN;
        }

        double low = MinX, pLow = Polynomial(cashFlows, low);
        if (pLow == 0)
        {
            return 1 / low - 1;
        }

        // Descartes' rule of signs: one sign change in the flows means one positive root, so the range is its bracket.
        if (signChanges == 1)
        {
            var pHigh = Polynomial(cashFlows, MaxX);
            return Math.Sign(pHigh) == Math.Sign(pLow) ? double.NaN : 1 / Root(cashFlows, low, pLow, MaxX) - 1;
        }

        for (var i = 1; i <= ScanPoints; i++)
        {
            var high = i == ScanPoints ? MaxX : low * ScanRatio;
            var pHigh = Polynomial(cashFlows, high);
            if (pHigh == 0 && high < MaxX)
            {
                return 1 / high - 1;
            }

            if (Math.Sign(pHigh) != Math.Sign(pLow))
            {
                return high == MaxX && pHigh == 0 ? double.NaN : 1 / Root(cashFlows, low, pLow, high) - 1;
            }

            (low, pLow) = (high, pHigh);
        }

        return double.NaN;
    }

    public static double Payback(ReadOnlySpan<double> cashFlows)
    {
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

    private static int SignChanges(ReadOnlySpan<double> cashFlows)
    {
        var changes = 0;
        var last = 0;
        foreach (var cashFlow in cashFlows)
        {
            var sign = Math.Sign(cashFlow);
            if (sign != 0)
            {
                changes += last != 0 && sign != last ? 1 : 0;
                last = sign;
            }
        }

        return changes;
    }

    private static double Polynomial(ReadOnlySpan<double> c, double x)
    {
        var p = 0.0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            p = p * x + c[i];
        }

        return p;
    }

    /// <summary>The root of P in [low, high] where P changes sign: Illinois regula falsi, which keeps the bracket.</summary>
    private static double Root(ReadOnlySpan<double> c, double low, double pLow, double high)
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
                if (side == -1)
                {
                    pHigh /= 2;
                }

                side = -1;
            }
            else
            {
                (high, pHigh) = (x, p);
                if (side == 1)
                {
                    pLow /= 2;
                }

                side = 1;
            }
        }

        return 0.5 * (low + high);
    }
}
