using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CalMiner.Numerics;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// An inverse CDF with its parameters compiled in. <see cref="Quantile"/> takes any u: below or at 0 it
/// gives the lower end of the support, at or above 1 the upper end, NaN for NaN. <see cref="QuantileInside"/>
/// is the vector form for lanes strictly inside (0, 1) and gives the same bits as <see cref="Quantile"/>.
/// </summary>
internal interface IQuantileKernel
{
    double Quantile(double u);

    Vector256<double> QuantileInside(Vector256<double> u);
}

/// <summary>
/// A kernel of the form x = G(v, Φ⁻¹(v)) with v = c0 + c1 u mapped by <see cref="UnitInterval.Map(double, double, double)"/>
/// (the normal family, and PERT through its table in z), whose spans are done in two passes so that
/// Φ⁻¹ can gather its tail lanes.
/// </summary>
internal interface INormalBasedKernel : IQuantileKernel
{
    double C0 { get; }

    double C1 { get; }

    /// <summary>G for lanes with v = Map(u) and z = Φ⁻¹(v); the same bits as the scalar <see cref="IQuantileKernel.Quantile"/>.</summary>
    Vector256<double> FromStandardNormal(Vector256<double> v, Vector256<double> z);
}

/// <summary>Runs a kernel over a span: vectors of 4 where all lanes are inside (0, 1), the scalar form elsewhere.</summary>
internal static class QuantileDriver
{
    /// <summary>
    /// destination[i] = Q(u[i]) for every i. <paramref name="destination"/> may be <paramref name="u"/>
    /// itself (in place), but must not otherwise overlap it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Quantiles<TKernel>(in TKernel kernel, ReadOnlySpan<double> u, Span<double> destination)
        where TKernel : struct, IQuantileKernel
    {
        if (destination.Length < u.Length)
        {
            ThrowDestinationTooShort();
        }

        ref var source = ref MemoryMarshal.GetReference(u);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var length = (nuint)u.Length;
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= length; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref source, i);
                var inside = Vector256.GreaterThan(v, Vector256<double>.Zero) & Vector256.LessThan(v, Vector256<double>.One);
                if (inside.ExtractMostSignificantBits() == 0xF)
                {
                    kernel.QuantileInside(v).StoreUnsafe(ref target, i);
                }
                else
                {
                    for (nuint j = i; j < i + 4; j++)
                    {
                        Unsafe.Add(ref target, j) = kernel.Quantile(Unsafe.Add(ref source, j));
                    }
                }
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref target, i) = kernel.Quantile(Unsafe.Add(ref source, i));
        }
    }

    /// <summary>
    /// As <see cref="Quantiles{TKernel}"/>, for kernels built on Φ⁻¹: in chunks, first v and Φ⁻¹(v) for the
    /// whole chunk (<see cref="NormalFunctions.Quantiles"/>), then x. The same bits as the scalar form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantilesViaNormal<TKernel>(in TKernel kernel, ReadOnlySpan<double> u, Span<double> destination)
        where TKernel : struct, INormalBasedKernel
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            Quantiles(in kernel, u, destination);
            return;
        }

        if (destination.Length < u.Length)
        {
            ThrowDestinationTooShort();
        }

        const int Chunk = 256;
        Span<double> v = stackalloc double[Chunk];
        Span<double> z = stackalloc double[Chunk];
        Span<int> scratch = stackalloc int[Chunk];
        ref var vs = ref MemoryMarshal.GetReference(v);
        ref var zs = ref MemoryMarshal.GetReference(z);
        double c0 = kernel.C0, c1 = kernel.C1;
        for (var start = 0; start < u.Length; start += Chunk)
        {
            var count = Math.Min(Chunk, u.Length - start);
            var whole = count & ~3;
            ref var source = ref Unsafe.Add(ref MemoryMarshal.GetReference(u), start);
            ref var target = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), start);

            // Lanes outside (0, 1) take v = 0.5 here and are redone by the scalar form below.
            for (nuint i = 0; i < (nuint)whole; i += 4)
            {
                var x = Vector256.LoadUnsafe(ref source, i);
                var inside = Vector256.GreaterThan(x, Vector256<double>.Zero) & Vector256.LessThan(x, Vector256<double>.One);
                Vector256.ConditionalSelect(inside, UnitInterval.Map(c0, c1, x), Vector256.Create(0.5)).StoreUnsafe(ref vs, i);
            }

            NormalFunctions.Quantiles(v[..whole], z, scratch);

            // Read u before writing x at the same place, so that destination may be u itself.
            for (nuint i = 0; i < (nuint)whole; i += 4)
            {
                var x = Vector256.LoadUnsafe(ref source, i);
                var inside = Vector256.GreaterThan(x, Vector256<double>.Zero) & Vector256.LessThan(x, Vector256<double>.One);
                if (inside.ExtractMostSignificantBits() == 0xF)
                {
                    kernel.FromStandardNormal(Vector256.LoadUnsafe(ref vs, i), Vector256.LoadUnsafe(ref zs, i)).StoreUnsafe(ref target, i);
                }
                else
                {
                    for (var j = i; j < i + 4; j++)
                    {
                        Unsafe.Add(ref target, j) = kernel.Quantile(Unsafe.Add(ref source, j));
                    }
                }
            }

            for (var i = whole; i < count; i++)
            {
                Unsafe.Add(ref target, i) = kernel.Quantile(Unsafe.Add(ref source, i));
            }
        }
    }

    private static void ThrowDestinationTooShort() =>
        throw new ArgumentException("The destination is shorter than the input.", "destination");
}

