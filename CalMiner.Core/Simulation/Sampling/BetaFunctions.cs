using System.Runtime.CompilerServices;
using CalMiner.Numerics;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// The beta distribution's functions (log-gamma, regularized incomplete beta, quantile), built on
/// <see cref="PortableMath"/> so that samplers constructed from them are the same bits everywhere.
/// Shapes a, b &gt; 0; PERT distributions have a, b ≥ 1.
/// </summary>
internal static class BetaFunctions
{
    private const double HalfLogTwoPi = 0.91893853320467274178032973640562;

    /// <summary>
    /// ln Γ(x) for x &gt; 0: Stirling's series (to the x^-15 term) after shifting x to ≥ 10 with
    /// Γ(x) = Γ(x + n) / (x (x + 1) … (x + n - 1)); absolute error ~1e-14, relative ~1e-15 away from x = 1 and 2.
    /// </summary>
    public static double LogGamma(double x)
    {
        var shift = 0.0;
        if (x < 10.0)
        {
            var product = 1.0;
            while (x < 10.0)
            {
                product *= x;
                x += 1.0;
            }

            shift = PortableMath.Log(product);
        }

        var inv = 1.0 / x;
        var inv2 = inv * inv;
        var series = inv * (1.0 / 12 + inv2 * (-1.0 / 360 + inv2 * (1.0 / 1260 + inv2 * (-1.0 / 1680
            + inv2 * (1.0 / 1188 + inv2 * (-691.0 / 360360 + inv2 * (1.0 / 156 + inv2 * (-3617.0 / 122400))))))));
        return (x - 0.5) * PortableMath.Log(x) - x + HalfLogTwoPi + series - shift;
    }

    /// <summary>ln B(a, b).</summary>
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>The density of Beta(a, b) at x in (0, 1); <paramref name="logBeta"/> is ln B(a, b).</summary>
    public static double Density(double a, double b, double logBeta, double x) =>
        PortableMath.Exp((a - 1) * PortableMath.Log(x) + (b - 1) * PortableMath.Log(1 - x) - logBeta);

    /// <summary>The regularized incomplete beta function I_x(a, b): the CDF of Beta(a, b) at x.</summary>
    public static double Regularized(double a, double b, double logBeta, double x)
    {
        if (!(x > 0))
        {
            return double.IsNaN(x) ? x : 0.0;
        }

        if (x >= 1)
        {
            return 1.0;
        }

        // The continued fraction converges fast below the mean (roughly); above it use I_x(a,b) = 1 - I_{1-x}(b,a).
        return x < (a + 1) / (a + b + 2)
            ? LowerTail(a, b, logBeta, x)
            : 1.0 - LowerTail(b, a, logBeta, 1.0 - x);
    }

    /// <summary>
    /// I_x(a, b) evaluated directly by its continued fraction, with full relative precision when it is
    /// small; use it for a lower tail, and <c>LowerTail(b, a, logBeta, 1 - x)</c> for an upper tail.
    /// </summary>
    public static double LowerTail(double a, double b, double logBeta, double x)
    {
        if (!(x > 0))
        {
            return double.IsNaN(x) ? x : 0.0;
        }

        if (x >= 1)
        {
            return 1.0;
        }

        var front = PortableMath.Exp(a * PortableMath.Log(x) + b * PortableMath.Log(1 - x) - logBeta) / a;
        return front * ContinuedFraction(a, b, x);
    }

    // Modified Lentz evaluation of the continued fraction of I_x(a, b) (Numerical Recipes' betacf).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double ContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        const double Epsilon = 2.220446049250313e-16;
        const int MaxIterations = 100_000;

        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = 1.0 - qab * x / qap;
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1.0 / d;
        var h = d;
        for (var m = 1; m <= MaxIterations; m++)
        {
            var m2 = 2.0 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1.0 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1.0 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1.0 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1.0 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1.0) <= Epsilon)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>
    /// The x in [0, 1] with I_x(a, b) = <paramref name="p"/>, for a lower-tail probability p (use
    /// <c>1 - QuantileOfLowerTail(b, a, logBeta, q)</c> for an upper-tail probability q): safeguarded
    /// Halley iteration on the continued fraction, from <paramref name="guess"/> when it is in (0, 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double QuantileOfLowerTail(double a, double b, double logBeta, double p, double guess = double.NaN)
    {
        if (!(p > 0))
        {
            return double.IsNaN(p) ? p : 0.0;
        }

        if (p >= 1)
        {
            return 1.0;
        }

        double low = 0, high = 1;
        var x = guess > 0 && guess < 1 ? guess : InitialGuess(a, b, logBeta, p);
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var error = Regularized(a, b, logBeta, x) - p;
            if (error == 0)
            {
                return x;
            }

            if (error < 0)
            {
                low = x;
            }
            else
            {
                high = x;
            }

            var density = Density(a, b, logBeta, x);
            double next;
            if (density > 0 && double.IsFinite(density))
            {
                var step = error / density;
                var curvature = 1.0 - 0.5 * step * ((a - 1) / x - (b - 1) / (1 - x));
                if (curvature > 0.5 && curvature < 2.0)
                {
                    step /= curvature;
                }

                next = x - step;
            }
            else
            {
                next = double.NaN;
            }

            if (!(next > low && next < high))
            {
                next = 0.5 * (low + high);
            }

            if (Math.Abs(next - x) <= 2e-16 * x || high - low <= 4e-16 * high)
            {
                return next;
            }

            x = next;
        }

        return x;
    }

    // Where to start solving I_x(a, b) = p: the small-x asymptote x ≈ (p a B(a,b))^(1/a) (I_x ≈ x^a / (a B)),
    // kept inside the mean's side of the interval, where Halley's method takes over.
    private static double InitialGuess(double a, double b, double logBeta, double p)
    {
        var asymptote = PortableMath.Exp((PortableMath.Log(p) + PortableMath.Log(a) + logBeta) / a);
        var mean = a / (a + b);
        return asymptote > 0 && asymptote < mean ? asymptote : 0.5 * mean;
    }
}
