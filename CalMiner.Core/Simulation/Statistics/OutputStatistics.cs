using System.Buffers;

namespace CalMiner.Simulation.Statistics;

/// <summary>
/// Summary statistics of one output column in three streaming passes (moments; a bucket histogram
/// that also locates every wanted order statistic and sums the squared deviations; the CVaR tail
/// sum) plus a gather of the few buckets that hold the order statistics. No sort of the column.
/// </summary>
internal static class OutputStatistics
{
    /// <summary>Summarises one output column.</summary>
    /// <param name="values">The output of every iteration, in iteration order; NaN where it is absent.</param>
    /// <param name="options">Histogram, CDF and tail settings; <see cref="StatisticsOptions.Default"/> when null.</param>
    public static OutputSummary Compute(ReadOnlyMemory<double> values, StatisticsOptions? options = null)
    {
        options ??= StatisticsOptions.Default;
        var parallelism = options.MaxDegreeOfParallelism;
        var moments = Moments(values, parallelism);
        var present = (int)moments.Present;
        if (present == 0)
        {
            return Empty(values.Length, options);
        }

        var mean = moments.Sum / present;

        // Every probability whose percentile is reported: the standard ones, the tail, the CDF points.
        var standard = Percentile.Standard;
        var probabilityCount = standard.Length + 1 + options.CdfPoints;
        var probabilities = ArrayPool<double>.Shared.Rent(probabilityCount);
        var ranks = ArrayPool<int>.Shared.Rent(2 * probabilityCount);
        var orderStatistics = ArrayPool<double>.Shared.Rent(2 * probabilityCount);
        try
        {
            standard.CopyTo(probabilities);
            probabilities[standard.Length] = options.TailProbability;
            for (var i = 0; i < options.CdfPoints; i++)
            {
                probabilities[standard.Length + 1 + i] = (double)i / (options.CdfPoints - 1);
            }

            var rankCount = 0;
            foreach (var p in probabilities.AsSpan(0, probabilityCount))
            {
                Percentile.Position(present, p, out var lower, out var fraction);
                ranks[rankCount++] = lower;
                if (fraction > 0)
                {
                    ranks[rankCount++] = lower + 1;
                }
            }

            var wanted = ranks.AsSpan(0, rankCount);
            wanted.Sort();
            rankCount = Distinct(wanted);
            wanted = wanted[..rankCount];
            var selected = orderStatistics.AsSpan(0, rankCount);

            var histogram = new int[options.HistogramBins];
            var squares = SelectAndCount(values, moments, mean, wanted, selected, histogram, parallelism);
            var standardDeviation = present > 1 ? Math.Sqrt(squares / (present - 1)) : double.NaN;

            var percentiles = new double[standard.Length];
            for (var i = 0; i < standard.Length; i++)
            {
                percentiles[i] = At(standard[i], present, wanted, selected);
            }

            var cdf = new double[options.CdfPoints];
            for (var i = 0; i < cdf.Length; i++)
            {
                cdf[i] = At(probabilities[standard.Length + 1 + i], present, wanted, selected);
            }

            var valueAtRisk = At(options.TailProbability, present, wanted, selected);
            return new OutputSummary
            {
                Iterations = values.Length,
                Present = present,
                Mean = mean,
                StandardDeviation = standardDeviation,
                Min = moments.Min,
                Max = moments.Max,
                Percentiles = percentiles,
                ProbabilityBelowZero = (double)moments.Negative / present,
                TailProbability = options.TailProbability,
                ValueAtRisk = valueAtRisk,
                ConditionalValueAtRisk = MeanAtMost(values, valueAtRisk, parallelism),
                HistogramCounts = histogram,
                Cdf = cdf,
            };
        }
        finally
        {
            ArrayPool<double>.Shared.Return(probabilities);
            ArrayPool<int>.Shared.Return(ranks);
            ArrayPool<double>.Shared.Return(orderStatistics);
        }
    }

