using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Statistics;

/// <summary>Count, sum, extremes and number of negative values of the present (non-NaN) values of a range.</summary>
internal struct RangeMoments
{
    public long Present;
    public double Sum;
    public double Min;
    public double Max;
    public long Negative;

    public static RangeMoments Empty => new() { Min = double.PositiveInfinity, Max = double.NegativeInfinity };

    /// <summary>Adds the moments of a later range; called in range order so sums are reproducible.</summary>
    public void Add(in RangeMoments later)
    {
        Present += later.Present;
        Sum += later.Sum;
        Min = Math.Min(Min, later.Min);
        Max = Math.Max(Max, later.Max);
        Negative += later.Negative;
    }
}

/// <summary>
/// Vectorised reductions over one range of values. They always use <see cref="Vector256{T}"/> lanes in
/// the same order (never the widest vector of the machine), so a sum is the same on every machine.
/// NaN marks an absent value and is skipped. They are compiled optimised from the first call: a run calls
/// each only a few times, too few for tiered compilation to reach them in time.
/// </summary>
internal static class Reductions
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RangeMoments Moments(ReadOnlySpan<double> values)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        var sum = Vector256<double>.Zero;
        var min = Vector256.Create(double.PositiveInfinity);
        var max = Vector256.Create(double.NegativeInfinity);
        var present = Vector256<long>.Zero;
        var negative = Vector256<long>.Zero;
        var i = 0;
        for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            var isPresent = Vector256.Equals(v, v);
            sum += v & isPresent;
            min = Vector256.Min(min, Vector256.ConditionalSelect(isPresent, v, Vector256.Create(double.PositiveInfinity)));
            max = Vector256.Max(max, Vector256.ConditionalSelect(isPresent, v, Vector256.Create(double.NegativeInfinity)));

            // A true lane is all ones, i.e. −1 as an integer.
            present -= isPresent.AsInt64();
            negative -= Vector256.LessThan(v, Vector256<double>.Zero).AsInt64();
        }

        var result = new RangeMoments
        {
            Present = present[0] + present[1] + present[2] + present[3],
            Sum = sum[0] + sum[1] + sum[2] + sum[3],
            Min = Math.Min(Math.Min(min[0], min[1]), Math.Min(min[2], min[3])),
            Max = Math.Max(Math.Max(max[0], max[1]), Math.Max(max[2], max[3])),
            Negative = negative[0] + negative[1] + negative[2] + negative[3],
        };
        for (; i < values.Length; i++)
        {
            var x = values[i];
            if (!double.IsNaN(x))
            {
                result.Present++;
                result.Sum += x;
                result.Min = Math.Min(result.Min, x);
                result.Max = Math.Max(result.Max, x);
                if (x < 0)
                {
                    result.Negative++;
                }
            }
        }

        return result;
    }

    /// <summary>Σ (x − mean)² over the present values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumOfSquaredDeviations(ReadOnlySpan<double> values, double mean)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        var centre = Vector256.Create(mean);
        var sum = Vector256<double>.Zero;
        var i = 0;
        for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            var d = (v - centre) & Vector256.Equals(v, v);
            sum += d * d;
        }

        var total = sum[0] + sum[1] + sum[2] + sum[3];
        for (; i < values.Length; i++)
        {
            var x = values[i];
            if (!double.IsNaN(x))
            {
                total += (x - mean) * (x - mean);
            }
        }

        return total;
    }

    /// <summary>
    /// Mean and Σ (x − mean)² of values without NaN, for short ranges already in cache: two passes, each with four
    /// accumulators, since one would wait on its own additions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Mean, double Squares) MeanAndSquares(ReadOnlySpan<double> values)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        const int Step = 4 * 4;
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
        var i = 0;
        for (; i <= values.Length - Step; i += Step)
        {
            s0 += Vector256.LoadUnsafe(ref start, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref start, (nuint)(i + 4));
            s2 += Vector256.LoadUnsafe(ref start, (nuint)(i + 8));
            s3 += Vector256.LoadUnsafe(ref start, (nuint)(i + 12));
        }

        var sums = (s0 + s1) + (s2 + s3);
        var sum = (sums[0] + sums[1]) + (sums[2] + sums[3]);
        for (var k = i; k < values.Length; k++)
        {
            sum += values[k];
        }

        var mean = sum / values.Length;
        var centre = Vector256.Create(mean);
        (s0, s1, s2, s3) = (default, default, default, default);
        for (i = 0; i <= values.Length - Step; i += Step)
        {
            var d0 = Vector256.LoadUnsafe(ref start, (nuint)i) - centre;
            var d1 = Vector256.LoadUnsafe(ref start, (nuint)(i + 4)) - centre;
            var d2 = Vector256.LoadUnsafe(ref start, (nuint)(i + 8)) - centre;
            var d3 = Vector256.LoadUnsafe(ref start, (nuint)(i + 12)) - centre;
            (s0, s1, s2, s3) = (s0 + (d0 * d0), s1 + (d1 * d1), s2 + (d2 * d2), s3 + (d3 * d3));
        }

        sums = (s0 + s1) + (s2 + s3);
        var squares = (sums[0] + sums[1]) + (sums[2] + sums[3]);
        for (; i < values.Length; i++)
        {
            squares += (values[i] - mean) * (values[i] - mean);
        }

        return (mean, squares);
    }

    /// <summary>Sum and number of the values ≤ <paramref name="threshold"/> (NaN is never counted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumAtMost(ReadOnlySpan<double> values, double threshold, out long count)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        var limit = Vector256.Create(threshold);
        var sum = Vector256<double>.Zero;
        var counts = Vector256<long>.Zero;
        var i = 0;
        for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            var selected = Vector256.LessThanOrEqual(v, limit);
            sum += v & selected;
            counts -= selected.AsInt64();
        }

        var total = sum[0] + sum[1] + sum[2] + sum[3];
        count = counts[0] + counts[1] + counts[2] + counts[3];
        for (; i < values.Length; i++)
        {
            var x = values[i];
            if (x <= threshold)
            {
                total += x;
                count++;
            }
        }

        return total;
    }

    /// <summary>Smallest and largest value; NaN if any value is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Min, double Max) MinMax(ReadOnlySpan<double> values)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        var min = Vector256.Create(double.PositiveInfinity);
        var max = Vector256.Create(double.NegativeInfinity);
        var i = 0;
        for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            min = Vector256.Min(min, v);
            max = Vector256.Max(max, v);
        }

        var lo = Math.Min(Math.Min(min[0], min[1]), Math.Min(min[2], min[3]));
        var hi = Math.Max(Math.Max(max[0], max[1]), Math.Max(max[2], max[3]));
        for (; i < values.Length; i++)
        {
            lo = Math.Min(lo, values[i]);
            hi = Math.Max(hi, values[i]);
        }

        return (lo, hi);
    }
}
