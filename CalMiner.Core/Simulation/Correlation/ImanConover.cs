using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CalMiner.Numerics;
using CalMiner.Simulation.Sampling;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Simulation.Correlation;

/// <summary>
/// Iman–Conover rank correlation (R. L. Iman and W. J. Conover, "A distribution-free approach to
/// inducing rank correlation among input variables", Commun. Statist. B11 (1982) 311–334): each
/// input column is reordered, never changed, so that the rank correlations of the columns match a
/// target matrix. Marginal distributions, and the strata of a Latin Hypercube sample, are kept
/// exactly.
/// </summary>
/// <remarks>
/// <para>
/// Steps, for n iterations and k inputs: give every column van der Waerden scores
/// a(r) = Φ⁻¹((r + 1)/(n + 1)) in a random order (by default its own rank order); correct the
/// chance correlation Q of those scores and impose the target: S* = S·E⁻ᵀ·Pᵀ with Q = E·Eᵀ and
/// the target's Cholesky factor P; then sort each column into the rank order of its column of S*.
/// </para>
/// <para>
/// The target holds Spearman rank correlations; the scores are (nearly) normal, whose Spearman ρs
/// relates to Pearson r by ρs = (6/π)·asin(r/2), so P factors r = 2·sin(π·ρs/6). Without this
/// step a target of 0.5 comes out about 0.48.
/// </para>
/// <para>
/// Cost: O(n·k²) arithmetic in cache-sized row blocks on all cores, plus one radix sort of the
/// scores per column (no comparison sort); inputs whose ranks the sampler gives (LHS strata) are not ranked.
/// The result depends only on the inputs (and the seed, when shuffling), never on the thread count.
/// </para>
/// </remarks>
internal static class ImanConover
{
    /// <summary>Rows per block of the k×k products: 4096 rows × 15 columns of doubles fit in L2.</summary>
    internal const int BlockRows = 4096;

    /// <summary>Key bits per radix pass: two passes cover the 32-bit keys.</summary>
    private const int RadixBits = 16;

    /// <summary>Above this many rows a column's radix sort needs 64 MiB of pairs, and columns are not sorted side by side.</summary>
    private const int MaxParallelRankRows = 1 << 23;

    /// <summary>Fewest rows for each worker of one column's radix sort: with fewer, its counts would cost more than its rows.</summary>
    private const int MinRowsPerWorker = 1 << 18;

    /// <summary>Most workers of one column's radix sort: their counts grow with the square of their number, and memory bandwidth bounds the sort well before.</summary>
    private const int MaxRankWorkers = 4;

    /// <summary>Reorders each column in place so its rank correlations approach <paramref name="target"/>.</summary>
    /// <param name="columns">k input columns, each n values in iteration order, reordered in place.</param>
    /// <param name="target">Valid k×k target rank correlation matrix (see <see cref="CorrelationMatrixValidation.Prepare"/>), rows in column order.</param>
    /// <param name="workspace">Reusable work memory.</param>
    /// <param name="options">Shuffling and threading; <see cref="ImanConoverOptions.Default"/> when null.</param>
    /// <param name="ranks">Null, or per column the 0-based ranks of its values (a permutation of 0..n−1, e.g. LHS strata) or an empty memory to rank it here.</param>
    public static void Apply(
        IReadOnlyList<Memory<double>> columns,
        CorrelationMatrix target,
        ImanConoverWorkspace workspace,
        ImanConoverOptions? options = null,
        IReadOnlyList<ReadOnlyMemory<int>>? ranks = null)
    {
        options ??= ImanConoverOptions.Default;
        var k = columns.Count;
        var n = k == 0 ? 0 : columns[0].Length;
        if (k < 2 || n < 3)
        {
            return;
        }

        // Work on ranks; each column's values, in rank order, are put back in the new order at the end.
        var ordered = new int[k][];
        var sortedValues = new double[k][];
        FixedChunks.For(k, options.MaxDegreeOfParallelism, j =>
        {
            var (r, sorted) = (ordered[j] = new int[n], sortedValues[j] = new double[n]);
            var values = columns[j].Span;
            if (ranks is not null && j < ranks.Count && !ranks[j].IsEmpty)
            {
                ranks[j].Span.CopyTo(r);
                for (var i = 0; i < n; i++)
                {
                    sorted[r[i]] = values[i];
                }

                return;
            }

            var scratch = ArrayPool<int>.Shared.Rent(n);
            try
            {
                BucketSort.Ranks(values, r, sorted, scratch.AsSpan(0, n));
            }
            finally
            {
                ArrayPool<int>.Shared.Return(scratch);
            }
        });

        Reorder([.. ordered.Select(r => (Memory<int>)r)], target, workspace, options);
        FixedChunks.For(k, options.MaxDegreeOfParallelism, j =>
        {
            var values = columns[j].Span;
            var (r, sorted) = (ordered[j], sortedValues[j]);
            for (var i = 0; i < n; i++)
            {
                values[i] = sorted[r[i]];
            }
        });
    }

