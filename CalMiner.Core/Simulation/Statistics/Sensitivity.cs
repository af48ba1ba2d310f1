using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CalMiner.Simulation.Statistics;

/// <summary>One sampled input of a run, as the sensitivity analysis sees it.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Values">The input's value in every iteration, in iteration order (no NaN); empty when <see cref="SensitivityInput.ValueOfRank"/> gives them.</param>
internal sealed record SensitivityInput(string Name, ReadOnlyMemory<double> Values)
{
    /// <summary>
    /// 0-based ranks of the values (a permutation of 0..n−1), when the sampler already knows them,
    /// e.g. Latin Hypercube strata; empty to rank the values here. Given ranks are used as they are,
    /// so pass them only for inputs without tied values.
    /// </summary>
    public ReadOnlyMemory<int> Ranks { get; init; }

    /// <summary>
    /// Instead of <see cref="Ranks"/>: writes the ranks of the iterations from <c>first</c> on, for a sampler
    /// that computes them (Latin Hypercube strata), so that no column of ranks is kept.
    /// </summary>
    public RankFiller? RanksOf { get; init; }

    /// <summary>
    /// With <see cref="Ranks"/> or <see cref="RanksOf"/> and without <see cref="Values"/>: the value of rank r, for a sampler that can
    /// compute any one (the quantile of a stratum); then <see cref="StandardDeviation"/> is required too.
    /// </summary>
    public Func<int, double>? ValueOfRank { get; init; }

    /// <summary>The values' sample standard deviation, when they are given by <see cref="ValueOfRank"/>.</summary>
    public double StandardDeviation { get; init; }
}

/// <summary>Writes the ranks of iterations first .. first + destination.Length − 1.</summary>
internal delegate void RankFiller(int first, Span<int> destination);

/// <summary>How one input drives the target.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="RankCorrelation">Spearman rank correlation with the target, in −1..1 (tied values share their mean rank).</param>
/// <param name="ContributionToVariance">ρ²/Σρ² as a signed percentage (sign of ρ), so the magnitudes over all inputs add up to 100.</param>
/// <param name="Median">The input's median over all iterations (<see cref="Percentile"/> definition).</param>
/// <param name="TailMedian">The input's median over the tail iterations; NaN when the tail is empty.</param>
/// <param name="StandardDeviation">The input's sample standard deviation over all iterations.</param>
/// <param name="TailShift">(TailMedian − Median)/StandardDeviation: how far the tail iterations sit from the usual value, in sds; 0 for a constant input, NaN for an empty tail.</param>
internal sealed record InputSensitivity(string Name, double RankCorrelation, double ContributionToVariance, double Median, double TailMedian, double StandardDeviation, double TailShift);

/// <summary>Settings of the sensitivity analysis.</summary>
internal sealed record SensitivityOptions
{
    public static SensitivityOptions Default { get; } = new();

    /// <summary>Probability that bounds the tail, in (0, 0.5]; default 0.10 (the iterations with target ≤ P10).</summary>
    public double TailProbability { get; init; } = 0.10;

    /// <summary>When true the tail is the upper one instead: target ≥ P(1 − TailProbability).</summary>
    public bool UpperTail { get; init; }

    /// <summary>Most threads to use; −1 for all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>
/// Sensitivity of a target output (after-tax NPV) to each sampled input: Spearman rank correlation,
/// contribution to variance (squared rank correlations normalised to 100 %, sign kept, as Crystal
/// Ball reports it) and tail scenario analysis (which inputs sit unusually high or low in the
/// iterations where the target is in its tail).
/// </summary>
internal static class Sensitivity
{
    /// <param name="target">The target output of every iteration (no NaN).</param>
    /// <param name="inputs">The inputs, each as long as the target.</param>
    /// <param name="options">Tail and threading settings; <see cref="SensitivityOptions.Default"/> when null.</param>
    public static InputSensitivity[] Analyse(ReadOnlyMemory<double> target, IReadOnlyList<SensitivityInput> inputs, SensitivityOptions? options = null) =>
        Analyse(target, inputs.Count, i => inputs[i], options);

