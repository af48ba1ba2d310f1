using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CalMiner.Simulation.Statistics;

/// <summary>
/// Selects order statistics (the k-th smallest values) without sorting: one counting pass over a
/// grid of up to 65 536 buckets finds the bucket of each wanted rank, one more pass gathers only
/// those buckets' values, and the few gathered values are selected the same way (or sorted when
/// there are few enough). Both passes stream through the data and run on all cores.
/// </summary>
internal static class OrderStatistics
{
    private const int SortLimit = 4096;
    private const int MaxDepth = 4;
    private const int MaxBuckets = 1 << 16;
    private const int ValuesPerBucket = 16;

    /// <summary>
    /// Writes the value of each 0-based rank among the present (non-NaN) values: rank 0 is the
    /// minimum, rank present − 1 the maximum.
    /// </summary>
    /// <param name="values">The values; NaN marks an absent one and is skipped.</param>
    /// <param name="moments">Count and extremes of the present values, as from <see cref="Reductions.Moments"/>.</param>
    /// <param name="ranks">Wanted ranks in non-decreasing order, each in 0..present−1.</param>
    /// <param name="results">Destination, as long as <paramref name="ranks"/>.</param>
    /// <param name="maxDegreeOfParallelism">Most threads; −1 for all cores.</param>
    public static void Select(ReadOnlyMemory<double> values, in RangeMoments moments, ReadOnlySpan<int> ranks, Span<double> results, int maxDegreeOfParallelism)
    {
        var present = (int)moments.Present;
        if (ranks.IsEmpty)
        {
            return;
        }

        if (moments.Min == moments.Max)
        {
            results.Fill(moments.Min);
            return;
        }

        var grid = new BucketGrid(moments.Min, moments.Max, BucketCount(present));
        if (present <= SortLimit || !grid.IsUsable)
        {
            SelectBySorting(values.Span, present, ranks, results);
            return;
        }

        var counts = ArrayPool<int>.Shared.Rent(grid.Count);
        try
        {
            grid.CountInto(values, counts.AsSpan(0, grid.Count), maxDegreeOfParallelism);
            SelectFromCounts(values, grid, counts.AsSpan(0, grid.Count), ranks, results, 0, maxDegreeOfParallelism);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Bucket count for a number of present values: about 16 values a bucket, at most 65 536.</summary>
    public static int BucketCount(int present) => Math.Clamp(present / ValuesPerBucket, 2, MaxBuckets);

    /// <summary>
    /// Selection from a histogram already counted on <paramref name="grid"/> (the summary statistics
    /// count one for the histogram anyway and reuse it).
    /// </summary>
    public static void SelectFromCounts(
        ReadOnlyMemory<double> values,
        BucketGrid grid,
        ReadOnlySpan<int> counts,
        ReadOnlySpan<int> ranks,
        Span<double> results,
        int depth,
        int maxDegreeOfParallelism)
    {
        // For each wanted rank: its bucket, and its rank within that bucket.
        var rankBucket = ArrayPool<int>.Shared.Rent(ranks.Length);
        var localRank = ArrayPool<int>.Shared.Rent(ranks.Length);
        var slotOf = ArrayPool<int>.Shared.Rent(grid.Count);
        var slotStart = ArrayPool<int>.Shared.Rent(ranks.Length + 1);
        var slotFill = ArrayPool<int>.Shared.Rent(ranks.Length);
        double[]? gathered = null;
        try
        {
            var bucket = 0;
            var below = 0;
            var slots = 0;
            var total = 0;
            for (var r = 0; r < ranks.Length; r++)
            {
                while (below + counts[bucket] <= ranks[r])
                {
                    below += counts[bucket];
                    bucket++;
                }

                rankBucket[r] = bucket;
                localRank[r] = ranks[r] - below;
                if (r == 0 || rankBucket[r - 1] != bucket)
                {
                    slotStart[slots] = total;
                    slots++;
                    total += counts[bucket];
                }
            }

            slotStart[slots] = total;
            Array.Fill(slotOf, -1, 0, grid.Count);
            for (int r = 0, s = 0; r < ranks.Length; r++)
            {
                if (r > 0 && rankBucket[r - 1] != rankBucket[r])
                {
                    s++;
                }

                slotOf[rankBucket[r]] = s;
            }

            gathered = ArrayPool<double>.Shared.Rent(total);
            Array.Copy(slotStart, slotFill, slots);
            Gather(values, grid, slotOf, slotFill, gathered, maxDegreeOfParallelism);

            for (int r = 0, s = 0; r < ranks.Length; s++)
            {
                var first = r;
                while (r < ranks.Length && rankBucket[r] == rankBucket[first])
                {
                    r++;
                }

                var slice = gathered.AsMemory(slotStart[s], slotStart[s + 1] - slotStart[s]);
                SelectInSlice(slice, localRank.AsSpan(first, r - first), results[first..r], depth + 1);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rankBucket);
            ArrayPool<int>.Shared.Return(localRank);
            ArrayPool<int>.Shared.Return(slotOf);
            ArrayPool<int>.Shared.Return(slotStart);
            ArrayPool<int>.Shared.Return(slotFill);
            if (gathered is not null)
            {
                ArrayPool<double>.Shared.Return(gathered);
            }
        }
    }

    /// <summary>
    /// Copies the values of the wanted buckets (slotOf[bucket] ≥ 0) to their slots. Chunks run in
    /// parallel and claim places with an atomic increment, so the order inside a slot varies from
    /// run to run; an order statistic does not depend on that order.
    /// </summary>
    private static void Gather(ReadOnlyMemory<double> values, BucketGrid grid, int[] slotOf, int[] slotFill, double[] gathered, int maxDegreeOfParallelism)
    {
        // The wanted buckets as a bitmap small enough for L1, so the test of a value that is not wanted is cheap.
        var words = (grid.Count + 63) / 64;
        var wanted = ArrayPool<ulong>.Shared.Rent(words);
        try
        {
            Array.Clear(wanted, 0, words);
            for (var b = 0; b < grid.Count; b++)
            {
                if (slotOf[b] >= 0)
                {
                    wanted[b >> 6] |= 1UL << b;
                }
            }

            var chunks = FixedChunks.Count(values.Length);
            var shared = chunks > 1 && maxDegreeOfParallelism != 1;
            FixedChunks.For(chunks, shared ? maxDegreeOfParallelism : 1, chunk =>
                GatherRange(values.Span[FixedChunks.Of(chunk, values.Length)], grid, wanted, slotOf, slotFill, gathered, shared));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(wanted);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherRange(ReadOnlySpan<double> values, BucketGrid grid, ulong[] wanted, int[] slotOf, int[] slotFill, double[] gathered, bool shared)
    {
        var i = 0;
        if (Avx.IsSupported)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                // A NaN's bucket is negative: it reads bucket 0's word and is dropped below.
                var index = grid.Indices(Vector256.LoadUnsafe(ref start, (nuint)i));
                var word = Vector128.Max(index, Vector128<int>.Zero) >>> 6;
                var hits = (wanted[word.GetElement(0)] >> index.GetElement(0))
                    | (wanted[word.GetElement(1)] >> index.GetElement(1))
                    | (wanted[word.GetElement(2)] >> index.GetElement(2))
                    | (wanted[word.GetElement(3)] >> index.GetElement(3));
                if ((hits & 1) != 0)
                {
                    for (var lane = 0; lane < Vector256<double>.Count; lane++)
                    {
                        var bucket = index.GetElement(lane);
                        if (bucket >= 0 && slotOf[bucket] >= 0)
                        {
                            Add(values[i + lane], slotOf[bucket], slotFill, gathered, shared);
                        }
                    }
                }
            }
        }

        for (; i < values.Length; i++)
        {
            var x = values[i];
            if (!double.IsNaN(x) && slotOf[grid.Index(x)] is var slot and >= 0)
            {
                Add(x, slot, slotFill, gathered, shared);
            }
        }
    }

    private static void Add(double x, int slot, int[] slotFill, double[] gathered, bool shared) =>
        gathered[shared ? Interlocked.Increment(ref slotFill[slot]) - 1 : slotFill[slot]++] = x;

    /// <summary>Selection within the gathered values of one bucket (reordered in place).</summary>
    private static void SelectInSlice(Memory<double> values, ReadOnlySpan<int> ranks, Span<double> results, int depth)
    {
        var span = values.Span;
        if (span.Length <= SortLimit || depth >= MaxDepth)
        {
            SortAndRead(span, ranks, results);
            return;
        }

        var (min, max) = Reductions.MinMax(span);
        if (min == max)
        {
            results.Fill(min);
            return;
        }

        var grid = new BucketGrid(min, max, BucketCount(span.Length));
        if (!grid.IsUsable)
        {
            SortAndRead(span, ranks, results);
            return;
        }

        var counts = ArrayPool<int>.Shared.Rent(grid.Count);
        try
        {
            var bucketCounts = counts.AsSpan(0, grid.Count);
            bucketCounts.Clear();
            grid.CountRange(span, bucketCounts);
            SelectFromCounts(values, grid, bucketCounts, ranks, results, depth, 1);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    private static void SelectBySorting(ReadOnlySpan<double> values, int present, ReadOnlySpan<int> ranks, Span<double> results)
    {
        var buffer = ArrayPool<double>.Shared.Rent(present);
        try
        {
            var n = 0;
            foreach (var x in values)
            {
                if (!double.IsNaN(x))
                {
                    buffer[n++] = x;
                }
            }

            SortAndRead(buffer.AsSpan(0, n), ranks, results);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private static void SortAndRead(Span<double> values, ReadOnlySpan<int> ranks, Span<double> results)
    {
        values.Sort();
        for (var r = 0; r < ranks.Length; r++)
        {
            results[r] = values[ranks[r]];
        }
    }
}
