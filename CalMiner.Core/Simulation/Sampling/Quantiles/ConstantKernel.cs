using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

/// <summary>Always the same value, whatever u is.</summary>
internal readonly struct ConstantKernel(double value) : IQuantileKernel
{
    public double Quantile(double u) => value;

    public Vector256<double> QuantileInside(Vector256<double> u) => Vector256.Create(value);
}