    /// <param name="target">The target output of every iteration (no NaN).</param>
    /// <param name="count">The number of inputs.</param>
    /// <param name="input">Makes input i when it is analysed, so that only a few inputs' columns exist at once.</param>
    /// <param name="options">Tail and threading settings; <see cref="SensitivityOptions.Default"/> when null.</param>
    public static InputSensitivity[] Analyse(ReadOnlyMemory<double> target, int count, Func<int, SensitivityInput> input, SensitivityOptions? options = null)
    {
        options ??= SensitivityOptions.Default;
        var n = target.Length;
        var parallelism = options.MaxDegreeOfParallelism;
        var results = new InputSensitivity[count];
        if (n == 0)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = new InputSensitivity(input(i).Name, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
            }

            return results;
        }

        var targetRanks = ArrayPool<double>.Shared.Rent(n);
        var tail = ArrayPool<int>.Shared.Rent(n);
        try
        {
            var tailCount = RankAndTail(target, targetRanks, tail, options, parallelism);
            var correlations = new double[count];

            // Inputs given by their values are ranked and analysed one at a time; inputs with known ranks wait
            // for one pass over the iterations that serves them all.
            var ranked = new SensitivityInput?[count];
            FixedChunks.For(count, parallelism, i =>
            {
                var made = input(i);
                if (made.Ranks.IsEmpty && made.RanksOf is null)
                {
                    correlations[i] = SpearmanOfValues(targetRanks.AsSpan(0, n), made.Values.Span);
                    results[i] = Tail(made, tail.AsSpan(0, tailCount));
                }
                else
                {
                    ranked[i] = made;
                }
            });
            AnalyseRanked(targetRanks, n, ranked, tail.AsMemory(0, tailCount), correlations, results, parallelism);

            var contributions = new double[count];
            ContributionToVariance(correlations, contributions);
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = results[i] with { RankCorrelation = correlations[i], ContributionToVariance = contributions[i] };
            }

