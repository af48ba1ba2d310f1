using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CalMiner.Numerics;

namespace CalMiner.Simulation.Sampling;

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
