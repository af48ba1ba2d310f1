using System.Runtime.CompilerServices;
using CalMiner.Numerics;

namespace CalMiner.Model;

// The IRR of the kernel's lanes: the twin of CashFlowMath.Irr.
internal sealed partial class ModelKernel<T>
    where T : unmanaged, ILanes<T>
{
    /// <summary>
    /// The IRR of <see cref="ModelKernel.Groups"/> groups of lanes of cash flows (each period-major, <c>T.Count</c> values per period), by
    /// the steps of <see cref="CashFlowMath.Irr"/>: Newton's method from 10 % in all lanes at once, then the first-root check;
    /// a lane where that does not settle it is queued for the <see cref="IrrSearch"/> the scalar model would go on to.
    /// </summary>
    /// <remarks>
    /// The first <paramref name="groups"/> groups are iterations from <paramref name="block"/> on, among those of the
    /// <see cref="Evaluate"/> call; the others only repeat the first. Four explicit chains keep Horner's rule in registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Irr(double[] flows, ReadOnlySpan<SignChanges> signs, int groups, Span<double> irr, IrrSearchBatch searches, int block)
    {
        var periods = Plan.Periods;
        var length = periods * T.Count;
        var zero = T.Zero;
        ReadOnlySpan<double> f0 = flows.AsSpan(0, length), f1 = flows.AsSpan(length, length);
        ReadOnlySpan<double> f2 = flows.AsSpan(2 * length, length), f3 = flows.AsSpan(3 * length, length);
        T active0 = Solvable(signs[0]), active1 = Solvable(signs[1]), active2 = Solvable(signs[2]), active3 = Solvable(signs[3]);
        T converged0 = zero, converged1 = zero, converged2 = zero, converged3 = zero;
        var x0 = T.Create(CashFlowMath.NewtonStart);
        T x1 = x0, x2 = x0, x3 = x0;

        // Each pass takes P and P′ at the current x, then steps while any lane is active; the last pass, at the roots,
        // gives the slopes that the first-root check reads.
        T slope0, slope1, slope2, slope3;
        for (var i = 0; ; i++)
        {
            T p0 = zero, p1 = zero, p2 = zero, p3 = zero;
            (slope0, slope1, slope2, slope3) = (zero, zero, zero, zero);
            for (var t = length - T.Count; t >= 0; t -= T.Count)
            {
                slope0 = slope0 * x0 + p0;
                p0 = p0 * x0 + T.Load(in f0[t]);
                slope1 = slope1 * x1 + p1;
                p1 = p1 * x1 + T.Load(in f1[t]);
                slope2 = slope2 * x2 + p2;
                p2 = p2 * x2 + T.Load(in f2[t]);
                slope3 = slope3 * x3 + p3;
                p3 = p3 * x3 + T.Load(in f3[t]);
            }

            if (i == CashFlowMath.NewtonIterations || !T.Any(active0 | active1 | active2 | active3))
            {
                break;
            }

            NewtonStep(ref x0, ref active0, ref converged0, p0, slope0);
            NewtonStep(ref x1, ref active1, ref converged1, p1, slope1);
            NewtonStep(ref x2, ref active2, ref converged2, p2, slope2);
            NewtonStep(ref x3, ref active3, ref converged3, p3, slope3);
        }

        ReadOnlySpan<T> roots = [x0, x1, x2, x3];
        ReadOnlySpan<T> slopes = [slope0, slope1, slope2, slope3];
        ReadOnlySpan<T> converged = [converged0, converged1, converged2, converged3];
        for (var g = 0; g < groups; g++)
        {
            Finish(flows.AsSpan(g * length, length), signs[g], roots[g], slopes[g], converged[g], irr.Slice(g * T.Count, T.Count), searches, block + (g * T.Count));
        }
    }

    /// <summary>The lanes whose flows change sign: Newton's method tries those first.</summary>
    private static T Solvable(SignChanges signs) => T.GreaterThan(signs.Count, T.Zero);

    /// <summary>One step of <see cref="CashFlowMath.Newton"/> in the lanes still active.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NewtonStep(ref T x, ref T active, ref T converged, T p, T slope)
    {
        var next = x - p / slope;
        var bad = ~(T.GreaterThan(next, T.Zero) & T.LessThan(next, T.Create(double.PositiveInfinity)));
        var settled = T.LessThanOrEqual(T.Abs(next - x), T.Create(1e-15) * next) & ~bad;
        x = T.Select(active & ~bad, next, x);
        converged |= active & settled;
        active &= ~(bad | settled);
    }

    /// <summary>
    /// <see cref="CashFlowMath.IsFirstRoot"/> in every lane with one or two sign changes where Newton's method settled (in
    /// range, and for two sign changes the slope at the root, <paramref name="slope"/>, leaves the lowest coefficient's
    /// sign); the other lanes with sign changes are queued for the search, with the root Newton settled on.
    /// </summary>
    private static void Finish(ReadOnlySpan<double> cashFlows, SignChanges signs, T x, T slope, T converged, Span<double> irr, IrrSearchBatch searches, int group)
    {
        var zero = T.Zero;
        var periods = cashFlows.Length / T.Count;
        var leaves = (T.LessThan(signs.Lowest, zero) & T.GreaterThan(slope, zero))
            | (T.GreaterThan(signs.Lowest, zero) & T.LessThan(slope, zero));
        var first = converged
            & T.GreaterThanOrEqual(x, T.Create(CashFlowMath.MinX)) & T.LessThan(x, T.Create(CashFlowMath.MaxX))
            & (T.Equal(signs.Count, T.Create(1.0)) | (T.Equal(signs.Count, T.Create(2.0)) & leaves));
        var none = T.Equal(signs.Count, zero);
        T.Select(first, T.Create(1.0) / x - T.Create(1.0), T.Create(double.NaN)).Store(ref irr[0]);
        if (T.All(first | none))
        {
            return;
        }

        Span<double> flows = stackalloc double[periods];
        for (var lane = 0; lane < T.Count; lane++)
        {
            if (first[lane] == 0 && none[lane] == 0)
            {
                for (var t = 0; t < periods; t++)
                {
                    flows[t] = cashFlows[(t * T.Count) + lane];
                }

                searches.Add(flows, (int)signs.Count[lane], converged[lane] != 0 ? x[lane] : double.NaN, group + lane);
            }
        }
    }
}
