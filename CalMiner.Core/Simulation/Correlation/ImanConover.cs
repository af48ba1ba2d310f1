using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    private const int BlockRows = 4096;

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
        var table = workspace.Scores(n);

        // The score of each iteration, as an index into the table: its own rank, or a shuffled one.
        ReadOnlyMemory<int>[] scoreOf = options.ShuffleSeed is { } seed
            ? [.. Enumerable.Range(0, k).Select(j => (ReadOnlyMemory<int>)Shuffled(n, seed + ((ulong)j * 0xD1B54A32D192ED03UL)))]
            : [.. ranks.Select(r => (ReadOnlyMemory<int>)r)];
        var transform = Transform(target, table, scoreOf, n, parallelism);

        // Column j of S·T needs the scores of columns 0..j, so the columns are ranked from the last down and
        // a column's own ranks are overwritten only after every column that needs them is done. In the
        // own-order mode the first column's scores are only rescaled (T is upper triangular), so it keeps its ranks.
        var first = options.ShuffleSeed is null ? 1 : 0;
        var (keys, order) = workspace.RadixScratch(n);
        for (var j = k - 1; j >= first; j--)
        {
            ProductKeys(table, scoreOf, transform, j, n, keys, parallelism);
            RankKeys(keys, ranks[j].Span, order);
        }
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
    /// Column j of S·T for every row, as radix keys: the products of <see cref="Transform"/>'s T with the rows' scores, in
    /// row blocks on all cores, rounded to single precision and turned so that unsigned order is numeric order.
    /// </summary>
    private static void ProductKeys(ReadOnlyMemory<double> table, ReadOnlyMemory<int>[] scoreOf, double[] t, int j, int n, uint[] keys, int parallelism)
    {
        var k = scoreOf.Length;
        var blocks = (n + BlockRows - 1) / BlockRows;
        FixedChunks.For(blocks, parallelism, b =>
        {
            var start = b * BlockRows;
            var length = Math.Min(BlockRows, n - start);
            var buffer = ArrayPool<double>.Shared.Rent((j + 1) * BlockRows);
            try
            {
                for (var l = 0; l <= j; l++)
                {
                    Gather(table.Span, scoreOf[l].Span.Slice(start, length), buffer.AsSpan(l * BlockRows, length));
                }

                ref var s = ref MemoryMarshal.GetArrayDataReference(buffer);
                var diagonal = t[(j * k) + j];
                var i = 0;
                for (; i <= length - Vector256<double>.Count; i += Vector256<double>.Count)
                {
                    var sum = Vector256.LoadUnsafe(ref s, (nuint)((j * BlockRows) + i)) * diagonal;
                    for (var l = 0; l < j; l++)
                    {
                        sum += Vector256.LoadUnsafe(ref s, (nuint)((l * BlockRows) + i)) * t[(l * k) + j];
                    }

                    for (var lane = 0; lane < Vector256<double>.Count; lane++)
                    {
                        keys[start + i + lane] = RadixKey(sum.GetElement(lane));
                    }
                }

                for (; i < length; i++)
                {
                    var sum = buffer[(j * BlockRows) + i] * diagonal;
                    for (var l = 0; l < j; l++)
                    {
                        sum += buffer[(l * BlockRows) + i] * t[(l * k) + j];
                    }

                    keys[start + i] = RadixKey(sum);
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        });
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
                pearson[(i * k) + j] = i == j ? 1 : 2 * Math.Sin(Math.PI * target[i, j] / 6);
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

    /// <summary>
    /// The rank of each key (the first n of <paramref name="keys"/>; the next n are scratch) by a stable
    /// three-pass radix sort: scores closer than single precision (a few parts in 10⁸) are ranked in row
    /// order, which changes no rank correlation measurably and costs three linear passes instead of a sort.
    /// </summary>
    private static void RankKeys(uint[] keys, Span<int> ranks, int[] order)
    {
        const int Bits = 11, Buckets = 1 << Bits, Mask = Buckets - 1;
        var n = ranks.Length;
        var key = keys.AsSpan(0, n);
        var other = keys.AsSpan(n, n);
        Span<int> histogram = new int[3 * Buckets];
        foreach (var x in key)
        {
            histogram[(int)(x & Mask)]++;
            histogram[Buckets + (int)((x >> Bits) & Mask)]++;
            histogram[(2 * Buckets) + (int)(x >> (2 * Bits))]++;
        }

        for (var pass = 0; pass < 3; pass++)
        {
            var start = 0;
            foreach (ref var count in histogram.Slice(pass * Buckets, Buckets))
            {
                (count, start) = (start, start + count);
            }
        }

        // Pass 1 from row order into (ranks as scratch, other), pass 2 into (order, key), pass 3 gives each row its rank.
        for (var i = 0; i < n; i++)
        {
            var p = histogram[(int)(key[i] & Mask)]++;
            (ranks[p], other[p]) = (i, key[i]);
        }

        for (var q = 0; q < n; q++)
        {
            var p = histogram[Buckets + (int)((other[q] >> Bits) & Mask)]++;
            (order[p], key[p]) = (ranks[q], other[q]);
        }

        var last = histogram.Slice(2 * Buckets, Buckets);
        for (var q = 0; q < n; q++)
        {
            ranks[order[q]] = last[(int)(key[q] >> (2 * Bits))]++;
        }
    }

    private static void Gather(ReadOnlySpan<double> table, ReadOnlySpan<int> index, Span<double> destination)
    {
        for (var i = 0; i < index.Length; i++)
        {
            destination[i] = table[index[i]];
        }
    }

    /// <summary>T = E⁻ᵀ·Pᵀ (upper triangular), from the scores' own correlation Q = E·Eᵀ and the target factor P.</summary>
    private static double[] Transform(CorrelationMatrix target, ReadOnlyMemory<double> table, ReadOnlyMemory<int>[] scoreOf, int n, int parallelism)
    {
        var k = scoreOf.Length;
        var p = PearsonTargetFactor(target);
        var q = ScoreCorrelation(table, scoreOf, n, parallelism);
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
    /// in block order.
    /// </summary>
    private static double[] ScoreCorrelation(ReadOnlyMemory<double> table, ReadOnlyMemory<int>[] scoreOf, int n, int parallelism)
    {
        var k = scoreOf.Length;
        var blocks = (n + BlockRows - 1) / BlockRows;
        var pairs = k * k;
        var partials = ArrayPool<double>.Shared.Rent(blocks * pairs);
        try
        {
            FixedChunks.For(blocks, parallelism, b =>
            {
                var start = b * BlockRows;
                var length = Math.Min(BlockRows, n - start);
                var partial = partials.AsSpan(b * pairs, pairs);
                var buffer = ArrayPool<double>.Shared.Rent(k * BlockRows);
                try
                {
                    for (var j = 0; j < k; j++)
                    {
                        Gather(table.Span, scoreOf[j].Span.Slice(start, length), buffer.AsSpan(j * BlockRows, length));
                        var x = buffer.AsSpan(j * BlockRows, length);
                        for (var l = 0; l <= j; l++)
                        {
                            partial[(j * k) + l] = Dot(x, buffer.AsSpan(l * BlockRows, length));
                        }
                    }
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(buffer);
                }
            });

            var sumOfSquares = 0.0;
            foreach (var a in table.Span)
            {
                sumOfSquares += a * a;
            }

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
