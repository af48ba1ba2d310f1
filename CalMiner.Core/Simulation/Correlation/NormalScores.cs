using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Correlation;

/// <summary>
/// Van der Waerden scores Φ⁻¹((r + 1)/(n + 1)) for ranks r = 0..n−1, with the inverse normal CDF
/// of Wichura's algorithm AS 241 (PPND16, relative error about 1e-16), several times faster than a
/// general-purpose inverse so that a million scores take a few milliseconds.
/// </summary>
internal static class NormalScores
{
    /// <summary>Writes the n scores, ascending and exactly antisymmetric (score[r] = −score[n−1−r]), so they sum to 0.</summary>
    public static void Fill(Span<double> scores) => Fill(scores, 0, (scores.Length + 1) / 2);

    /// <summary>Writes the scores of ranks <paramref name="first"/>..<paramref name="end"/>−1 (at most (n + 1)/2) and of their mirror ranks, so that parts can be filled in parallel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(Span<double> scores, int first, int end)
    {
        var n = scores.Length;
        var r = first;
        if (Vector256.IsHardwareAccelerated)
        {
            // Four ranks at a time where all four are in the central region: the same operations in the same order
            // as InverseStandardNormal, so the same bits.
            var step = Vector256.Create((double)Vector256<double>.Count);
            var rank = Vector256.Create(1.0, 2, 3, 4) + Vector256.Create((double)first);
            for (; r <= end - Vector256<double>.Count; r += Vector256<double>.Count, rank += step)
            {
                var q = (rank / (n + 1.0)) - Vector256.Create(0.5);
                if (!Vector256.LessThanOrEqualAll(Vector256.Abs(q), Vector256.Create(0.425)))
                {
                    for (var lane = 0; lane < Vector256<double>.Count; lane++)
                    {
                        Mirror(scores, r + lane, InverseStandardNormal((r + lane + 1.0) / (n + 1.0)));
                    }

                    continue;
                }

                var x = Vector256.Create(0.180625) - (q * q);
                var z = q * Polynomial(x, CentralNumerator) / Polynomial(x, CentralDenominator);
                for (var lane = 0; lane < Vector256<double>.Count; lane++)
                {
                    Mirror(scores, r + lane, z.GetElement(lane));
                }
            }
        }

        for (; r < end; r++)
        {
            Mirror(scores, r, InverseStandardNormal((r + 1.0) / (n + 1.0)));
        }

        if (n % 2 == 1 && end == (n + 1) / 2)
        {
            scores[n / 2] = 0;
        }
    }

    /// <summary>Φ⁻¹(p) for p in (0, 1) (AS 241).</summary>
    public static double InverseStandardNormal(double p)
    {
        var q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            var r = 0.180625 - (q * q);
            return q * Polynomial(r, CentralNumerator) / Polynomial(r, CentralDenominator);
        }

        var t = Math.Sqrt(-Math.Log(q < 0 ? p : 1 - p));
        var value = t <= 5
            ? Polynomial(t - 1.6, NearNumerator) / Polynomial(t - 1.6, NearDenominator)
            : Polynomial(t - 5, FarNumerator) / Polynomial(t - 5, FarDenominator);
        return q < 0 ? -value : value;
    }

    private static ReadOnlySpan<double> CentralNumerator =>
    [
        3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
        4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3,
    ];

    private static ReadOnlySpan<double> CentralDenominator =>
    [
        1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
        2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3,
    ];

    private static ReadOnlySpan<double> NearNumerator =>
    [
        1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
        1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4,
    ];

    private static ReadOnlySpan<double> NearDenominator =>
    [
        1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9,
    ];

    private static ReadOnlySpan<double> FarNumerator =>
    [
        6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
        2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ];

    private static ReadOnlySpan<double> FarDenominator =>
    [
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
    ];

    private static void Mirror(Span<double> scores, int r, double z)
    {
        scores[r] = z;
        scores[scores.Length - 1 - r] = -z;
    }

    /// <summary><see cref="Polynomial(double, ReadOnlySpan{double})"/> of four values.</summary>
    private static Vector256<double> Polynomial(Vector256<double> x, ReadOnlySpan<double> c)
    {
        var sum = Vector256.Create(c[^1]);
        for (var i = c.Length - 2; i >= 0; i--)
        {
            sum = (sum * x) + Vector256.Create(c[i]);
        }

        return sum;
    }

    /// <summary>c[0] + c[1]·x + … + c[7]·x⁷ by Horner's rule.</summary>
    private static double Polynomial(double x, ReadOnlySpan<double> c)
    {
        var sum = c[^1];
        for (var i = c.Length - 2; i >= 0; i--)
        {
            sum = (sum * x) + c[i];
        }

        return sum;
    }
}
