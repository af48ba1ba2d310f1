using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CalMiner.Simulation.Statistics;

/// <summary>
/// <see cref="Count"/> equal-width buckets from <see cref="Min"/> up to the maximum value: bucket
/// index floor((x − min) × scale), the maximum folded into the last bucket. The index is monotone in
/// x, so every value of a lower bucket is below every value of a higher one.
/// </summary>
internal readonly struct BucketGrid
{
    public BucketGrid(double min, double max, int count)
    {
        Min = min;
        Count = count;
        Scale = count / (max - min);
    }

    public double Min { get; }

    public double Scale { get; }

    public int Count { get; }

    /// <summary>False when the range is empty, infinite or too small to divide: use a comparison sort then.</summary>
    public bool IsUsable => double.IsFinite(Scale) && Scale > 0;

    /// <summary>
    /// Counts the present values in each bucket. Chunks run in parallel with a histogram per
    /// worker; integer counts add up to the same totals in any order, so the result is exact.
    /// </summary>
    public void CountInto(ReadOnlyMemory<double> values, Span<int> counts, int maxDegreeOfParallelism) =>
        CountInto(values, counts, 0, false, maxDegreeOfParallelism);

    /// <summary>
    /// <see cref="CountInto(ReadOnlyMemory{double}, Span{int}, int)"/> and, in the same pass, Σ (x − mean)² of the
    /// present values, the same sum as <see cref="OutputStatistics.SumOfSquaredDeviations"/> (chunk partials added
    /// in chunk order).
    /// </summary>
    /// <param name="values">The values; NaN is not counted.</param>
    /// <param name="counts">The count of each bucket.</param>
    /// <param name="mean">The mean of the present values.</param>
    /// <param name="maxDegreeOfParallelism">Most threads; −1 for all cores.</param>
    public double CountIntoWithSquares(ReadOnlyMemory<double> values, Span<int> counts, double mean, int maxDegreeOfParallelism) =>
        CountInto(values, counts, mean, true, maxDegreeOfParallelism);

    private double CountInto(ReadOnlyMemory<double> values, Span<int> counts, double mean, bool squares, int maxDegreeOfParallelism)
    {
        counts.Clear();
        var chunks = FixedChunks.Count(values.Length);
        var grid = this;
        var partials = ArrayPool<double>.Shared.Rent(Math.Max(chunks, 1));
        var total = ArrayPool<int>.Shared.Rent(Count);
        var gate = new object();
        try
        {
            if (chunks <= 1 || maxDegreeOfParallelism == 1)
            {
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    partials[chunk] = CountRange(values.Span[FixedChunks.Of(chunk, values.Length)], counts, mean, squares);
                }
            }
            else
            {
                Array.Clear(total, 0, Count);
                Parallel.For(
                    0,
                    chunks,
                    new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
                    () =>
                    {
                        var local = ArrayPool<int>.Shared.Rent(grid.Count);
                        Array.Clear(local, 0, grid.Count);
                        return local;
                    },
                    (chunk, _, local) =>
                    {
                        partials[chunk] = grid.CountRange(values.Span[FixedChunks.Of(chunk, values.Length)], local.AsSpan(0, grid.Count), mean, squares);
                        return local;
                    },
                    local =>
                    {
                        lock (gate)
                        {
                            for (var b = 0; b < grid.Count; b++)
                            {
                                total[b] += local[b];
                            }
                        }

                        ArrayPool<int>.Shared.Return(local);
                    });
                total.AsSpan(0, Count).CopyTo(counts);
            }

            var sum = 0.0;
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                sum += partials[chunk];
            }

            return sum;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
            ArrayPool<int>.Shared.Return(total);
        }
    }

    public void CountRange(ReadOnlySpan<double> values, Span<int> counts) => CountRange(values, counts, 0, false);

    /// <summary>The bucket of a value that is not NaN, as <see cref="Indices"/> finds it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Index(double value) => Math.Min((int)((value - Min) * Scale), Count - 1);

    /// <summary>The buckets of four values; a NaN gets a negative one. Only where <see cref="Avx"/> is supported.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<int> Indices(Vector256<double> values) =>
        Vector128.Min(Avx.ConvertToVector128Int32WithTruncation((values - Vector256.Create(Min)) * Vector256.Create(Scale)), Vector128.Create(Count - 1));

    /// <summary>Counts a range; with <paramref name="squares"/>, also Σ (x − mean)² added as <see cref="Reductions.SumOfSquaredDeviations"/> adds it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double CountRange(ReadOnlySpan<double> values, Span<int> counts, double mean, bool squares)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        ref var bucket = ref MemoryMarshal.GetReference(counts);
        var centre = Vector256.Create(mean);
        var sum = Vector256<double>.Zero;
        var i = 0;
        if (Avx.IsSupported)
        {
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var present = Vector256.Equals(v, v);
                if (squares)
                {
                    var d = (v - centre) & present;
                    sum += d * d;
                }

                var index = Indices(v);
                if (present.AsUInt64() == Vector256<ulong>.AllBitsSet)
                {
                    Unsafe.Add(ref bucket, index.GetElement(0))++;
                    Unsafe.Add(ref bucket, index.GetElement(1))++;
                    Unsafe.Add(ref bucket, index.GetElement(2))++;
                    Unsafe.Add(ref bucket, index.GetElement(3))++;
                }
                else
                {
                    for (var lane = 0; lane < Vector256<double>.Count; lane++)
                    {
                        if (index.GetElement(lane) >= 0)
                        {
                            Unsafe.Add(ref bucket, index.GetElement(lane))++;
                        }
                    }
                }
            }
        }
        else if (squares)
        {
            // The same lanes as the loop above, so the sum is the same on every machine.
            for (var j = 0; j <= values.Length - Vector256<double>.Count; j += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)j);
                var d = (v - centre) & Vector256.Equals(v, v);
                sum += d * d;
            }
        }

        var total = sum[0] + sum[1] + sum[2] + sum[3];
        for (; i < values.Length; i++)
        {
            var x = values[i];
            if (!double.IsNaN(x))
            {
                counts[Index(x)]++;
            }
        }

        if (squares)
        {
            for (var j = values.Length / Vector256<double>.Count * Vector256<double>.Count; j < values.Length; j++)
            {
                var x = values[j];
                if (!double.IsNaN(x))
                {
                    total += (x - mean) * (x - mean);
                }
            }
        }

        return squares ? total : 0;
    }
}
