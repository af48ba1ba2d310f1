using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

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
