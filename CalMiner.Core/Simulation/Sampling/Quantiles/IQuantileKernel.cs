using System.Runtime.Intrinsics;

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
