using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

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
