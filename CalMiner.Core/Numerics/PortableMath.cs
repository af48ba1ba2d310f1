using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Numerics;

/// <summary>
/// Exponential, logarithm and the sine of small angles built from IEEE-754 additions, multiplications and
/// divisions only (after Sun's fdlibm <c>e_exp.c</c>, <c>e_log.c</c> and <c>k_sin.c</c>, all under 1 ulp), the
/// first two in scalar and <see cref="Vector256{T}"/> forms that perform the same operations in the same order.
/// So every sample, discount factor and correlation target is the same bits whether it is computed in a vector
/// body or a scalar tail, on any CPU, operating system or .NET runtime — which <c>Math.Exp</c> (the C
/// library's) and <see cref="Vector256.Exp(Vector256{double})"/> do not promise. The core bans the C library's.
/// </summary>
internal static class PortableMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;

    // exp: x is clamped to this range, beyond which the result is +∞ or 0 anyway.
    private const double ExpHigh = 710.0;
    private const double ExpLow = -746.0;
    private const double P1 = 1.66666666666666019037e-01;
    private const double P2 = -2.77777777770155933842e-03;
    private const double P3 = 6.61375632143793436117e-05;
    private const double P4 = -1.65339022054652515390e-06;
    private const double P5 = 4.13813679705723846039e-08;

    // 1.5 · 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to the nearest integer
    // (ties to even), and the low bits of the sum are that integer.
    private const double RoundingShift = 6755399441055744.0;

    private const double Lg1 = 6.666666666666735130e-01;
    private const double Lg2 = 3.999999999940941908e-01;
    private const double Lg3 = 2.857142874366239149e-01;
    private const double Lg4 = 2.222219843214978396e-01;
    private const double Lg5 = 1.818357216161805012e-01;
    private const double Lg6 = 1.531383769920937332e-01;
    private const double Lg7 = 1.479819860511658591e-01;
    private const double Two54 = 18014398509481984.0;

    // sin: x + x³·(S1 + x²·S2 + … + x¹⁰·S6) on [−π/4, π/4].
    private const double S1 = -1.66666666666666324348e-01;
    private const double S2 = 8.33333333332248946124e-03;
    private const double S3 = -1.98412698298579493134e-04;
    private const double S4 = 2.75573137070700676789e-06;
    private const double S5 = -2.50507602534068634195e-08;
    private const double S6 = 1.58969099521155010221e-10;

    /// <summary>The smallest positive normal double, 2^-1022; the vector logarithm needs arguments at least this large.</summary>
    public const double SmallestNormal = 2.2250738585072014e-308;

    /// <summary>e^x, within 1 ulp; +∞ above 709.78, 0 below -745.13, NaN for NaN.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        x = x > ExpHigh ? ExpHigh : x;
        x = x < ExpLow ? ExpLow : x;
        var k = x * InvLn2 + RoundingShift - RoundingShift;
        var hi = x - k * Ln2Hi;
        var lo = k * Ln2Lo;
        var r = hi - lo;
        var t = r * r;
        var c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
        var y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);

        // 2^k in two factors, each a normal double, so that the product underflows gradually with a single
        // rounding. The exponents are split and converted in double arithmetic, where every step is exact,
        // so that the vector version needs no 64-bit arithmetic shift (which AVX2 lacks).
        var k1 = Math.Floor(k * 0.5);
        return y * PowerOfTwo(k1) * PowerOfTwo(k - k1);
    }

    // 2^k for an integer k in [-1022, 1023], built from its exponent bits.
    private static double PowerOfTwo(double k) =>
        BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(k + (RoundingShift + 1023)) - BitConverter.DoubleToInt64Bits(RoundingShift)) << 52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> PowerOfTwo(Vector256<double> k) =>
        (((k + Vector256.Create(RoundingShift + 1023)).AsInt64() - Vector256.Create(BitConverter.DoubleToInt64Bits(RoundingShift))) << 52).AsDouble();

    /// <summary>e^x lane by lane; the same bits as <see cref="Exp(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        var nan = ~Vector256.Equals(x, x);
        x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpHigh)), Vector256.Create(ExpHigh), x);
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpLow)), Vector256.Create(ExpLow), x);
        var k = x * Vector256.Create(InvLn2) + Vector256.Create(RoundingShift) - Vector256.Create(RoundingShift);
        var hi = x - k * Vector256.Create(Ln2Hi);
        var lo = k * Vector256.Create(Ln2Lo);
        var r = hi - lo;
        var t = r * r;
        var c = r - t * (Vector256.Create(P1) + t * (Vector256.Create(P2) + t * (Vector256.Create(P3) + t * (Vector256.Create(P4) + t * Vector256.Create(P5)))));
        var y = Vector256<double>.One - ((lo - (r * c) / (Vector256.Create(2.0) - c)) - hi);
        var k1 = Vector256.Floor(k * Vector256.Create(0.5));
        var result = y * PowerOfTwo(k1) * PowerOfTwo(k - k1);
        return Vector256.ConditionalSelect(nan, x, result);
    }

    /// <summary>ln x, within 1 ulp; -∞ at 0, NaN below 0 and for NaN, +∞ at +∞.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsPositiveInfinity(x))
        {
            return x == 0 ? double.NegativeInfinity : x > 0 ? x : double.NaN;
        }

        long k = 0;
        if (x < SmallestNormal)
        {
            x *= Two54;
            k = -54;
        }

        var bits = BitConverter.DoubleToInt64Bits(x);
        var hx = bits >> 32;
        k += (hx >> 20) - 1023;
        hx &= 0x000FFFFF;

        // Scale the significand into [√2/2, √2) and take f = m - 1.
        var i = (hx + 0x95F64) & 0x100000;
        bits = ((hx | (i ^ 0x3FF00000)) << 32) | (bits & 0xFFFFFFFFL);
        k += i >> 20;
        var f = BitConverter.Int64BitsToDouble(bits) - 1.0;
        var dk = (double)k;
        var s = f / (2.0 + f);
        var z = s * s;
        var w = z * z;
        var t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
        var t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
        var r = t2 + t1;
        if (((hx - 0x6147A) | (0x6B851 - hx)) > 0)
        {
            var hfsq = 0.5 * f * f;
            return dk * Ln2Hi - ((hfsq - (s * (hfsq + r) + dk * Ln2Lo)) - f);
        }

        return dk * Ln2Hi - ((s * (f - r) - dk * Ln2Lo) - f);
    }

    /// <summary>
    /// ln x lane by lane; the same bits as <see cref="Log(double)"/> for every lane that is a finite
    /// double ≥ <see cref="SmallestNormal"/>. Other lanes give meaningless values: callers check first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x)
    {
        // x is positive, so its bits are non-negative and logical shifts (which AVX2 has) do.
        var bits = x.AsInt64();
        var hx = bits >>> 32;
        var k = (hx >>> 20) - Vector256.Create(1023L);
        hx &= Vector256.Create(0x000FFFFFL);
        var i = (hx + Vector256.Create(0x95F64L)) & Vector256.Create(0x100000L);
        bits = ((hx | (i ^ Vector256.Create(0x3FF00000L))) << 32) | (bits & Vector256.Create(0xFFFFFFFFL));
        k += i >>> 20;
        var f = bits.AsDouble() - Vector256<double>.One;

        // |k| < 2^51, so the rounding-shift trick converts it exactly, as the scalar (double) cast does.
        var dk = (k + Vector256.Create(BitConverter.DoubleToInt64Bits(RoundingShift))).AsDouble() - Vector256.Create(RoundingShift);
        var s = f / (Vector256.Create(2.0) + f);
        var z = s * s;
        var w = z * z;
        var t1 = w * (Vector256.Create(Lg2) + w * (Vector256.Create(Lg4) + w * Vector256.Create(Lg6)));
        var t2 = z * (Vector256.Create(Lg1) + w * (Vector256.Create(Lg3) + w * (Vector256.Create(Lg5) + w * Vector256.Create(Lg7))));
        var r = t2 + t1;
        var hfsq = Vector256.Create(0.5) * f * f;
        var near = dk * Vector256.Create(Ln2Hi) - ((hfsq - (s * (hfsq + r) + dk * Vector256.Create(Ln2Lo))) - f);
        var far = dk * Vector256.Create(Ln2Hi) - ((s * (f - r) - dk * Vector256.Create(Ln2Lo)) - f);
        var useNear = Vector256.GreaterThan((hx - Vector256.Create(0x6147AL)) | (Vector256.Create(0x6B851L) - hx), Vector256<long>.Zero);
        return Vector256.ConditionalSelect(useNear.AsDouble(), near, far);
    }

    /// <summary>ln(1 + x), accurate for small x (Goldberg's correction of ln(1 + x) by the rounding of 1 + x).</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Log(u) * (x / (u - 1.0));
    }

    /// <summary>e^x - 1, accurate for small x (Kahan's correction of e^x - 1 by ln of the rounded e^x).</summary>
    public static double ExpM1(double x)
    {
        var u = Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        var um1 = u - 1.0;
        return um1 == -1.0 || double.IsPositiveInfinity(u) ? um1 : um1 * (x / Log(u));
    }

    /// <summary>x^y for x &gt; 0, as e^(y ln x).</summary>
    public static double Pow(double x, double y) => Exp(y * Log(x));

    /// <summary>sin x for |x| ≤ π/4, within 1 ulp.</summary>
    /// <exception cref="ArgumentOutOfRangeException">|x| is more than π/4 (the callers need no range reduction).</exception>
    public static double Sin(double x)
    {
        if (!(Math.Abs(x) <= Math.PI / 4))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(x), "must be within [-pi/4, pi/4]");
        }

        // Below 2⁻²⁷ sin x rounds to x (which keeps the sign of a zero).
        if (Math.Abs(x) < 7.450580596923828125e-9)
        {
            return x;
        }

        var z = x * x;
        var v = z * x;
        var r = S2 + (z * (S3 + (z * (S4 + (z * (S5 + (z * S6)))))));
        return x + (v * (S1 + (z * r)));
    }
}