    /// <summary>
    /// The heart of <see cref="Apply"/> on ranks alone: rewrites each column's ranks so that the values put in
    /// that rank order take on the target rank correlations. Only the permutation changes, so a sampler that
    /// can give the value of any rank (Latin Hypercube strata) never needs the values in iteration order.
    /// The score columns are never stored: each block of rows gathers its scores from the table when needed.
    /// </summary>
    /// <param name="ranks">k columns, each a permutation of 0..n−1 giving each iteration's rank; rewritten in place.</param>
    /// <param name="target">Valid k×k target rank correlation matrix, rows in column order.</param>
    /// <param name="workspace">Reusable work memory.</param>
    /// <param name="options">Shuffling and threading; <see cref="ImanConoverOptions.Default"/> when null.</param>
    public static void Reorder(IReadOnlyList<Memory<int>> ranks, CorrelationMatrix target, ImanConoverWorkspace workspace, ImanConoverOptions? options = null)
    {
        options ??= ImanConoverOptions.Default;
        var k = ranks.Count;
        var n = k == 0 ? 0 : ranks[0].Length;
        if (k < 2 || n < 3)
        {
            return;
        }

        var parallelism = options.MaxDegreeOfParallelism;
        var table = workspace.Scores(n, parallelism);

        // The score of each iteration, as an index into the table: its own rank, or a shuffled one.
        ReadOnlyMemory<int>[] scoreOf = options.ShuffleSeed is { } seed
            ? [.. Enumerable.Range(0, k).Select(j => (ReadOnlyMemory<int>)Shuffled(n, seed + ((ulong)j * 0xD1B54A32D192ED03UL)))]
            : [.. ranks.Select(r => (ReadOnlyMemory<int>)r)];
        var gathered = workspace.Gathered(k, n);
        var transform = Transform(target, table, scoreOf, n, parallelism, gathered);

        // Column j of S·T needs the scores of columns 0..j. Each block of rows gathers its scores before it writes its keys over
        // its own rows of the ranks (in the own-order mode, the score indices), so the keys take no memory of their own. There
        // the first column's scores are only rescaled (T is upper triangular), so it keeps its ranks.
        var first = options.ShuffleSeed is null ? 1 : 0;
        ProductKeys(table, scoreOf, transform, first, ranks, parallelism, gathered);

        // Whole columns side by side, one per worker, unless there are fewer columns than threads or the columns' sort memory
        // would be large: then one column at a time on several workers. Splitting also an uneven share (three columns on two
        // threads) measured slower: its barriers cost more than the idle worker. A stable sort has only one result, whatever
        // the workers.
        var threads = parallelism < 1 ? Environment.ProcessorCount : parallelism;
        var columns = k - first;
        var split = Math.Clamp(Math.Min(threads, n / MinRowsPerWorker), 1, MaxRankWorkers);
        var (sorts, workers) = split > 1 && (n > MaxParallelRankRows || columns < threads) ? (1, split) : (Math.Min(columns, threads), 1);
        var scratch = workspace.RadixScratch(sorts, n, RadixCounts(workers));
        FixedChunks.For(sorts, parallelism, w =>
        {
            for (var j = first + w; j < k; j += sorts)
            {
                RankKeys(ranks[j], scratch[w], workers, parallelism);
            }
        });
    }

