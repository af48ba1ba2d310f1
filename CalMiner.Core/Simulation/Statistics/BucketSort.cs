using System.Buffers;
using System.Runtime.CompilerServices;

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
    /// <see cref="MidRanks(ReadOnlySpan{double}, Span{double}, Span{double}, Span{int})"/> on several threads: the
    /// first level of buckets is counted and scattered chunk by chunk, each chunk to its own places in every
    /// bucket, then the buckets are ranked in parallel. Equal values always share a bucket, so a bucket's
    /// mid-ranks need only its start, and they do not depend on the thread count. The order statistics at a
    /// few sorted <paramref name="positions"/> come too, each from its bucket alone.
    /// </summary>
    public static void MidRanks(
        ReadOnlyMemory<double> values, double[] ranks, double[] scratch, int[] orderScratch, int maxDegreeOfParallelism, ReadOnlySpan<int> positions, Span<double> orderStatistics)
    {
        var n = values.Length;
        var chunks = FixedChunks.Count(n);
        var (min, max) = Reductions.MinMax(values.Span);
        var buckets = Math.Min(CoarseBuckets, n / 256);
        var scale = buckets / (max - min);
        if (chunks <= 1 || maxDegreeOfParallelism == 1 || !double.IsFinite(scale) || scale == 0)
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
                Count(values.Span[FixedChunks.Of(chunk, n)], min, scale, places.AsSpan(chunk * buckets, buckets)));

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
                Scatter(values.Span[range], range.Start.Value, min, scale, places.AsSpan(chunk * buckets, buckets), scratch, orderScratch);
            });

            for (var i = 0; i < positions.Length; i++)
            {
                orderStatistics[i] = OrderStatistic(scratch, ends.AsSpan(0, buckets), positions[i]);
            }

            // A few bucket groups a thread, so that threads finish together on skewed data. Each bucket's values
            // are replaced by their mid-ranks in place, so these writes stay in cache.
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
                var bucketRanks = ArrayPool<double>.Shared.Rent(Math.Max(1, largest));
                try
                {
                    for (int b = first, begin = first == 0 ? 0 : ends[first - 1]; b < end; begin = ends[b], b++)
                    {
                        var values = scratch.AsSpan(begin, ends[b] - begin);
                        MidRanksOfBucket(values, orderScratch.AsSpan(begin, values.Length), begin, bucketRanks, work);
                        bucketRanks.AsSpan(0, values.Length).CopyTo(values);
                    }
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(work);
                    ArrayPool<double>.Shared.Return(bucketRanks);
                }
            });

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
    /// Mid-ranks of one bucket (its values, their indices, the rank of its first place) without sorting it: the
    /// values are counted into about two sub-buckets a value, so most are alone in theirs and their rank is the
    /// number of values in the sub-buckets below; the few that share one are compared with each other. A bucket
    /// whose values crowd into a few sub-buckets (skewed data) is sorted instead, its values and indices together.
    /// <c>ranks</c>[j] gets the mid-rank of the value at place j; <c>work</c> holds at least 4 × the bucket's
    /// length + 1 integers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MidRanksOfBucket(Span<double> values, Span<int> indices, int offset, Span<double> ranks, Span<int> work)
    {
        var k = values.Length;
        if (k == 0)
        {
            return;
        }

        var (min, max) = Reductions.MinMax(values);
        var subBuckets = 2 * k;
        var scale = subBuckets / (max - min);
        if (min == max || !double.IsFinite(scale))
        {
            SortAndAssign(values, indices, offset, ranks, min == max);
            return;
        }

        var last = subBuckets - 1;
        var ends = work[..(subBuckets + 1)];
        var sub = work.Slice(subBuckets + 1, k);
        var members = work.Slice(subBuckets + 1 + k, k);
        ends.Clear();
        for (var j = 0; j < k; j++)
        {
            sub[j] = Math.Min((int)((values[j] - min) * scale), last);
            ends[sub[j] + 1]++;
        }

        var crowd = 0;
        for (var s = 1; s <= subBuckets; s++)
        {
            crowd = Math.Max(crowd, ends[s]);
            ends[s] += ends[s - 1];
        }

        if (crowd > InsertionSortLimit)
        {
            SortAndAssign(values, indices, offset, ranks, false);
            return;
        }

        // ends[s] is where sub-bucket s starts; placing its members moves it to where it ends.
        for (var j = 0; j < k; j++)
        {
            members[ends[sub[j]]++] = j;
        }

        for (var j = 0; j < k; j++)
        {
            var s = sub[j];
            var begin = s == 0 ? 0 : ends[s - 1];
            double rank = begin;
            if (ends[s] - begin > 1)
            {
                var x = values[j];
                int below = 0, equal = 0;
                foreach (var m in members[begin..ends[s]])
                {
                    below += values[m] < x ? 1 : 0;
                    equal += values[m] == x ? 1 : 0;
                }

                rank += below + ((equal - 1) / 2.0);
            }

            ranks[j] = offset + rank;
        }
    }

    /// <summary>Mid-ranks of a bucket by sorting it in place (or, when all its values are equal, at once).</summary>
    private static void SortAndAssign(Span<double> values, Span<int> indices, int offset, Span<double> ranks, bool equal)
    {
        if (!equal)
        {
            ComparisonSort(values, indices);
        }

        var start = 0;
        while (start < values.Length)
        {
            var end = start + 1;
            while (end < values.Length && values[end].Equals(values[start]))
            {
                end++;
            }

            ranks[start..end].Fill(offset + ((start + end - 1) / 2.0));
            start = end;
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
    private static void Count(ReadOnlySpan<double> values, double min, double scale, Span<int> counts)
    {
        counts.Clear();
        var last = counts.Length - 1;
        foreach (var x in values)
        {
            counts[Math.Min((int)((x - min) * scale), last)]++;
        }
    }

    /// <summary>Moves each value, and its index (from <paramref name="first"/> on), to the next place of its bucket.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(ReadOnlySpan<double> values, int first, double min, double scale, Span<int> next, double[] scattered, int[] indices)
    {
        var last = next.Length - 1;
        for (var i = 0; i < values.Length; i++)
        {
            var p = next[Math.Min((int)((values[i] - min) * scale), last)]++;
            scattered[p] = values[i];
            indices[p] = first + i;
        }
    }

    /// <summary>The value at a sorted position, from the scattered buckets: the bucket that holds it, sorted on its own.</summary>
    private static double OrderStatistic(double[] scattered, ReadOnlySpan<int> ends, int position)
    {
        var found = ends.BinarySearch(position);
        var bucket = found >= 0 ? found + 1 : ~found;
        while (ends[bucket] <= position)
        {
            bucket++;
        }

        var begin = bucket == 0 ? 0 : ends[bucket - 1];
        var copy = ArrayPool<double>.Shared.Rent(ends[bucket] - begin);
        try
        {
            var values = copy.AsSpan(0, ends[bucket] - begin);
            scattered.AsSpan(begin, values.Length).CopyTo(values);
            values.Sort();
            return values[position - begin];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(copy);
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
        var withOrder = !order.IsEmpty;
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
        var scale = buckets / (max - min);
        if (depth >= MaxDepth || !double.IsFinite(scale) || scale == 0)
        {
            Copy(source, sourceIndex, sorted, order);
            ComparisonSort(sorted, order);
            return;
        }

        var last = buckets - 1;
        int[]? rentedCounts = null;
        try
        {
            var counts = buckets < StackCounts
                ? stackalloc int[StackCounts]
                : (rentedCounts = ArrayPool<int>.Shared.Rent(buckets + 1));
            counts = counts[..(buckets + 1)];
            counts.Clear();
            foreach (var x in source)
            {
                counts[Math.Min((int)((x - min) * scale), last) + 1]++;
            }

            for (var b = 1; b <= buckets; b++)
            {
                counts[b] += counts[b - 1];
            }

            // counts[b] is now where bucket b starts; the scatter moves it to where bucket b ends.
            for (var i = 0; i < n; i++)
            {
                var x = source[i];
                var p = counts[Math.Min((int)((x - min) * scale), last)]++;
                sorted[p] = x;
                if (withOrder)
                {
                    order[p] = sourceIndex.IsEmpty ? i : sourceIndex[i];
                }
            }

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