/// <summary>Where inside (0, 1) the continuous kernels evaluate their standard quantile.</summary>
internal static class UnitInterval
{
    /// <summary>The largest double below 1; a random stream's largest uniform.</summary>
    public const double BelowOne = Xoshiro256StarStar.OneMinusHalfUlp;

    /// <summary>
    /// v = c0 + c1 u, kept in [2^-1022, 1 - 2^-53]: rounding may take a truncated distribution's v to 0
    /// or 1, whose quantiles are infinite; and below 2^-1022 the vector logarithm does not apply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Map(double c0, double c1, double u)
    {
        var v = c0 + c1 * u;
        v = v < PortableMath.SmallestNormal ? PortableMath.SmallestNormal : v;
        return v > BelowOne ? BelowOne : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Map(double c0, double c1, Vector256<double> u)
    {
        var v = Vector256.Create(c0) + Vector256.Create(c1) * u;
        v = Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256.Create(PortableMath.SmallestNormal)), Vector256.Create(PortableMath.SmallestNormal), v);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256.Create(BelowOne)), Vector256.Create(BelowOne), v);
    }

    /// <summary>x kept in [low, high] (written as compare-and-select so that scalar and vector agree even on signed zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Clamp(double x, double low, double high)
    {
        x = x < low ? low : x;
        return x > high ? high : x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Clamp(Vector256<double> x, double low, double high)
    {
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(low)), Vector256.Create(low), x);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(high)), Vector256.Create(high), x);
    }

    /// <summary>The value of a quantile function at u outside (0, 1): the support's ends, or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Edge(double u, double low, double high) => u <= 0 ? low : u >= 1 ? high : double.NaN;
}

/// <summary>Always the same value, whatever u is.</summary>
internal readonly struct ConstantKernel(double value) : IQuantileKernel
{
    public double Quantile(double u) => value;

    public Vector256<double> QuantileInside(Vector256<double> u) => Vector256.Create(value);
}

