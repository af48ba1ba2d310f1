using System.Buffers;

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

    /// <summary>The bucket of a present value within the grid's range.</summary>
    public int Index(double x) => Math.Min((int)((x - Min) * Scale), Count - 1);

    /// <summary>
    /// Counts the present values in each bucket. Chunks run in parallel with a histogram per
    /// worker; integer counts add up to the same totals in any order, so the result is exact.
    /// </summary>
    public void CountInto(ReadOnlyMemory<double> values, Span<int> counts, int maxDegreeOfParallelism)
    {
        counts.Clear();
        var chunks = FixedChunks.Count(values.Length);
        if (chunks <= 1 || maxDegreeOfParallelism == 1)
        {
            CountRange(values.Span, counts);
            return;
        }

        var grid = this;
        var total = ArrayPool<int>.Shared.Rent(Count);
        var gate = new object();
        try
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
                    grid.CountRange(values.Span[FixedChunks.Of(chunk, values.Length)], local.AsSpan(0, grid.Count));
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
        finally
        {
            ArrayPool<int>.Shared.Return(total);
        }
    }

    public void CountRange(ReadOnlySpan<double> values, Span<int> counts)
    {
        var min = Min;
        var scale = Scale;
        var last = Count - 1;
        foreach (var x in values)
        {
            if (!double.IsNaN(x))
            {
                counts[Math.Min((int)((x - min) * scale), last)]++;
            }
        }
    }
}
