using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

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