/// <summary>
/// The normal family: x = location + scale · Φ⁻¹(c0 + c1 u), exponentiated for a lognormal, kept in
/// [low, high]. (c0, c1) = (0, 1) untruncated; truncation to [a, b] maps u onto [F(a), F(b)], or, when
/// the interval lies in the upper half, onto the upper tail probabilities with scale negated, so that
/// far upper tails keep their precision and x still increases with u.
/// </summary>
internal readonly struct NormalFamilyKernel(double c0, double c1, double location, double scale, double low, double high, bool exponentiate)
    : INormalBasedKernel
{
    public double C0 => c0;

    public double C1 => c1;

    public double Quantile(double u)
    {
        if (!(u > 0 && u < 1))
        {
            return UnitInterval.Edge(u, low, high);
        }

        var x = location + scale * NormalFunctions.Quantile(UnitInterval.Map(c0, c1, u));
        x = exponentiate ? PortableMath.Exp(x) : x;
        return UnitInterval.Clamp(x, low, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> QuantileInside(Vector256<double> u)
    {
        var v = UnitInterval.Map(c0, c1, u);
        return FromStandardNormal(v, NormalFunctions.Quantile(v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> FromStandardNormal(Vector256<double> v, Vector256<double> z)
    {
        var x = Vector256.Create(location) + Vector256.Create(scale) * z;
        x = exponentiate ? PortableMath.Exp(x) : x;
        return UnitInterval.Clamp(x, low, high);
    }
}

/// <summary>Uniform on [low, high] (truncation already folded into the bounds).</summary>
internal readonly struct UniformKernel(double low, double high) : IQuantileKernel
{
    private readonly double _width = high - low;

    public double Quantile(double u) =>
        u > 0 && u < 1 ? UnitInterval.Clamp(low + u * _width, low, high) : UnitInterval.Edge(u, low, high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> QuantileInside(Vector256<double> u) =>
        UnitInterval.Clamp(Vector256.Create(low) + u * Vector256.Create(_width), low, high);
}

/// <summary>Triangular(min, mode, max) by its closed-form inverse, on v = c0 + c1 u for truncation, kept in [low, high].</summary>
internal readonly struct TriangularKernel : IQuantileKernel
{
    private readonly double _min, _max, _modeCdf, _leftArea, _rightArea, _c0, _c1, _low, _high;

    public TriangularKernel(double min, double mode, double max, double c0, double c1, double low, double high)
    {
        (_min, _max, _c0, _c1, _low, _high) = (min, max, c0, c1, low, high);
        _modeCdf = (mode - min) / (max - min);
        _leftArea = (max - min) * (mode - min);
        _rightArea = (max - min) * (max - mode);
    }

    public double Quantile(double u)
    {
        if (!(u > 0 && u < 1))
        {
            return UnitInterval.Edge(u, _low, _high);
        }

        var v = UnitInterval.Map(_c0, _c1, u);
        var left = v < _modeCdf;
        var root = Math.Sqrt(left ? v * _leftArea : (1.0 - v) * _rightArea);
        return UnitInterval.Clamp(left ? _min + root : _max - root, _low, _high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> QuantileInside(Vector256<double> u)
    {
        var v = UnitInterval.Map(_c0, _c1, u);
        var left = Vector256.LessThan(v, Vector256.Create(_modeCdf));
        var root = Vector256.Sqrt(Vector256.ConditionalSelect(left, v * Vector256.Create(_leftArea), (Vector256<double>.One - v) * Vector256.Create(_rightArea)));
        var x = Vector256.ConditionalSelect(left, Vector256.Create(_min) + root, Vector256.Create(_max) - root);
        return UnitInterval.Clamp(x, _low, _high);
    }
}

/// <summary>
/// PERT: min + (max - min) · (Beta(α, β) quantile at v = c0 + c1 u), kept in [low, high]; the beta
/// quantile comes from a <see cref="BetaQuantileTable"/> indexed by z = Φ⁻¹(v), computed four lanes at a time.
/// </summary>
internal readonly struct PertKernel(BetaQuantileTable table, double min, double width, double c0, double c1, double low, double high)
    : INormalBasedKernel
{
    public double C0 => c0;

    public double C1 => c1;

    public double Quantile(double u)
    {
        if (!(u > 0 && u < 1))
        {
            return UnitInterval.Edge(u, low, high);
        }

        var v = UnitInterval.Map(c0, c1, u);
        return UnitInterval.Clamp(min + width * table.Quantile(v, NormalFunctions.Quantile(v)), low, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> QuantileInside(Vector256<double> u)
    {
        var v = UnitInterval.Map(c0, c1, u);
        return FromStandardNormal(v, NormalFunctions.Quantile(v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> FromStandardNormal(Vector256<double> v, Vector256<double> z) =>
        UnitInterval.Clamp(Vector256.Create(min) + Vector256.Create(width) * table.Quantile(v, z), low, high);
}

/// <summary>
/// A discrete distribution: the smallest value whose cumulative probability reaches u. Values are
/// sorted and distinct, so the quantile increases with u; the last cumulative probability is exactly 1.
/// </summary>
internal readonly struct DiscreteKernel(double[] values, double[] cumulative) : IQuantileKernel
{
    // Up to this many values a branch-free count over the table beats a binary search.
    private const int LinearSearchLimit = 16;

    public double Quantile(double u)
    {
        if (!(u > 0 && u < 1))
        {
            return UnitInterval.Edge(u, values[0], values[^1]);
        }

        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (cumulative[middle] < u)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return values[low];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> QuantileInside(Vector256<double> u)
    {
        if (cumulative.Length > LinearSearchLimit)
        {
            return Vector256.Create(Quantile(u.GetElement(0)), Quantile(u.GetElement(1)), Quantile(u.GetElement(2)), Quantile(u.GetElement(3)));
        }

        // The index is the number of cumulative probabilities below u (the last one, 1, never is).
        var index = Vector256<long>.Zero;
        for (var k = 0; k < cumulative.Length - 1; k++)
        {
            index -= Vector256.LessThan(Vector256.Create(cumulative[k]), u).AsInt64();
        }

        return Vector256.Create(
            values[(int)index.GetElement(0)],
            values[(int)index.GetElement(1)],
            values[(int)index.GetElement(2)],
            values[(int)index.GetElement(3)]);
    }
}

/// <summary>An empirical distribution: one of the sorted observations, each with probability 1/n.</summary>
internal readonly struct EmpiricalKernel(double[] sorted) : IQuantileKernel
{
    public double Quantile(double u)
    {
        if (!(u > 0 && u < 1))
        {
            return UnitInterval.Edge(u, sorted[0], sorted[^1]);
        }

        var index = (int)(u * sorted.Length);
        return sorted[index < sorted.Length ? index : sorted.Length - 1];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> QuantileInside(Vector256<double> u)
    {
        // floor(u n), capped at n - 1, as the scalar (int) cast gives it; then four loads.
        var count = Vector256.Create((double)sorted.Length);
        var index = Vector256.Floor(u * count);
        index = Vector256.ConditionalSelect(Vector256.LessThan(index, count), index, count - Vector256<double>.One);
        var bits = (index + Vector256.Create(6755399441055744.0)).AsInt64();
        var offset = BitConverter.DoubleToInt64Bits(6755399441055744.0);
        return Vector256.Create(
            sorted[(int)(bits.GetElement(0) - offset)],
            sorted[(int)(bits.GetElement(1) - offset)],
            sorted[(int)(bits.GetElement(2) - offset)],
            sorted[(int)(bits.GetElement(3) - offset)]);
    }
}