    /// <summary>Count, sum, extremes and negatives of the present values; chunk partials merged in chunk order.</summary>
    public static RangeMoments Moments(ReadOnlyMemory<double> values, int maxDegreeOfParallelism)
    {
        var chunks = FixedChunks.Count(values.Length);
        var partials = ArrayPool<RangeMoments>.Shared.Rent(Math.Max(chunks, 1));
        try
        {
            FixedChunks.For(chunks, maxDegreeOfParallelism, chunk =>
                partials[chunk] = Reductions.Moments(values.Span[FixedChunks.Of(chunk, values.Length)]));
            var total = RangeMoments.Empty;
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                total.Add(partials[chunk]);
            }

            return total;
        }
        finally
        {
            ArrayPool<RangeMoments>.Shared.Return(partials);
        }
    }

    /// <summary>Σ (x − mean)² over the present values; chunk partials added in chunk order.</summary>
    public static double SumOfSquaredDeviations(ReadOnlyMemory<double> values, double mean, int maxDegreeOfParallelism)
    {
        var chunks = FixedChunks.Count(values.Length);
        var partials = ArrayPool<double>.Shared.Rent(Math.Max(chunks, 1));
        try
        {
            FixedChunks.For(chunks, maxDegreeOfParallelism, chunk =>
                partials[chunk] = Reductions.SumOfSquaredDeviations(values.Span[FixedChunks.Of(chunk, values.Length)], mean));
            var total = 0.0;
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                total += partials[chunk];
            }

            return total;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
        }
    }

    /// <summary>Mean of the present values ≤ <paramref name="threshold"/>; NaN when there are none.</summary>
    public static double MeanAtMost(ReadOnlyMemory<double> values, double threshold, int maxDegreeOfParallelism)
    {
        var chunks = FixedChunks.Count(values.Length);
        var sums = ArrayPool<double>.Shared.Rent(Math.Max(chunks, 1));
        var counts = ArrayPool<long>.Shared.Rent(Math.Max(chunks, 1));
        try
        {
            FixedChunks.For(chunks, maxDegreeOfParallelism, chunk =>
                sums[chunk] = Reductions.SumAtMost(values.Span[FixedChunks.Of(chunk, values.Length)], threshold, out counts[chunk]));
            var sum = 0.0;
            var count = 0L;
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                sum += sums[chunk];
                count += counts[chunk];
            }

            return count == 0 ? double.NaN : sum / count;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
            ArrayPool<long>.Shared.Return(counts);
        }
    }

    /// <summary>
    /// Selects the wanted order statistics and fills the histogram from one bucket count: the fine
    /// grid has a whole number of buckets per histogram bin, so a bin is a sum of fine buckets. Returns
    /// Σ (x − mean)², taken in the counting pass.
    /// </summary>
    private static double SelectAndCount(ReadOnlyMemory<double> values, in RangeMoments moments, double mean, ReadOnlySpan<int> ranks, Span<double> selected, int[] histogram, int parallelism)
    {
        var bins = histogram.Length;
        if (moments.Min == moments.Max)
        {
            selected.Fill(moments.Min);
            histogram[0] = (int)moments.Present;
            return SumOfSquaredDeviations(values, mean, parallelism);
        }

        var perBin = Math.Clamp(OrderStatistics.BucketCount((int)moments.Present) / bins, 1, Math.Max(1, (1 << 16) / bins));
        var grid = new BucketGrid(moments.Min, moments.Max, bins * perBin);
        if (!grid.IsUsable)
        {
            // Infinite (or vanishingly small) range: no usable bins.
            OrderStatistics.Select(values, moments, ranks, selected, parallelism);
            var coarse = new BucketGrid(moments.Min, moments.Max, bins);
            if (coarse.IsUsable)
            {
                coarse.CountInto(values, histogram, parallelism);
            }

            return SumOfSquaredDeviations(values, mean, parallelism);
        }

        var counts = ArrayPool<int>.Shared.Rent(grid.Count);
        try
        {
            var fine = counts.AsSpan(0, grid.Count);
            var squares = grid.CountIntoWithSquares(values, fine, mean, parallelism);
            for (var b = 0; b < bins; b++)
            {
                var sum = 0;
                foreach (var count in fine.Slice(b * perBin, perBin))
                {
                    sum += count;
                }

                histogram[b] = sum;
            }

            OrderStatistics.SelectFromCounts(values, grid, fine, ranks, selected, 0, parallelism);
            return squares;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>The percentile at a probability from the selected order statistics.</summary>
    private static double At(double probability, int present, ReadOnlySpan<int> ranks, ReadOnlySpan<double> selected)
    {
        Percentile.Position(present, probability, out var lower, out var fraction);
        var low = selected[ranks.BinarySearch(lower)];
        return fraction == 0 ? low : Percentile.Interpolate(low, selected[ranks.BinarySearch(lower + 1)], fraction);
    }

    private static int Distinct(Span<int> sorted)
    {
        var count = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (count == 0 || sorted[count - 1] != sorted[i])
            {
                sorted[count++] = sorted[i];
            }
        }

        return count;
    }

    private static OutputSummary Empty(int iterations, StatisticsOptions options)
    {
        var nan = new double[Percentile.Standard.Length];
        Array.Fill(nan, double.NaN);
        var cdf = new double[options.CdfPoints];
        Array.Fill(cdf, double.NaN);
        return new OutputSummary
        {
            Iterations = iterations,
            Present = 0,
            Mean = double.NaN,
            StandardDeviation = double.NaN,
            Min = double.NaN,
            Max = double.NaN,
            Percentiles = nan,
            ProbabilityBelowZero = double.NaN,
            TailProbability = options.TailProbability,
            ValueAtRisk = double.NaN,
            ConditionalValueAtRisk = double.NaN,
            HistogramCounts = new int[options.HistogramBins],
            Cdf = cdf,
        };
    }
}
