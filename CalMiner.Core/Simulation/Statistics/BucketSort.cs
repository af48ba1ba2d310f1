using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CalMiner.Simulation.Statistics;

/// <summary>
/// Sorts doubles in O(n) expected time: values are counted into about n/2 equal-width buckets
/// between their minimum and maximum, scattered, and each bucket (a handful of values) finished
/// by insertion sort. A bucket that collects many values (skewed data) is sorted the same way on
/// its own range; only after a few such levels, or for infinite ranges, is a comparison sort used.
/// Ties keep their original order, so the result is fully determined by the input.
/// </summary>
/// <remarks>
/// A comparison sort of 1 000 000 doubles costs about 85 ms; this costs a few milliseconds, which
/// is what lets the simulation rank every input and output of a million-iteration run.
/// </remarks>
internal static class BucketSort
{
    private const int InsertionSortLimit = 32;
    private const int MaxDepth = 4;
    private const int CacheResidentLimit = 1 << 14;
    private const int CoarseBuckets = 1 << 12;
    private const int StackCounts = 1024;
    private const int Block = 512;

    /// <summary>
    /// First-level buckets of the chunked mid-ranks: few enough that each chunk's share of a bucket is a long run
    /// for the scatter and the gather, while a bucket of ten million values still sorts in L2.
    /// </summary>
    private const int ScatterBuckets = 512;

    /// <summary>
    /// Writes <paramref name="values"/> in ascending order to <paramref name="sorted"/> and, unless
    /// <paramref name="order"/> is empty, the index in <paramref name="values"/> of each sorted value.
    /// </summary>
    /// <param name="values">Values to sort. A NaN makes the whole sort fall back to a comparison sort, which puts NaN first.</param>
    /// <param name="sorted">Destination of the sorted values, as long as <paramref name="values"/>.</param>
    /// <param name="order">Empty, or the destination of the source indices, as long as <paramref name="values"/>.</param>
    public static void Sort(ReadOnlySpan<double> values, Span<double> sorted, Span<int> order) =>
        SortCore(values, [], sorted, order, 0);

    /// <summary>
    /// Writes the 0-based rank of each value (ties ranked in index order, so the ranks are a
    /// permutation of 0..n−1); <paramref name="sortedScratch"/> and <paramref name="orderScratch"/> are work space of length n.
    /// </summary>
    public static void Ranks(ReadOnlySpan<double> values, Span<int> ranks, Span<double> sortedScratch, Span<int> orderScratch)
    {
        Sort(values, sortedScratch, orderScratch);
        for (var p = 0; p < orderScratch.Length; p++)
        {
            ranks[orderScratch[p]] = p;
        }
    }

    /// <summary>
    /// Writes the mid-rank of each value (0-based; tied values share the mean of their ranks), the
    /// ranks Spearman's coefficient is defined on; work space as for <see cref="Ranks"/>.
    /// </summary>
    public static void MidRanks(ReadOnlySpan<double> values, Span<double> ranks, Span<double> sortedScratch, Span<int> orderScratch)
    {
        Sort(values, sortedScratch, orderScratch);
        AssignMidRanks(sortedScratch, orderScratch, 0, ranks);
    }

