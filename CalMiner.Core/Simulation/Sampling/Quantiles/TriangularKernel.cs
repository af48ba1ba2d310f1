using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

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
