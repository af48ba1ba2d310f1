using CalMiner.Numerics;
using CalMiner.Scenarios;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// Solves the percentile-defined forms of the scenario document for the parameters of their family:
/// normal and lognormal from two of p10/p50/p90 (closed form), triangular and PERT from p10, mode and p90
/// (one-dimensional root finding by bisection, which cannot fail to converge). Percentiles describe the
/// distribution before any truncation, which is carried over unchanged.
/// </summary>
internal static class DistributionSolver
{
    /// <summary>Φ⁻¹(0.9); the 10th percentile of a standard normal is its negative.</summary>
    private static readonly double Z90 = -NormalFunctions.Quantile(0.1);

    /// <summary>
    /// An equivalent distribution in mean/sd form (normal, lognormal) or min/mode/max form (triangular,
    /// PERT); any other distribution is returned as it is. The fields must have passed the document's
    /// field rules.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The percentiles have no solution in the family. <see cref="ArgumentException.ParamName"/> is the
    /// field at fault (e.g. "p90"), and the message starts with it.
    /// </exception>
    public static Distribution ToStandardForm(Distribution d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (!DistributionRules.IsPercentileForm(d))
        {
            return d;
        }

        return d.Type switch
        {
            DistributionType.Normal => Normal(d),
            DistributionType.Lognormal => Lognormal(d),
            DistributionType.Triangular => Triangular(d),
            DistributionType.Pert => Pert(d),
            _ => ThrowHelper.ThrowInvalidField<Distribution>("p10", $"is not used by a {d.Type.ToString().ToLowerInvariant()} distribution"),
        };
    }

    private static Distribution Normal(Distribution d)
    {
        var (low, high, zLow, zHigh, highField) = TwoPercentiles(d, x => x, positive: false);
        var sd = (high - low) / (zHigh - zLow);
        if (!(sd > 0 && double.IsFinite(sd)))
        {
            ThrowHelper.ThrowInvalidField(highField, "is too far from the other percentile to give a finite standard deviation");
        }

        return Standard(d) with { Mean = low - sd * zLow, Sd = sd };
    }

    private static Distribution Lognormal(Distribution d)
    {
        var (low, high, zLow, zHigh, highField) = TwoPercentiles(d, PortableMath.Log, positive: true);
        var sigma = (high - low) / (zHigh - zLow);
        var mu = low - sigma * zLow;
        var variance = sigma * sigma;
        var mean = PortableMath.Exp(mu + 0.5 * variance);
        var sd = mean * Math.Sqrt(PortableMath.ExpM1(variance));
        if (!(sigma > 0 && mean > 0 && double.IsFinite(mean) && sd > 0 && double.IsFinite(sd)))
        {
            ThrowHelper.ThrowInvalidField(highField, "gives a lognormal whose mean or standard deviation cannot be represented: the percentiles are too far apart");
        }

        return Standard(d) with { Mean = mean, Sd = sd };
    }

    // The two given percentiles (transformed to the underlying normal's scale) and their standard normal deviates.
    private static (double Low, double High, double ZLow, double ZHigh, string HighField) TwoPercentiles(
        Distribution d, Func<double, double> transform, bool positive)
    {
        Span<(string Field, double? Value, double Z)> all = [("p10", d.P10, -Z90), ("p50", d.P50, 0.0), ("p90", d.P90, Z90)];
        (string Field, double Value, double Z) first = ("", 0, 0), second = ("", 0, 0);
        var count = 0;
        foreach (var (field, value, z) in all)
        {
            if (value is not { } v)
            {
                continue;
            }

            if (!double.IsFinite(v))
            {
                ThrowHelper.ThrowInvalidField(field, "must be a finite number");
            }

            if (positive && v <= 0)
            {
                ThrowHelper.ThrowInvalidField(field, "must be > 0: a lognormal variable is positive");
            }

            if (count == 0)
            {
                first = (field, v, z);
            }
            else if (count == 1)
            {
                second = (field, v, z);
            }

            count++;
        }

        if (count < 2)
        {
            ThrowHelper.ThrowInvalidField(d.P90 is null ? "p90" : "p10", "is required: give two of p10, p50 and p90 (or mean and sd)");
        }

        if (count > 2)
        {
            ThrowHelper.ThrowInvalidField("p50", "must be left out: give only two of p10, p50 and p90");
        }

        if (!(second.Value > first.Value))
        {
            ThrowHelper.ThrowInvalidField(second.Field, $"must be > {first.Field}");
        }

        return (transform(first.Value), transform(second.Value), first.Z, second.Z, second.Field);
    }

