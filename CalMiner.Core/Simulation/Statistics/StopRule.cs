using System.Globalization;

namespace CalMiner.Simulation.Statistics;

/// <summary>The statistic a stop rule watches: the mean, or a percentile at <see cref="Probability"/>.</summary>
/// <param name="Output">Output name, e.g. <c>npvAfterTax</c>.</param>
/// <param name="IsMean">True for the mean, false for a percentile.</param>
/// <param name="Probability">The percentile's probability in (0, 1), e.g. 0.10 for P10; NaN for the mean.</param>
internal readonly record struct ConvergenceMetric(string Output, bool IsMean, double Probability)
{
    /// <summary>Reads a metric as the scenario writes it: <c>npvAfterTax.mean</c> or <c>npvAfterTax.p10</c>.</summary>
    /// <exception cref="FormatException">The text is not output.mean or output.pNN with 0 &lt; NN &lt; 100.</exception>
    public static ConvergenceMetric Parse(string metric)
    {
        var dot = metric.LastIndexOf('.');
        if (dot > 0)
        {
            var output = metric[..dot];
            var statistic = metric[(dot + 1)..];
            if (statistic == "mean")
            {
                return new ConvergenceMetric(output, true, double.NaN);
            }

            if (statistic.Length > 1 && statistic[0] == 'p'
                && int.TryParse(statistic.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
                && percent is > 0 and < 100)
            {
                return new ConvergenceMetric(output, false, percent / 100.0);
            }
        }

        return ThrowHelper.ThrowFormat<ConvergenceMetric>($"\"{metric}\" is not a convergence metric such as npvAfterTax.mean or npvAfterTax.p10");
    }
}

/// <summary>The outcome of a stop rule at a checkpoint.</summary>
/// <param name="Converged">True when the interval's half-width relative to the estimate is within the tolerance.</param>
/// <param name="Present">Present values the decision used.</param>
/// <param name="Estimate">The statistic (mean, or percentile as <see cref="Percentile"/> defines it).</param>
/// <param name="Lower">Lower end of the confidence interval; NaN when it cannot be formed yet.</param>
/// <param name="Upper">Upper end of the confidence interval; NaN when it cannot be formed yet.</param>
/// <param name="RelativeHalfWidth">(Upper − Lower)/2 / |Estimate|; +∞ when it cannot be formed or the estimate is 0 with a non-zero width.</param>
internal readonly record struct ConvergenceDecision(bool Converged, int Present, double Estimate, double Lower, double Upper, double RelativeHalfWidth);

/// <summary>
/// Decides at a checkpoint whether a statistic is precise enough to stop. For the mean the interval
/// is mean ± z·sd/√n. For a percentile it is the distribution-free order-statistic interval: with
/// n values and probability p, the number of values below the true percentile is Binomial(n, p), so
/// [x(j), x(k)] with j = ⌊np − z√(np(1−p))⌋ and k = ⌈np + z√(np(1−p))⌉ (1-based ranks, the normal
/// approximation of the binomial) covers it with the given confidence. While j &lt; 1 or k &gt; n
/// there are too few values to bound it, and the rule does not stop.
/// </summary>
internal static class StopRule
{
    /// <param name="values">The output of the iterations run so far, in iteration order; NaN where absent.</param>
    /// <param name="metric">The statistic to watch.</param>
    /// <param name="relativeTolerance">Largest half-width relative to the statistic, &gt; 0, e.g. 0.01.</param>
    /// <param name="confidence">Confidence of the interval, in (0, 1), e.g. 0.95.</param>
    /// <param name="maxDegreeOfParallelism">Most threads; −1 for all cores.</param>
    public static ConvergenceDecision Evaluate(ReadOnlyMemory<double> values, ConvergenceMetric metric, double relativeTolerance, double confidence, int maxDegreeOfParallelism = -1)
    {
        var moments = OutputStatistics.Moments(values, maxDegreeOfParallelism);
        var n = (int)moments.Present;
        var z = Convergence.Z(confidence);
        if (n < 2)
        {
            var single = n == 1 ? moments.Sum : double.NaN;
            return new ConvergenceDecision(false, n, single, double.NaN, double.NaN, double.PositiveInfinity);
        }

        if (metric.IsMean)
        {
            var mean = moments.Sum / n;
            var sd = Math.Sqrt(OutputStatistics.SumOfSquaredDeviations(values, mean, maxDegreeOfParallelism) / (n - 1));
            var half = z * sd / Math.Sqrt(n);
            return Decide(n, mean, mean - half, mean + half, relativeTolerance);
        }

        var p = metric.Probability;
        var spread = z * Math.Sqrt(n * p * (1 - p));
        var j = (long)Math.Floor((n * p) - spread);
        var k = (long)Math.Ceiling((n * p) + spread);
        Percentile.Position(n, p, out var lower, out var fraction);
        if (j < 1 || k > n)
        {
            Span<int> estimateRanks = [lower, Math.Min(lower + 1, n - 1)];
            Span<double> estimateValues = stackalloc double[2];
            OrderStatistics.Select(values, moments, estimateRanks, estimateValues, maxDegreeOfParallelism);
            return new ConvergenceDecision(false, n, Percentile.Interpolate(estimateValues[0], estimateValues[1], fraction), double.NaN, double.NaN, double.PositiveInfinity);
        }

        // 0-based ranks of the interval ends and of the estimate's two order statistics, ascending.
        Span<int> ranks = [(int)j - 1, lower, lower + 1 < n ? lower + 1 : lower, (int)k - 1];
        ranks.Sort();
        Span<double> selected = stackalloc double[4];
        OrderStatistics.Select(values, moments, ranks, selected, maxDegreeOfParallelism);
        var low = selected[ranks.IndexOf(lower)];
        var high = lower + 1 < n ? selected[ranks.IndexOf(lower + 1)] : low;
        return Decide(n, Percentile.Interpolate(low, high, fraction), selected[ranks.IndexOf((int)j - 1)], selected[ranks.IndexOf((int)k - 1)], relativeTolerance);
    }

    private static ConvergenceDecision Decide(int present, double estimate, double lower, double upper, double relativeTolerance)
    {
        var half = (upper - lower) / 2;
        var relative = half == 0 ? 0 : half / Math.Abs(estimate);
        return new ConvergenceDecision(relative <= relativeTolerance, present, estimate, lower, upper, relative);
    }
}
