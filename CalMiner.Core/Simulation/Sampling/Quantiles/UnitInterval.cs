using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CalMiner.Numerics;

namespace CalMiner.Simulation.Sampling;

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