    private static int[] Shuffled(int n, ulong seed)
    {
        var indices = new int[n];
        for (var i = 0; i < n; i++)
        {
            indices[i] = i;
        }

        new SplitMix64(seed).Shuffle(indices.AsSpan());
        return indices;
    }

    /// <summary>
    /// Columns <paramref name="first"/>..k−1 of S·T for every row, as radix keys written over <paramref name="ranks"/>: the
    /// products of <see cref="Transform"/>'s T with the rows' scores, in row blocks on all cores, rounded to single precision
    /// and turned so that unsigned order is numeric order. The scores are those <paramref name="gathered"/> holds and the
    /// others gathered again, once per block for all the columns and before the block's keys are written.
    /// </summary>
    private static void ProductKeys(ReadOnlyMemory<double> table, ReadOnlyMemory<int>[] scoreOf, double[] t, int first, IReadOnlyList<Memory<int>> ranks, int parallelism, GatheredScores gathered)
    {
        var k = scoreOf.Length;
        var n = scoreOf[0].Length;
        var blocks = (n + BlockRows - 1) / BlockRows;
        FixedChunks.For(blocks, parallelism, b =>
        {
            var row = b * BlockRows;
            var length = Math.Min(BlockRows, n - row);
            var buffer = gathered.Columns == k ? null : ArrayPool<double>.Shared.Rent(k * BlockRows);
            var block = buffer is null ? gathered.Block(b) : buffer.AsSpan(0, k * BlockRows);
            try
            {
                if (buffer is not null)
                {
                    gathered.Block(b).CopyTo(block);
                    for (var l = gathered.Columns; l < k; l++)
                    {
                        Gather(table.Span, scoreOf[l].Span.Slice(row, length), block.Slice(l * BlockRows, length));
                    }
                }

                for (var j = first; j < k; j++)
                {
                    ColumnKeys(block, t, j, k, MemoryMarshal.Cast<int, uint>(ranks[j].Span).Slice(row, length));
                }
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<double>.Shared.Return(buffer);
                }
            }
        });
    }

    /// <summary>The keys of column j for one block of gathered scores (column l of the block at l·<see cref="BlockRows"/>).</summary>
    private static void ColumnKeys(ReadOnlySpan<double> buffer, double[] t, int j, int k, Span<uint> keys)
    {
        ref var s = ref MemoryMarshal.GetReference(buffer);
        ref var key = ref MemoryMarshal.GetReference(keys);
        var length = keys.Length;
        var diagonal = t[(j * k) + j];
        var i = 0;
        for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var lower = Vector256.LoadUnsafe(ref s, (nuint)((j * BlockRows) + i)) * diagonal;
            var upper = Vector256.LoadUnsafe(ref s, (nuint)((j * BlockRows) + i + Vector256<double>.Count)) * diagonal;
            for (var l = 0; l < j; l++)
            {
                var c = t[(l * k) + j];
                lower += Vector256.LoadUnsafe(ref s, (nuint)((l * BlockRows) + i)) * c;
                upper += Vector256.LoadUnsafe(ref s, (nuint)((l * BlockRows) + i + Vector256<double>.Count)) * c;
            }

            RadixKeys(Vector256.Narrow(lower, upper)).StoreUnsafe(ref key, (nuint)i);
        }

        for (; i < length; i++)
        {
            var sum = buffer[(j * BlockRows) + i] * diagonal;
            for (var l = 0; l < j; l++)
            {
                sum += buffer[(l * BlockRows) + i] * t[(l * k) + j];
            }

            keys[i] = RadixKey(sum);
        }
    }

    /// <summary>
    /// The target as Pearson correlations of normal scores, r = 2·sin(π·ρs/6), and its lower
    /// Cholesky factor. The conversion can leave a valid but nearly singular target a hair outside
    /// the positive semi-definite matrices; then its nearest correlation matrix is factored.
    /// </summary>
    internal static double[] PearsonTargetFactor(CorrelationMatrix target)
    {
        var k = target.Size;
        var pearson = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                pearson[(i * k) + j] = i == j ? 1 : 2 * PortableMath.Sin(Math.PI * target[i, j] / 6);
            }
        }

        var factor = new double[k * k];
        if (!SmallMatrix.TryCholesky(pearson, k, factor))
        {
            var repaired = NearestCorrelation.Find(CorrelationMatrix.FromRowMajor(k, pearson));
            SmallMatrix.TryCholesky(repaired.Values, k, factor);
        }

        return factor;
    }

    /// <summary>Single-precision bits of a score, turned so that unsigned order is numeric order (−0 and +0 alike).</summary>
    private static uint RadixKey(double score)
    {
        var bits = BitConverter.SingleToUInt32Bits((float)score + 0f);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }

    /// <summary><see cref="RadixKey"/> of eight scores already rounded to single precision: negatives flip all bits, the rest the sign bit.</summary>
    private static Vector256<uint> RadixKeys(Vector256<float> scores)
    {
        var bits = (scores + Vector256<float>.Zero).AsInt32();
        return (bits ^ ((bits >> 31) | Vector256.Create(int.MinValue))).AsUInt32();
    }

    /// <summary>Length of the counts of <see cref="RankKeys"/> for this many workers.</summary>
    internal static int RadixCounts(int workers) => workers * (workers + 1) << RadixBits;

    /// <summary>
    /// Replaces each key by its rank, by a stable two-pass radix sort of (key, row) pairs on 16 bits at a time: scores
    /// closer than single precision (a few parts in 10⁸) are ranked in row order, which changes no rank correlation
    /// measurably and costs two linear passes instead of a sort.
    /// </summary>
    /// <remarks>
    /// Worker w counts and moves the w-th part of the rows in the first pass and, in the second, the rows whose low digit
    /// lies in the w-th part of the digits, which are in order one run of the first pass's output. Each worker starts where
    /// the counts of the workers before it end, so the order is the one of a single worker.
    /// </remarks>
    /// <param name="column">The n keys (bits of <see cref="uint"/>s), replaced by the ranks.</param>
    /// <param name="scratch">n pairs and <see cref="RadixCounts"/> counts.</param>
    /// <param name="workers">Workers of this sort, from 1 to <see cref="MaxRankWorkers"/>.</param>
    /// <param name="parallelism">Most threads to use.</param>
    internal static void RankKeys(Memory<int> column, RadixScratch scratch, int workers, int parallelism)
    {
        const int Buckets = 1 << RadixBits;
        var n = column.Length;
        var (pairs, counts) = (scratch.Pairs, scratch.Counts);

        // Worker w's counts of low digits at w·Buckets; of high digits of its rows whose low digit is in part p at
        // (workers·(w + 1) + p)·Buckets.
        var high = workers * Buckets;
        FixedChunks.For(workers, parallelism, w => CountDigits(
            MemoryMarshal.Cast<int, uint>(column.Span)[Part(w, workers, n)],
            counts.AsSpan(w * Buckets, Buckets),
            counts.AsSpan(high + (w * workers * Buckets), workers * Buckets),
            workers));

        // Starts of the first pass, digit by digit and worker by worker; and where each part of the digits begins.
        var bounds = new int[workers + 1];
        var position = 0;
        for (var p = 0; p < workers; p++)
        {
            bounds[p] = position;
            for (var digit = FirstDigit(p, workers); digit < FirstDigit(p + 1, workers); digit++)
            {
                for (var w = 0; w < workers; w++)
                {
                    ref var count = ref counts[(w * Buckets) + digit];
                    (count, position) = (position, position + count);
                }
            }
        }

        bounds[workers] = n;

        // Starts of the second pass for each part, digit by digit and part by part, kept in worker 0's counts.
        position = 0;
        for (var digit = 0; digit < Buckets; digit++)
        {
            for (var p = 0; p < workers; p++)
            {
                var start = position;
                for (var w = 0; w < workers; w++)
                {
                    position += counts[high + (((w * workers) + p) * Buckets) + digit];
                }

                counts[high + (p * Buckets) + digit] = start;
            }
        }

        FixedChunks.For(workers, parallelism, w =>
        {
            var part = Part(w, workers, n);
            ScatterPairs(MemoryMarshal.Cast<int, uint>(column.Span)[part], part.Start.Value, pairs, counts.AsSpan(w * Buckets, Buckets));
        });

        FixedChunks.For(workers, parallelism, p => RanksOfPairs(
            pairs.AsSpan(bounds[p], bounds[p + 1] - bounds[p]),
            column.Span,
            counts.AsSpan(high + (p * Buckets), Buckets)));
    }

    /// <summary>Counts the low digits of the keys, and their high digits by the part of the low digits they fall in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountDigits(ReadOnlySpan<uint> keys, Span<int> lows, Span<int> highs, int workers)
    {
        lows.Clear();
        highs.Clear();
        foreach (var x in keys)
        {
            var low = x & ((1u << RadixBits) - 1);
            lows[(int)low]++;
            highs[(int)((((low * (uint)workers) >> RadixBits) << RadixBits) | (x >> RadixBits))]++;
        }
    }

    /// <summary>
    /// Moves the (key, row) pairs of <paramref name="keys"/>, the first being row <paramref name="first"/>, to the next
    /// place of their low digit. A pair is the key in the high half and the row in the low half, so that the second pass
    /// reads each key with its row instead of from the column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterPairs(ReadOnlySpan<uint> keys, int first, Span<ulong> pairs, Span<int> next)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var x = keys[i];
            pairs[next[(int)(x & ((1u << RadixBits) - 1))]++] = ((ulong)x << 32) | (uint)(first + i);
        }
    }

    /// <summary>Gives the row of each pair, in order, the next rank of the high digit of its key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RanksOfPairs(ReadOnlySpan<ulong> pairs, Span<int> column, Span<int> next)
    {
        foreach (var pair in pairs)
        {
            column[(int)(uint)pair] = next[(int)(pair >> (32 + RadixBits))]++;
        }
    }

    /// <summary>Rows of worker w of a radix sort.</summary>
    private static Range Part(int w, int workers, int n) => new((int)((long)w * n / workers), (int)((long)(w + 1) * n / workers));

    /// <summary>First low digit of part p: digit d is in part ⌊d·workers/2¹⁶⌋.</summary>
    private static int FirstDigit(int p, int workers) => ((p << RadixBits) + workers - 1) / workers;

    private static void Gather(ReadOnlySpan<double> table, ReadOnlySpan<int> index, Span<double> destination)
    {
        for (var i = 0; i < index.Length; i++)
        {
            destination[i] = table[index[i]];
        }
    }

    /// <summary>T = E⁻ᵀ·Pᵀ (upper triangular), from the scores' own correlation Q = E·Eᵀ and the target factor P.</summary>
    private static double[] Transform(CorrelationMatrix target, ReadOnlyMemory<double> table, ReadOnlyMemory<int>[] scoreOf, int n, int parallelism, GatheredScores gathered)
    {
        var k = scoreOf.Length;
        var p = PearsonTargetFactor(target);
        var q = ScoreCorrelation(table, scoreOf, n, parallelism, gathered);
        var e = new double[k * k];
        var inverse = new double[k * k];
        var invertible = SmallMatrix.TryCholesky(q, k, e, 1e-12);
        for (var i = 0; invertible && i < k; i++)
        {
            invertible = e[(i * k) + i] > 0;
        }

        if (invertible)
        {
            SmallMatrix.InvertLower(e, k, inverse);
        }
        else
        {
            // Fewer iterations than inputs, or degenerate scores: impose the target without the correction.
            for (var i = 0; i < k; i++)
            {
                inverse[(i * k) + i] = 1;
            }
        }

        var t = new double[k * k];
        for (var l = 0; l < k; l++)
        {
            for (var j = l; j < k; j++)
            {
                var s = 0.0;
                for (var m = l; m <= j; m++)
                {
                    s += inverse[(m * k) + l] * p[(j * k) + m];
                }

                t[(l * k) + j] = s;
            }
        }

        return t;
    }

    /// <summary>
    /// Correlation of the score columns. Every column is a permutation of the same scores, which sum
    /// to exactly 0, so Q = SᵀS / Σa². Row blocks run in parallel; their partial products are added
    /// in block order. The first columns of each block's scores are kept in <paramref name="gathered"/>.
    /// </summary>
    private static double[] ScoreCorrelation(ReadOnlyMemory<double> table, ReadOnlyMemory<int>[] scoreOf, int n, int parallelism, GatheredScores gathered)
    {
        var k = scoreOf.Length;
        var blocks = (n + BlockRows - 1) / BlockRows;
        var pairs = k * k;
        var partials = ArrayPool<double>.Shared.Rent(blocks * pairs);
        try
        {
            // Work item 0, taken first, is the sum of squares of the table: a chain of dependent additions that
            // overlaps the blocks instead of following them.
            var sumOfSquares = 0.0;
            FixedChunks.For(blocks + 1, parallelism, item =>
            {
                if (item == 0)
                {
                    var sum = 0.0;
                    foreach (var a in table.Span)
                    {
                        sum += a * a;
                    }

                    sumOfSquares = sum;
                    return;
                }

                var b = item - 1;
                var start = b * BlockRows;
                var length = Math.Min(BlockRows, n - start);
                var partial = partials.AsSpan(b * pairs, pairs);
                var buffer = gathered.Columns == k ? null : ArrayPool<double>.Shared.Rent(k * BlockRows);
                var block = buffer is null ? gathered.Block(b) : buffer.AsSpan(0, k * BlockRows);
                try
                {
                    for (var j = 0; j < k; j++)
                    {
                        var x = block.Slice(j * BlockRows, length);
                        Gather(table.Span, scoreOf[j].Span.Slice(start, length), x);
                        for (var l = 0; l <= j; l++)
                        {
                            partial[(j * k) + l] = Dot(x, block.Slice(l * BlockRows, length));
                        }
                    }

                    if (buffer is not null)
                    {
                        block[..gathered.Block(b).Length].CopyTo(gathered.Block(b));
                    }
                }
                finally
                {
                    if (buffer is not null)
                    {
                        ArrayPool<double>.Shared.Return(buffer);
                    }
                }
            });

            var q = new double[pairs];
            for (var b = 0; b < blocks; b++)
            {
                var partial = partials.AsSpan(b * pairs, pairs);
                for (var j = 0; j < k; j++)
                {
                    for (var l = 0; l <= j; l++)
                    {
                        q[(j * k) + l] += partial[(j * k) + l];
                    }
                }
            }

            for (var j = 0; j < k; j++)
            {
                for (var l = 0; l <= j; l++)
                {
                    var value = j == l ? 1 : q[(j * k) + l] / sumOfSquares;
                    q[(j * k) + l] = value;
                    q[(l * k) + j] = value;
                }
            }

            return q;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
        }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ref var a = ref MemoryMarshal.GetReference(x);
        ref var b = ref MemoryMarshal.GetReference(y);
        var sum = Vector256<double>.Zero;
        var i = 0;
        for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            sum += Vector256.LoadUnsafe(ref a, (nuint)i) * Vector256.LoadUnsafe(ref b, (nuint)i);
        }

        var total = sum[0] + sum[1] + sum[2] + sum[3];
        for (; i < x.Length; i++)
        {
            total += x[i] * y[i];
        }

        return total;
    }
}