    private static Distribution Triangular(Distribution d)
    {
        var (p10, mode, p90) = ModeAndPercentiles(d);
        double d1 = mode - p10, d2 = p90 - mode;

        // With width s = max - min, F(p10) = 0.1 and F(p90) = 0.9 give the distances from the mode to
        // min and max in closed form (each the square of the positive root of a quadratic in its square
        // root); the width must then equal their sum. g(s)/s decreases strictly from +∞, so there is
        // exactly one root, bracketed by doubling.
        double Left(double s) => Square(0.5 * (Math.Sqrt(0.1 * s) + Math.Sqrt(0.1 * s + 4 * d1)));
        double Right(double s) => Square(0.5 * (Math.Sqrt(0.1 * s) + Math.Sqrt(0.1 * s + 4 * d2)));
        double Excess(double s) => Left(s) + Right(s) - s;

        double low = 0, high = p90 - p10;
        while (Excess(high) > 0)
        {
            low = high;
            high *= 2;
            if (!double.IsFinite(high))
            {
                ThrowHelper.ThrowInvalidField("p90", "is too far from p10 to solve for a triangular distribution");
            }
        }

        var width = Bisect(Excess, low, high);
        return Standard(d) with { Min = mode - Left(width), Mode = mode, Max = mode + Right(width) };
    }

    private static Distribution Pert(Distribution d)
    {
        var (p10, mode, p90) = ModeAndPercentiles(d);
        var lambda = d.Lambda ?? ParameterSampler.DefaultPertLambda;
        if (!(lambda > 0 && double.IsFinite(lambda)))
        {
            ThrowHelper.ThrowInvalidField("lambda", "must be > 0");
        }

        // On the unit interval with the mode at m, the shapes are α = 1 + λm, β = 1 + λ(1 - m), and the
        // mode's position between the 10th and 90th percentiles, r(m) = (m - q10)/(q90 - q10), runs from
        // below 0 (m = 0) to above 1 (m = 1); solve r(m) = (mode - p10)/(p90 - p10) for m by bisection.
        var target = (mode - p10) / (p90 - p10);
        double Position(double m)
        {
            var (q10, q90) = PertDeciles(lambda, m);
            return (m - q10) / (q90 - q10) - target;
        }

        var relativeMode = Bisect(Position, 0, 1);
        var (q10, q90) = PertDeciles(lambda, relativeMode);
        var width = (p90 - p10) / (q90 - q10);
        var min = mode - relativeMode * width;
        if (!(double.IsFinite(width) && width > 0 && double.IsFinite(min)))
        {
            ThrowHelper.ThrowInvalidField("p90", "is too far from p10 to solve for a PERT distribution");
        }

        return Standard(d) with { Min = min, Mode = mode, Max = min + width, Lambda = d.Lambda };
    }

    // The 10th and 90th percentiles of the PERT on [0, 1] with mode m, each solved in its own small tail.
    private static (double Q10, double Q90) PertDeciles(double lambda, double m)
    {
        double alpha = 1 + lambda * m, beta = 1 + lambda * (1 - m);
        var logBeta = BetaFunctions.LogBeta(alpha, beta);
        return (BetaFunctions.QuantileOfLowerTail(alpha, beta, logBeta, 0.1),
                1.0 - BetaFunctions.QuantileOfLowerTail(beta, alpha, logBeta, 0.1));
    }

    private static (double P10, double Mode, double P90) ModeAndPercentiles(Distribution d)
    {
        if (d.P50 is not null)
        {
            ThrowHelper.ThrowInvalidField("p50", $"is not used by a {d.Type.ToString().ToLowerInvariant()} distribution: give p10, mode and p90");
        }

        var p10 = Required(d.P10, "p10");
        var mode = Required(d.Mode, "mode");
        var p90 = Required(d.P90, "p90");
        if (!(p90 > p10))
        {
            ThrowHelper.ThrowInvalidField("p90", "must be > p10");
        }

        if (!(mode >= p10 && mode <= p90))
        {
            ThrowHelper.ThrowInvalidField("mode", "must be within p10..p90");
        }

        return (p10, mode, p90);
    }

    private static double Required(double? value, string field)
    {
        if (value is not { } v)
        {
            return ThrowHelper.ThrowInvalidField<double>(field, "is required");
        }

        if (!double.IsFinite(v))
        {
            ThrowHelper.ThrowInvalidField(field, "must be a finite number");
        }

        return v;
    }

    // The root of a continuous f with f(low) and f(high) of opposite signs (or zero), to the last bit.
    private static double Bisect(Func<double, double> f, double low, double high)
    {
        var lowSign = Math.Sign(f(low));
        if (lowSign == 0)
        {
            return low;
        }

        while (true)
        {
            var middle = 0.5 * (low + high);
            if (middle <= low || middle >= high)
            {
                return middle;
            }

            var sign = Math.Sign(f(middle));
            if (sign == 0)
            {
                return middle;
            }

            if (sign == lowSign)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
    }

    // The distribution with its percentile fields cleared, keeping the type, lambda and truncation.
    private static Distribution Standard(Distribution d) => d with { P10 = null, P50 = null, P90 = null };

    private static double Square(double x) => x * x;
}
