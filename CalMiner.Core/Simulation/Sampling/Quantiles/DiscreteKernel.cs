using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

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