    /// <summary>
    /// <see cref="MidRanks(ReadOnlySpan{double}, Span{double}, Span{double}, Span{int})"/> in chunks, on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads: the first level of buckets is counted and scattered chunk by
    /// chunk, each chunk to its own places in every bucket, then the buckets are sorted and ranked in groups, and each
    /// chunk gathers its own ranks back. Equal values always share a bucket, so a bucket's mid-ranks need only its
    /// start, and they do not depend on the thread count. The values at a few sorted <paramref name="positions"/>
    /// come too, each that of the iteration the stable sort puts there.
    /// </summary>
    public static void MidRanks(
        ReadOnlyMemory<double> values, double[] ranks, double[] scratch, int[] orderScratch, int maxDegreeOfParallelism, ReadOnlySpan<int> positions, Span<double> orderStatistics)
    {
        var n = values.Length;
        var chunks = FixedChunks.Count(n);
        var (min, max) = Reductions.MinMax(values.Span);
        var buckets = Math.Min(ScatterBuckets, n / 256);
        var grid = new BucketGrid(min, max, buckets);
        if (chunks <= 1 || !grid.IsUsable)
        {
            MidRanks(values.Span, ranks.AsSpan(0, n), scratch.AsSpan(0, n), orderScratch.AsSpan(0, n));
            for (var i = 0; i < positions.Length; i++)
            {
                orderStatistics[i] = scratch[positions[i]];
            }

            return;
        }

        var places = ArrayPool<int>.Shared.Rent(chunks * buckets);
        var ends = ArrayPool<int>.Shared.Rent(buckets);
        try
        {
            FixedChunks.For(chunks, maxDegreeOfParallelism, chunk =>
                Count(values.Span[FixedChunks.Of(chunk, n)], grid, places.AsSpan(chunk * buckets, buckets)));

            // Each chunk's place in each bucket: buckets in order, and within a bucket the chunks in order.
            var place = 0;
            for (var b = 0; b < buckets; b++)
            {
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    ref var count = ref places[(chunk * buckets) + b];
                    (count, place) = (place, place + count);
                }

                ends[b] = place;
            }

            FixedChunks.For(chunks, maxDegreeOfParallelism, chunk =>
            {
                var range = FixedChunks.Of(chunk, n);
                Scatter(values.Span[range], [], range.Start.Value, grid, places.AsSpan(chunk * buckets, buckets), scratch, orderScratch);
            });

            // A few bucket groups a thread, so that threads finish together on skewed data. Each bucket is sorted
            // and its values replaced by their mid-ranks in place, so these writes stay in cache; the sorted
            // indices stay, for the order statistics and the gather.
            var groups = Math.Min(buckets, 64);
            FixedChunks.For(groups, maxDegreeOfParallelism, group =>
            {
                var (first, end) = ((int)((long)buckets * group / groups), (int)((long)buckets * (group + 1) / groups));
                var largest = 0;
                for (int b = first, begin = first == 0 ? 0 : ends[first - 1]; b < end; begin = ends[b], b++)
                {
                    largest = Math.Max(largest, ends[b] - begin);
                }

                var work = ArrayPool<int>.Shared.Rent((4 * largest) + 1);
                var sortedWork = ArrayPool<double>.Shared.Rent(Math.Max(1, largest));
                try
                {
                    for (int b = first, begin = first == 0 ? 0 : ends[first - 1]; b < end; begin = ends[b], b++)
                    {
                        var bucket = scratch.AsSpan(begin, ends[b] - begin);
                        SortBucket(bucket, orderScratch.AsSpan(begin, bucket.Length), sortedWork, work);
                        AssignMidRanksInPlace(bucket, begin);
                    }
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(work);
                    ArrayPool<double>.Shared.Return(sortedWork);
                }
            });

            for (var i = 0; i < positions.Length; i++)
            {
                orderStatistics[i] = values.Span[orderScratch[positions[i]]];
            }

            // Each chunk takes the ranks of its own values from every bucket, so its writes stay in its own part.
            FixedChunks.For(chunks, maxDegreeOfParallelism, chunk =>
            {
                Unscatter(scratch, orderScratch, ends.AsSpan(0, buckets), places.AsSpan(chunk * buckets, buckets), chunk == 0 ? [] : places.AsSpan((chunk - 1) * buckets, buckets), ranks);
            });
        }
        finally
        {
            ArrayPool<int>.Shared.Return(places);
            ArrayPool<int>.Shared.Return(ends);
        }
    }

    /// <summary>
    /// Sorts one bucket, its values with their indices, stably and in place: the values are counted into about two
    /// sub-buckets a value and placed in <paramref name="sortedWork"/> by sub-bucket, so insertion sort finishes with
    /// a few short moves. A bucket whose values crowd into a few sub-buckets (skewed data) is comparison-sorted
    /// instead. <paramref name="work"/> holds at least 4 × the bucket's length + 1 integers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortBucket(Span<double> values, Span<int> indices, Span<double> sortedWork, Span<int> work)
    {
        var k = values.Length;
        if (k <= InsertionSortLimit)
        {
            InsertionSort(values, indices);
            return;
        }

        // Equal values stay as the scatter left them, in index order.
        var (min, max) = Reductions.MinMax(values);
        if (min == max)
        {
            return;
        }

        var subBuckets = 2 * k;
        var grid = new BucketGrid(min, max, subBuckets);
        if (!grid.IsUsable)
        {
            ComparisonSort(values, indices);
            return;
        }

        var starts = work[..(subBuckets + 1)];
        var sub = work.Slice(subBuckets + 1, k);
        var sortedIndices = work.Slice(subBuckets + 1 + k, k);
        var sorted = sortedWork[..k];
        starts.Clear();
        BucketsOf(values, grid, sub);

        // The sub-buckets are in range by construction, so the hot loops go without bounds checks.
        ref var start = ref MemoryMarshal.GetReference(starts);
        foreach (var s in sub)
        {
            Unsafe.Add(ref start, s + 1)++;
        }

        var crowd = 0;
        for (var s = 1; s <= subBuckets; s++)
        {
            crowd = Math.Max(crowd, starts[s]);
            starts[s] += starts[s - 1];
        }

        if (crowd > InsertionSortLimit)
        {
            ComparisonSort(values, indices);
            return;
        }

        ref var target = ref MemoryMarshal.GetReference(sorted);
        ref var targetIndex = ref MemoryMarshal.GetReference(sortedIndices);
        for (var j = 0; j < k; j++)
        {
            var p = Unsafe.Add(ref start, sub[j])++;
            Unsafe.Add(ref target, p) = values[j];
            Unsafe.Add(ref targetIndex, p) = indices[j];
        }

        InsertionSort(sorted, sortedIndices);
        sorted.CopyTo(values);
        sortedIndices.CopyTo(indices);
    }

    /// <summary>Replaces sorted values by their mid-ranks; <paramref name="offset"/> is the rank of the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AssignMidRanksInPlace(Span<double> sorted, int offset)
    {
        var start = 0;
        while (start < sorted.Length)
        {
            var x = sorted[start];
            var end = start + 1;
            while (end < sorted.Length && sorted[end] == x)
            {
                end++;
            }

            var rank = offset + ((start + end - 1) / 2.0);
            for (; start < end; start++)
            {
                sorted[start] = rank;
            }
        }
    }

    /// <summary>
    /// Moves mid-ranks from their scattered places to their iterations, for one chunk's places: in bucket b from
    /// the end of the previous chunk's (<paramref name="previousEnds"/>, empty for the first chunk) to <paramref name="chunkEnds"/>[b].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Unscatter(double[] scattered, int[] indices, ReadOnlySpan<int> bucketEnds, ReadOnlySpan<int> chunkEnds, ReadOnlySpan<int> previousEnds, double[] ranks)
    {
        for (var b = 0; b < chunkEnds.Length; b++)
        {
            var start = !previousEnds.IsEmpty ? previousEnds[b] : b == 0 ? 0 : bucketEnds[b - 1];
            for (var p = start; p < chunkEnds[b]; p++)
            {
                ranks[indices[p]] = scattered[p];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Count(ReadOnlySpan<double> values, BucketGrid grid, Span<int> counts)
    {
        counts.Clear();
        Span<int> buckets = stackalloc int[Block];
        for (var start = 0; start < values.Length; start += Block)
        {
            var block = values.Slice(start, Math.Min(Block, values.Length - start));
            BucketsOf(block, grid, buckets);
            foreach (var b in buckets[..block.Length])
            {
                counts[b]++;
            }
        }
    }

    /// <summary>
    /// Moves each value to the next place of its bucket and, unless <paramref name="indices"/> is empty, its index
    /// there too: from <paramref name="sourceIndex"/>, or when that is empty counted from <paramref name="first"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(
        ReadOnlySpan<double> values, ReadOnlySpan<int> sourceIndex, int first, BucketGrid grid, Span<int> next, Span<double> scattered, Span<int> indices)
    {
        Span<int> buckets = stackalloc int[Block];
        for (var start = 0; start < values.Length; start += Block)
        {
            var block = values.Slice(start, Math.Min(Block, values.Length - start));
            BucketsOf(block, grid, buckets);
            for (var i = 0; i < block.Length; i++)
            {
                var p = next[buckets[i]]++;
                scattered[p] = block[i];
                if (!indices.IsEmpty)
                {
                    indices[p] = sourceIndex.IsEmpty ? first + start + i : sourceIndex[start + i];
                }
            }
        }
    }

    /// <summary>
    /// Writes the bucket of each value on <paramref name="grid"/>, four at a time where the hardware allows
    /// (<see cref="BucketGrid.Indices"/>): the scalar conversion to int saturates, and costs several times as much.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BucketsOf(ReadOnlySpan<double> values, BucketGrid grid, Span<int> buckets)
    {
        var i = 0;
        if (Avx.IsSupported)
        {
            ref var source = ref MemoryMarshal.GetReference(values);
            ref var target = ref MemoryMarshal.GetReference(buckets[..values.Length]);
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                grid.Indices(Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            buckets[i] = grid.Index(values[i]);
        }
    }

    /// <summary>Mid-ranks from sorted values and their indices; <paramref name="offset"/> is the rank of the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AssignMidRanks(ReadOnlySpan<double> sorted, ReadOnlySpan<int> order, int offset, Span<double> ranks)
    {
        var n = sorted.Length;
        var start = 0;
        while (start < n)
        {
            var end = start + 1;
            while (end < n && sorted[end].Equals(sorted[start]))
            {
                end++;
            }

            var rank = offset + ((start + end - 1) / 2.0);
            for (var p = start; p < end; p++)
            {
                ranks[order[p]] = rank;
            }

            start = end;
        }
    }

    /// <param name="source">Values to sort.</param>
    /// <param name="sourceIndex">Index of each source value, or empty for 0..n−1.</param>
    /// <param name="sorted">Destination of the values.</param>
    /// <param name="order">Destination of the indices, or empty when they are not wanted.</param>
    /// <param name="depth">Levels of bucketing above this one.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortCore(ReadOnlySpan<double> source, ReadOnlySpan<int> sourceIndex, Span<double> sorted, Span<int> order, int depth)
    {
        var n = source.Length;
        if (n <= InsertionSortLimit)
        {
            Copy(source, sourceIndex, sorted, order);
            InsertionSort(sorted, order);
            return;
        }

        var (min, max) = Reductions.MinMax(source);
        if (min == max)
        {
            Copy(source, sourceIndex, sorted, order);
            return;
        }

        // Large inputs go through a first level of a few thousand buckets, so that the histogram and
        // the scatter stay in cache; each bucket is then sorted in L1 with about two values a bucket.
        var buckets = n > CacheResidentLimit ? Math.Min(CoarseBuckets, n / 256) : n / 2;
        var grid = new BucketGrid(min, max, buckets);
        if (depth >= MaxDepth || !grid.IsUsable)
        {
            Copy(source, sourceIndex, sorted, order);
            ComparisonSort(sorted, order);
            return;
        }

        int[]? rentedCounts = null;
        try
        {
            var counts = buckets < StackCounts
                ? stackalloc int[StackCounts]
                : (rentedCounts = ArrayPool<int>.Shared.Rent(buckets + 1));
            counts = counts[..(buckets + 1)];
            counts[0] = 0;
            Count(source, grid, counts[1..]);
            for (var b = 1; b <= buckets; b++)
            {
                counts[b] += counts[b - 1];
            }

            // counts[b] is now where bucket b starts; the scatter moves it to where bucket b ends.
            Scatter(source, sourceIndex, 0, grid, counts[..buckets], sorted, order);
            SortBuckets(sorted, order, counts[..buckets], 0, depth + 1);
        }
        finally
        {
            if (rentedCounts is not null)
            {
                ArrayPool<int>.Shared.Return(rentedCounts);
            }
        }
    }

    /// <summary>
    /// Sorts each bucket of a scattered level in place: bucket b ends at <paramref name="ends"/>[b], the first
    /// starts at <paramref name="begin"/>. A large bucket is bucketed again on its own range.
    /// </summary>
    private static void SortBuckets(Span<double> sorted, Span<int> order, ReadOnlySpan<int> ends, int begin, int depth)
    {
        var withOrder = !order.IsEmpty;
        var largest = 0;
        for (int b = 0, start = begin; b < ends.Length; start = ends[b], b++)
        {
            largest = Math.Max(largest, ends[b] - start);
        }

        // One scratch for every large bucket, rented once.
        var scratchValues = largest > InsertionSortLimit ? ArrayPool<double>.Shared.Rent(largest) : null;
        var scratchOrder = largest > InsertionSortLimit && withOrder ? ArrayPool<int>.Shared.Rent(largest) : null;
        try
        {
            foreach (var end in ends)
            {
                var length = end - begin;
                if (length > InsertionSortLimit)
                {
                    var values = sorted.Slice(begin, length);
                    var indices = withOrder ? order.Slice(begin, length) : [];
                    values.CopyTo(scratchValues);
                    indices.CopyTo(scratchOrder);
                    SortCore(scratchValues.AsSpan(0, length), withOrder ? scratchOrder.AsSpan(0, length) : [], values, indices, depth);
                }
                else if (length > 1)
                {
                    InsertionSort(sorted.Slice(begin, length), withOrder ? order.Slice(begin, length) : []);
                }

                begin = end;
            }
        }
        finally
        {
            if (scratchValues is not null)
            {
                ArrayPool<double>.Shared.Return(scratchValues);
            }

            if (scratchOrder is not null)
            {
                ArrayPool<int>.Shared.Return(scratchOrder);
            }
        }
    }

    private static void Copy(ReadOnlySpan<double> source, ReadOnlySpan<int> sourceIndex, Span<double> sorted, Span<int> order)
    {
        source.CopyTo(sorted);
        if (order.IsEmpty)
        {
            return;
        }

        if (sourceIndex.IsEmpty)
        {
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }
        }
        else
        {
            sourceIndex.CopyTo(order);
        }
    }

    /// <summary>Stable: an element moves only past strictly greater ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InsertionSort(Span<double> values, Span<int> order)
    {
        var withOrder = !order.IsEmpty;
        for (var i = 1; i < values.Length; i++)
        {
            var x = values[i];
            var j = i - 1;
            if (!(values[j] > x))
            {
                continue;
            }

            var index = withOrder ? order[i] : 0;
            do
            {
                values[j + 1] = values[j];
                if (withOrder)
                {
                    order[j + 1] = order[j];
                }

                j--;
            }
            while (j >= 0 && values[j] > x);

            values[j + 1] = x;
            if (withOrder)
            {
                order[j + 1] = index;
            }
        }
    }

    /// <summary>Introsort, then runs of equal values put back in index order so ties stay stable.</summary>
    private static void ComparisonSort(Span<double> values, Span<int> order)
    {
        if (order.IsEmpty)
        {
            values.Sort();
            return;
        }

        values.Sort(order);
        var start = 0;
        while (start < values.Length)
        {
            var end = start + 1;
            while (end < values.Length && values[end].Equals(values[start]))
            {
                end++;
            }

            if (end - start > 1)
            {
                order[start..end].Sort();
            }

            start = end;
        }
    }
}
