using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CalMiner.Numerics;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// The standard normal distribution function Φ and its inverse, built on <see cref="PortableMath"/> so
/// that they give the same bits everywhere.
/// </summary>
internal static class NormalFunctions
{
    private const double OneOverSqrtTwoPi = 0.398942280401432677939946059934;
    private const double SqrtThirtyTwo = 5.656854249492380195206754896838;

    /// <summary>
    /// Φ(x), after Cody's rational Chebyshev approximations (ACM TOMS 715, as in R's <c>pnorm</c>):
    /// full relative precision in the lower tail down to x ≈ -37.5, where it reaches 0.
    /// For a small upper tail use Φ(-x) rather than 1 - Φ(x).
    /// </summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        var y = Math.Abs(x);
        if (y <= 0.67448975)
        {
            var xsq = y > 1.1102230246251565e-16 ? x * x : 0.0;
            var xnum = 0.065682337918207449113 * xsq;
            var xden = xsq;
            xnum = (xnum + 2.2352520354606839287) * xsq;
            xden = (xden + 47.20258190468824187) * xsq;
            xnum = (xnum + 161.02823106855587881) * xsq;
            xden = (xden + 976.09855173777669322) * xsq;
            xnum = (xnum + 1067.6894854603709582) * xsq;
            xden = (xden + 10260.932208618978205) * xsq;
            return 0.5 + x * (xnum + 18154.981253343561249) / (xden + 45507.789335026729956);
        }

        double tail;
        if (y <= SqrtThirtyTwo)
        {
            var xnum = 1.0765576773720192317e-8 * y;
            var xden = y;
            xnum = (xnum + 0.39894151208813466764) * y;
            xden = (xden + 22.266688044328115691) * y;
            xnum = (xnum + 8.8831497943883759412) * y;
            xden = (xden + 235.38790178262499861) * y;
            xnum = (xnum + 93.506656132177855979) * y;
            xden = (xden + 1519.377599407554805) * y;
            xnum = (xnum + 597.27027639480026226) * y;
            xden = (xden + 6485.558298266760755) * y;
            xnum = (xnum + 2494.5375852903726711) * y;
            xden = (xden + 18615.571640885098091) * y;
            xnum = (xnum + 6848.1904505362823326) * y;
            xden = (xden + 34900.952721145977266) * y;
            xnum = (xnum + 11602.651437647350124) * y;
            xden = (xden + 38912.003286093271411) * y;
            tail = GaussianFactor(y) * ((xnum + 9842.7148383839780218) / (xden + 19685.429676859990727));
        }
        else if (y < 37.5193)
        {
            var xsq = 1.0 / (x * x);
            var xnum = 0.02307344176494017303 * xsq;
            var xden = xsq;
            xnum = (xnum + 0.21589853405795699) * xsq;
            xden = (xden + 1.28426009614491121) * xsq;
            xnum = (xnum + 0.1274011611602473639) * xsq;
            xden = (xden + 0.468238212480865118) * xsq;
            xnum = (xnum + 0.022235277870649807) * xsq;
            xden = (xden + 0.0659881378689285515) * xsq;
            xnum = (xnum + 0.001421619193227893466) * xsq;
            xden = (xden + 0.00378239633202758244) * xsq;
            var r = xsq * (xnum + 2.9112874951168792e-5) / (xden + 7.29751555083966205e-5);
            tail = GaussianFactor(y) * ((OneOverSqrtTwoPi - r) / y);
        }
        else
        {
            tail = 0.0;
        }

