using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

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