            return results;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(targetRanks);
            ArrayPool<int>.Shared.Return(tail);
        }
    }

    /// <summary>Mid-ranks (0-based, ties share their mean rank) of values without NaN.</summary>
    public static void MidRanks(ReadOnlySpan<double> values, Span<double> ranks)
    {
        var n = values.Length;
        var sorted = ArrayPool<double>.Shared.Rent(n);
        var order = ArrayPool<int>.Shared.Rent(n);
        try
        {
            BucketSort.MidRanks(values, ranks, sorted.AsSpan(0, n), order.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sorted);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>
    /// The target's mid-ranks, and the indices of the tail iterations (target ≤ its P10, or ≥ its P90 for the
    /// upper tail) in ascending order, with the bound's order statistics found by the ranking; returns their number.
    /// </summary>
    private static int RankAndTail(ReadOnlyMemory<double> target, double[] ranks, int[] tail, SensitivityOptions options, int parallelism)
    {
        var n = target.Length;
        Statistics.Percentile.Position(n, options.UpperTail ? 1 - options.TailProbability : options.TailProbability, out var lower, out var fraction);
        Span<int> positions = [lower, Math.Min(lower + 1, n - 1)];
        Span<double> selected = stackalloc double[2];
        var scratch = ArrayPool<double>.Shared.Rent(n);
        var order = ArrayPool<int>.Shared.Rent(n);
        try
        {
            BucketSort.MidRanks(target, ranks, scratch, order, parallelism, positions, selected);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
            ArrayPool<int>.Shared.Return(order);
        }

        var bound = Statistics.Percentile.Interpolate(selected[0], selected[1], fraction);

        // Each chunk keeps its tail at its own start, then the chunks close up in order.
        var chunks = FixedChunks.Count(n);
        var kept = ArrayPool<int>.Shared.Rent(chunks);
        var upper = options.UpperTail;
        try
        {
            FixedChunks.For(chunks, parallelism, chunk =>
            {
                var (start, length) = FixedChunks.Of(chunk, n).GetOffsetAndLength(n);
                kept[chunk] = KeepTail(target.Span.Slice(start, length), start, bound, upper, tail.AsSpan(start, length));
            });

            var total = 0;
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                Array.Copy(tail, chunk * FixedChunks.Size, tail, total, kept[chunk]);
                total += kept[chunk];
            }

            return total;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(kept);
        }
    }

    /// <summary>
    /// Writes the indices (from <paramref name="first"/> on) of the values in the tail to the start of <paramref name="kept"/>;
    /// returns their number. Every index is written and only the tail's are kept, so there is no branch to mispredict.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int KeepTail(ReadOnlySpan<double> values, int first, double bound, bool upper, Span<int> kept)
    {
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            kept[count] = first + i;
            count += (upper ? values[i] >= bound : values[i] <= bound) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Spearman's ρ: the Pearson correlation of two rank vectors (0-based ranks, mean (n − 1)/2); NaN when either is constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Spearman(ReadOnlySpan<double> ranksA, ReadOnlySpan<double> ranksB)
    {
        var centre = (ranksA.Length - 1) / 2.0;
        ref var a = ref MemoryMarshal.GetReference(ranksA);
        ref var b = ref MemoryMarshal.GetReference(ranksB);
        var c = Vector256.Create(centre);
        Vector256<double> ab = default, aa = default, bb = default;
        var i = 0;
        for (; i <= ranksA.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var x = Vector256.LoadUnsafe(ref a, (nuint)i) - c;
            var y = Vector256.LoadUnsafe(ref b, (nuint)i) - c;
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }

        double sab = Sum(ab), saa = Sum(aa), sbb = Sum(bb);
        for (; i < ranksA.Length; i++)
        {
            var x = ranksA[i] - centre;
            var y = ranksB[i] - centre;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }

        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>
    /// Contribution to variance: 100·sign(ρᵢ)·ρᵢ²/Σρ², all 0 when every ρ is 0. NaN correlations
    /// (constant inputs) contribute nothing.
    /// </summary>
    public static void ContributionToVariance(ReadOnlySpan<double> rankCorrelations, Span<double> destination)
    {
        var total = 0.0;
        foreach (var rho in rankCorrelations)
        {
            if (!double.IsNaN(rho))
            {
                total += rho * rho;
            }
        }

        for (var i = 0; i < rankCorrelations.Length; i++)
        {
            var rho = rankCorrelations[i];
            destination[i] = total == 0 || double.IsNaN(rho) ? 0 : 100 * Math.Sign(rho) * rho * rho / total;
        }
    }

    /// <summary>
    /// Spearman's ρ of every input with known ranks in one pass over the iterations, chunk by chunk (computed
    /// ranks are made once a chunk, for every input), keeping the ranks of the tail iterations for the tail
    /// medians. Each chunk's sums are added in chunk order, so ρ does not depend on the thread count.
    /// </summary>
    private static void AnalyseRanked(double[] targetRanks, int n, SensitivityInput?[] inputs, ReadOnlyMemory<int> tail, double[] correlations, InputSensitivity[] results, int parallelism)
    {
        int[] ranked = [.. Enumerable.Range(0, inputs.Length).Where(i => inputs[i] is not null)];
        if (ranked.Length == 0)
        {
            return;
        }

        var chunks = FixedChunks.Count(n);
        var stride = 1 + (2 * ranked.Length);
        var sums = ArrayPool<double>.Shared.Rent(chunks * stride);
        var tailRanks = ArrayPool<int>.Shared.Rent(Math.Max(1, tail.Length * ranked.Length));
        var centre = (n - 1) / 2.0;
        try
        {
            FixedChunks.For(chunks, parallelism, chunk =>
            {
                var range = FixedChunks.Of(chunk, n);
                var (start, length) = range.GetOffsetAndLength(n);
                var a = targetRanks.AsSpan(start, length);
                var tailIndices = tail.Span;
                var firstTail = LowerBound(tailIndices, start);
                var inChunk = tailIndices[firstTail..LowerBound(tailIndices, start + length)];
                var partial = sums.AsSpan(chunk * stride, stride);
                partial[0] = Reductions.SumOfSquaredDeviations(a, centre);
                var scratch = ArrayPool<int>.Shared.Rent(length);
                try
                {
                    for (var k = 0; k < ranked.Length; k++)
                    {
                        var made = inputs[ranked[k]]!;
                        ReadOnlySpan<int> b = made.Ranks.IsEmpty ? scratch.AsSpan(0, length) : made.Ranks.Span.Slice(start, length);
                        made.RanksOf?.Invoke(start, scratch.AsSpan(0, length));
                        (partial[1 + (2 * k)], partial[2 + (2 * k)]) = Products(a, b, centre);
                        var kept = tailRanks.AsSpan((k * tail.Length) + firstTail, inChunk.Length);
                        for (var t = 0; t < inChunk.Length; t++)
                        {
                            kept[t] = b[inChunk[t] - start];
                        }
                    }
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(scratch);
                }
            });

            for (var k = 0; k < ranked.Length; k++)
            {
                double aa = 0, ab = 0, bb = 0;
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    aa += sums[chunk * stride];
                    ab += sums[(chunk * stride) + 1 + (2 * k)];
                    bb += sums[(chunk * stride) + 2 + (2 * k)];
                }

                correlations[ranked[k]] = ab / Math.Sqrt(aa * bb);
            }

            FixedChunks.For(ranked.Length, parallelism, k =>
            {
                var made = inputs[ranked[k]]!;
                results[ranked[k]] = made.ValueOfRank is { } valueOfRank
                    ? TailOfRanks(made, n, valueOfRank, tailRanks.AsSpan(k * tail.Length, tail.Length))
                    : Tail(made, tail.Span);
            });
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
            ArrayPool<int>.Shared.Return(tailRanks);
        }
    }

    /// <summary>Σ (a − centre)(b − centre) and Σ (b − centre)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Products, double Squares) Products(ReadOnlySpan<double> a, ReadOnlySpan<int> b, double centre)
    {
        ref var x0 = ref MemoryMarshal.GetReference(a);
        ref var y0 = ref MemoryMarshal.GetReference(b);
        var c = Vector256.Create(centre);
        Vector256<double> ab = default, bb = default;
        var i = 0;
        for (; i <= a.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var x = Vector256.LoadUnsafe(ref x0, (nuint)i) - c;
            var y = ToDouble(Vector128.LoadUnsafe(ref y0, (nuint)i)) - c;
            ab += x * y;
            bb += y * y;
        }

        double sab = Sum(ab), sbb = Sum(bb);
        for (; i < a.Length; i++)
        {
            var x = a[i] - centre;
            var y = b[i] - centre;
            sab += x * y;
            sbb += y * y;
        }

        return (sab, sbb);
    }

    /// <summary>Four integers as doubles: one instruction with AVX, the portable widening elsewhere; both exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ToDouble(Vector128<int> values) => Avx.IsSupported
        ? Avx.ConvertToVector256Double(values)
        : Vector256.ConvertToDouble(Vector256.WidenLower(values.ToVector256Unsafe()));

    /// <summary>The first position in ascending <paramref name="sorted"/> whose value is ≥ <paramref name="value"/>.</summary>
    private static int LowerBound(ReadOnlySpan<int> sorted, int value)
    {
        var found = sorted.BinarySearch(value);
        return found >= 0 ? found : ~found;
    }

    private static double SpearmanOfValues(ReadOnlySpan<double> targetRanks, ReadOnlySpan<double> values)
    {
        var ranks = ArrayPool<double>.Shared.Rent(values.Length);
        try
        {
            MidRanks(values, ranks.AsSpan(0, values.Length));
            return Spearman(targetRanks, ranks.AsSpan(0, values.Length));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(ranks);
        }
    }

    private static InputSensitivity Tail(SensitivityInput input, ReadOnlySpan<int> tail)
    {
        var values = input.Values;
        var moments = OutputStatistics.Moments(values, 1);
        var mean = moments.Sum / moments.Present;
        var sd = moments.Present > 1
            ? Math.Sqrt(OutputStatistics.SumOfSquaredDeviations(values, mean, 1) / (moments.Present - 1))
            : 0;
        var median = Percentile(values, moments, 0.5, 1);
        var tailMedian = double.NaN;
        if (!tail.IsEmpty)
        {
            var subset = ArrayPool<double>.Shared.Rent(tail.Length);
            try
            {
                var span = values.Span;
                for (var i = 0; i < tail.Length; i++)
                {
                    subset[i] = span[tail[i]];
                }

                var slice = subset.AsMemory(0, tail.Length);
                tailMedian = Percentile(slice, Reductions.Moments(slice.Span), 0.5, 1);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(subset);
            }
        }

        var shift = sd == 0 ? 0 : (tailMedian - median) / sd;
        return new InputSensitivity(input.Name, double.NaN, double.NaN, median, tailMedian, sd, shift);
    }

    /// <summary>
    /// <see cref="Tail"/> from ranks: the value of each rank only grows with the rank, so a median of values
    /// is the value of the median rank, and the tail's ranks are selected by marking them in a bitmap.
    /// </summary>
    private static InputSensitivity TailOfRanks(SensitivityInput input, int n, Func<int, double> valueOfRank, ReadOnlySpan<int> tailRanks)
    {
        var median = PercentileOfRanks(n, 0.5, k => valueOfRank(k));
        var tailMedian = double.NaN;
        if (!tailRanks.IsEmpty)
        {
            var words = (n + 63) / 64;
            var marks = ArrayPool<ulong>.Shared.Rent(words);
            try
            {
                Array.Clear(marks, 0, words);
                foreach (var rank in tailRanks)
                {
                    marks[rank >> 6] |= 1UL << rank;
                }

                tailMedian = PercentileOfRanks(tailRanks.Length, 0.5, k => valueOfRank(MarkedRank(marks.AsSpan(0, words), k)));
            }
            finally
            {
                ArrayPool<ulong>.Shared.Return(marks);
            }
        }

        var sd = input.StandardDeviation;
        var shift = sd == 0 ? 0 : (tailMedian - median) / sd;
        return new InputSensitivity(input.Name, double.NaN, double.NaN, median, tailMedian, sd, shift);
    }

    /// <summary>The percentile of n values from their order statistics, the k-th given by <paramref name="orderStatistic"/>.</summary>
    private static double PercentileOfRanks(int n, double probability, Func<int, double> orderStatistic)
    {
        Statistics.Percentile.Position(n, probability, out var lower, out var fraction);
        var low = orderStatistic(lower);
        return fraction == 0 ? low : Statistics.Percentile.Interpolate(low, orderStatistic(lower + 1), fraction);
    }

    /// <summary>The k-th (0-based) marked rank.</summary>
    private static int MarkedRank(ReadOnlySpan<ulong> marks, int k)
    {
        for (var word = 0; ; word++)
        {
            var count = BitOperations.PopCount(marks[word]);
            if (k < count)
            {
                var bits = marks[word];
                for (; k > 0; k--)
                {
                    bits &= bits - 1;
                }

                return (word << 6) + BitOperations.TrailingZeroCount(bits);
            }

            k -= count;
        }
    }

    private static double Percentile(ReadOnlyMemory<double> values, in RangeMoments moments, double probability, int parallelism)
    {
        var present = (int)moments.Present;
        Statistics.Percentile.Position(present, probability, out var lower, out var fraction);
        Span<int> ranks = [lower, Math.Min(lower + 1, present - 1)];
        Span<double> selected = stackalloc double[2];
        OrderStatistics.Select(values, moments, ranks, selected, parallelism);
        return Statistics.Percentile.Interpolate(selected[0], selected[1], fraction);
    }

    private static double Sum(Vector256<double> v) => v[0] + v[1] + v[2] + v[3];
}