        return x > 0 ? 1.0 - tail : tail;
    }

    // e^(-y²/2), with y² split so that most of it is exact (Cody's device).
    private static double GaussianFactor(double y)
    {
        var ysq = Math.Truncate(y * 16.0) / 16.0;
        var del = (y - ysq) * (y + ysq);
        return PortableMath.Exp(-ysq * ysq * 0.5) * PortableMath.Exp(-del * 0.5);
    }

    /// <summary>
    /// Φ⁻¹(p) by Wichura's AS 241 (PPND16), relative error about 1e-16; -∞ at p ≤ 0, +∞ at p ≥ 1, NaN for NaN.
    /// </summary>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1))
        {
            return p <= 0 ? double.NegativeInfinity : p >= 1 ? double.PositiveInfinity : double.NaN;
        }

        var q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            var r = 0.180625 - q * q;
            return q * CentralNumerator(r) / CentralDenominator(r);
        }

        var rr = q < 0 ? p : 1.0 - p;
        var t = Math.Sqrt(-PortableMath.Log(rr));
        double value;
        if (t <= 5.0)
        {
            var s = t - 1.6;
            value = IntermediateNumerator(s) / IntermediateDenominator(s);
        }
        else
        {
            var s = t - 5.0;
            value = FarNumerator(s) / FarDenominator(s);
        }

        return q < 0 ? -value : value;
    }

    /// <summary>
    /// Φ⁻¹ lane by lane; the same bits as <see cref="Quantile(double)"/> for lanes in
    /// [<see cref="PortableMath.SmallestNormal"/>, 1). Other lanes give meaningless values: callers check first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Quantile(Vector256<double> p)
    {
        var q = p - Vector256.Create(0.5);
        var central = Vector256.LessThanOrEqual(Vector256.Abs(q), Vector256.Create(0.425));
        var r = Vector256.Create(0.180625) - q * q;
        var centralValue = q * CentralNumerator(r) / CentralDenominator(r);
        if (central.ExtractMostSignificantBits() == 0xF)
        {
            return centralValue;
        }

        return Vector256.ConditionalSelect(central, centralValue, TailQuantile(p));
    }

    /// <summary>
    /// Φ⁻¹ over a span; the same bits as <see cref="Quantile(double)"/> for every p in
    /// [<see cref="PortableMath.SmallestNormal"/>, 1) (callers check). Faster than four lanes at a time:
    /// the 15 % of p in the tails (which need a logarithm) are gathered and done four at a time, instead
    /// of half of all vectors taking the tail path for one or two of their lanes. <paramref name="scratch"/>
    /// holds the tail's indices: at least as long as <paramref name="p"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Quantiles(ReadOnlySpan<double> p, Span<double> z, Span<int> scratch)
    {
        ref var source = ref MemoryMarshal.GetReference(p);
        ref var target = ref MemoryMarshal.GetReference(z);
        var length = p.Length;
        var tails = 0;
        var i = 0;
        for (; i + 4 <= length; i += 4)
        {
            var v = Vector256.LoadUnsafe(ref source, (nuint)i);
            var q = v - Vector256.Create(0.5);
            var central = Vector256.LessThanOrEqual(Vector256.Abs(q), Vector256.Create(0.425));
            var r = Vector256.Create(0.180625) - q * q;
            (q * CentralNumerator(r) / CentralDenominator(r)).StoreUnsafe(ref target, (nuint)i);

            // Every lane's index is written and only the tail's are kept, so there is no branch to mispredict.
            var mask = (int)(~central.ExtractMostSignificantBits() & 0xF);
            scratch[tails] = i;
            tails += mask & 1;
            scratch[tails] = i + 1;
            tails += (mask >> 1) & 1;
            scratch[tails] = i + 2;
            tails += (mask >> 2) & 1;
            scratch[tails] = i + 3;
            tails += mask >> 3;
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref target, i) = Quantile(Unsafe.Add(ref source, i));
        }

        // Four tail values at a time; a short last group repeats its last index, which only recomputes it.
        for (var t = 0; t < tails; t += 4)
        {
            int i0 = scratch[t], i1 = scratch[Math.Min(t + 1, tails - 1)], i2 = scratch[Math.Min(t + 2, tails - 1)], i3 = scratch[Math.Min(t + 3, tails - 1)];
            var value = TailQuantile(Vector256.Create(Unsafe.Add(ref source, i0), Unsafe.Add(ref source, i1), Unsafe.Add(ref source, i2), Unsafe.Add(ref source, i3)));
            Unsafe.Add(ref target, i0) = value.GetElement(0);
            Unsafe.Add(ref target, i1) = value.GetElement(1);
            Unsafe.Add(ref target, i2) = value.GetElement(2);
            Unsafe.Add(ref target, i3) = value.GetElement(3);
        }
    }

    // The non-central branches of AS 241 for lanes with |p - 0.5| > 0.425; the same operations as the scalar code.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> TailQuantile(Vector256<double> p)
    {
        var q = p - Vector256.Create(0.5);
        var lower = Vector256.LessThan(q, Vector256<double>.Zero);
        var rr = Vector256.ConditionalSelect(lower, p, Vector256<double>.One - p);
        var t = Vector256.Sqrt(-PortableMath.Log(rr));
        var s = t - Vector256.Create(1.6);
        var value = IntermediateNumerator(s) / IntermediateDenominator(s);
        var far = Vector256.GreaterThan(t, Vector256.Create(5.0));
        if (far.ExtractMostSignificantBits() != 0)
        {
            var sf = t - Vector256.Create(5.0);
            value = Vector256.ConditionalSelect(far, FarNumerator(sf) / FarDenominator(sf), value);
        }

        return Vector256.ConditionalSelect(lower, -value, value);
    }

    // The six rational pieces of AS 241, each a degree-7 polynomial in Horner form; the scalar and
    // vector versions are the same expression so that they round identically.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CentralNumerator(double r) =>
        ((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r + 6.7265770927008700853e+4) * r
            + 4.5921953931549871457e+4) * r + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r
            + 1.3314166789178437745e+2) * r + 3.3871328727963666080e+0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CentralDenominator(double r) =>
        ((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r + 3.9307895800092710610e+4) * r
            + 2.1213794301586595867e+4) * r + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r
            + 4.2313330701600911252e+1) * r + 1.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double IntermediateNumerator(double r) =>
        ((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r
            + 1.27045825245236838258e+0) * r + 3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r
            + 4.63033784615654529590e+0) * r + 1.42343711074968357734e+0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double IntermediateDenominator(double r) =>
        ((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r
            + 1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r
            + 2.05319162663775882187e+0) * r + 1.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FarNumerator(double r) =>
        ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r
            + 2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r
            + 5.46378491116411436990e+0) * r + 6.65790464350110377720e+0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FarDenominator(double r) =>
        ((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r
            + 7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
            + 5.99832206555887937690e-1) * r + 1.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CentralNumerator(Vector256<double> r) =>
        ((((((Vector256.Create(2.5090809287301226727e+3) * r + Vector256.Create(3.3430575583588128105e+4)) * r + Vector256.Create(6.7265770927008700853e+4)) * r
            + Vector256.Create(4.5921953931549871457e+4)) * r + Vector256.Create(1.3731693765509461125e+4)) * r + Vector256.Create(1.9715909503065514427e+3)) * r
            + Vector256.Create(1.3314166789178437745e+2)) * r + Vector256.Create(3.3871328727963666080e+0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CentralDenominator(Vector256<double> r) =>
        ((((((Vector256.Create(5.2264952788528545610e+3) * r + Vector256.Create(2.8729085735721942674e+4)) * r + Vector256.Create(3.9307895800092710610e+4)) * r
            + Vector256.Create(2.1213794301586595867e+4)) * r + Vector256.Create(5.3941960214247511077e+3)) * r + Vector256.Create(6.8718700749205790830e+2)) * r
            + Vector256.Create(4.2313330701600911252e+1)) * r + Vector256<double>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> IntermediateNumerator(Vector256<double> r) =>
        ((((((Vector256.Create(7.74545014278341407640e-4) * r + Vector256.Create(2.27238449892691845833e-2)) * r + Vector256.Create(2.41780725177450611770e-1)) * r
            + Vector256.Create(1.27045825245236838258e+0)) * r + Vector256.Create(3.64784832476320460504e+0)) * r + Vector256.Create(5.76949722146069140550e+0)) * r
            + Vector256.Create(4.63033784615654529590e+0)) * r + Vector256.Create(1.42343711074968357734e+0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> IntermediateDenominator(Vector256<double> r) =>
        ((((((Vector256.Create(1.05075007164441684324e-9) * r + Vector256.Create(5.47593808499534494600e-4)) * r + Vector256.Create(1.51986665636164571966e-2)) * r
            + Vector256.Create(1.48103976427480074590e-1)) * r + Vector256.Create(6.89767334985100004550e-1)) * r + Vector256.Create(1.67638483018380384940e+0)) * r
            + Vector256.Create(2.05319162663775882187e+0)) * r + Vector256<double>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> FarNumerator(Vector256<double> r) =>
        ((((((Vector256.Create(2.01033439929228813265e-7) * r + Vector256.Create(2.71155556874348757815e-5)) * r + Vector256.Create(1.24266094738807843860e-3)) * r
            + Vector256.Create(2.65321895265761230930e-2)) * r + Vector256.Create(2.96560571828504891230e-1)) * r + Vector256.Create(1.78482653991729133580e+0)) * r
            + Vector256.Create(5.46378491116411436990e+0)) * r + Vector256.Create(6.65790464350110377720e+0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> FarDenominator(Vector256<double> r) =>
        ((((((Vector256.Create(2.04426310338993978564e-15) * r + Vector256.Create(1.42151175831644588870e-7)) * r + Vector256.Create(1.84631831751005468180e-5)) * r
            + Vector256.Create(7.86869131145613259100e-4)) * r + Vector256.Create(1.48753612908506148525e-2)) * r + Vector256.Create(1.36929880922735805310e-1)) * r
            + Vector256.Create(5.99832206555887937690e-1)) * r + Vector256<double>.One;
}
