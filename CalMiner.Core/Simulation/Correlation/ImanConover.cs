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
/// Cost: O(n·k²) arithmetic in cache-sized row blocks on all cores, plus one bucket sort per
/// column (no comparison sort); inputs whose ranks the sampler gives (LHS strata) are not ranked.
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
        var shuffle = options.ShuffleSeed;
        var scores = workspace.Scores(n);
        workspace.Reserve(k, n);

        // Scores in random order: by each column's own ranks, or shuffled.
        FixedChunks.For(k, parallelism, j =>
        {
            var column = workspace.ScoreColumn(j, n).AsSpan(0, n);
            if (shuffle is { } seed)
            {
                scores.Span.CopyTo(column);
                new SplitMix64(seed + ((ulong)j * 0xD1B54A32D192ED03UL)).Shuffle(column);
            }
            else
            {
                var r = ranks[j].Span;
                var table = scores.Span;
                for (var i = 0; i < n; i++)
                {
                    column[i] = table[r[i]];
                }
            }
        });

        var transform = Transform(target, workspace, k, n, scores.Span, parallelism);
        MultiplyInPlace(workspace, transform, k, n, parallelism);

        // In its own-order mode the first column's scores are only rescaled (T is upper triangular), so it keeps its ranks.
        var first = shuffle is null ? 1 : 0;
        FixedChunks.For(k - first, parallelism, c =>
        {
            var j = c + first;
            var sortedScores = ArrayPool<double>.Shared.Rent(n);
            try
            {
                BucketSort.Ranks(workspace.ScoreColumn(j, n).AsSpan(0, n), ranks[j].Span, sortedScores.AsSpan(0, n), workspace.OrderColumn(j, n).AsSpan(0, n));
            }
            finally
            {
                ArrayPool<double>.Shared.Return(sortedScores);
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

    /// <summary>T = E⁻ᵀ·Pᵀ (upper triangular), from the scores' own correlation Q = E·Eᵀ and the target factor P.</summary>
    private static double[] Transform(CorrelationMatrix target, ImanConoverWorkspace workspace, int k, int n, ReadOnlySpan<double> scores, int parallelism)
    {
        var p = PearsonTargetFactor(target);
        var q = ScoreCorrelation(workspace, k, n, scores, parallelism);
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
    private static double[] ScoreCorrelation(ImanConoverWorkspace workspace, int k, int n, ReadOnlySpan<double> scores, int parallelism)
    {
        var blocks = (n + BlockRows - 1) / BlockRows;
        var pairs = k * k;
        var columns = workspace.ScoreColumns;
        var partials = ArrayPool<double>.Shared.Rent(blocks * pairs);
        try
        {
            FixedChunks.For(blocks, parallelism, b =>
            {
                var start = b * BlockRows;
                var length = Math.Min(BlockRows, n - start);
                var partial = partials.AsSpan(b * pairs, pairs);
                for (var j = 0; j < k; j++)
                {
                    var x = columns[j].AsSpan(start, length);
                    for (var l = 0; l <= j; l++)
                    {
                        partial[(j * k) + l] = Dot(x, columns[l].AsSpan(start, length));
                    }
                }
            });

            var sumOfSquares = 0.0;
            foreach (var a in scores)
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

    /// <summary>S ← S·T in place, T upper triangular: within a row block, column j is rebuilt from columns 0..j, last column first.</summary>
    private static void MultiplyInPlace(ImanConoverWorkspace workspace, double[] t, int k, int n, int parallelism)
    {
        var blocks = (n + BlockRows - 1) / BlockRows;
        var columns = workspace.ScoreColumns;
        FixedChunks.For(blocks, parallelism, b =>
        {
            var start = b * BlockRows;
            var length = Math.Min(BlockRows, n - start);
            for (var j = k - 1; j >= 0; j--)
            {
                var destination = columns[j].AsSpan(start, length);
                ref var d = ref MemoryMarshal.GetReference(destination);
                var diagonal = t[(j * k) + j];
                var i = 0;
                for (; i <= length - Vector256<double>.Count; i += Vector256<double>.Count)
                {
                    var sum = Vector256.LoadUnsafe(ref d, (nuint)i) * diagonal;
                    for (var l = 0; l < j; l++)
                    {
                        ref var s = ref MemoryMarshal.GetArrayDataReference(columns[l]);
                        sum += Vector256.LoadUnsafe(ref s, (nuint)(start + i)) * t[(l * k) + j];
                    }

                    sum.StoreUnsafe(ref d, (nuint)i);
                }

                for (; i < length; i++)
                {
                    var sum = destination[i] * diagonal;
                    for (var l = 0; l < j; l++)
                    {
                        sum += columns[l][start + i] * t[(l * k) + j];
                    }

                    destination[i] = sum;
                }
            }
        });
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
