namespace CalMiner.Simulation.Statistics;

/// <summary>
/// The one percentile definition CalMiner uses: linear interpolation between order statistics,
/// Hyndman–Fan type 7, the same as Excel PERCENTILE.INC, NumPy's default and R's default. For n
/// present values sorted ascending x[0..n−1] and a probability p in 0..1:
/// h = (n − 1)·p, i = ⌊h⌋, f = h − i, and P = x[i] when f = 0, else x[i] + f·(x[i+1] − x[i]).
/// So P0 is the minimum, P100 the maximum and P50 the usual median.
/// </summary>
internal static class Percentile
{
    /// <summary>Probabilities of the standard percentiles P1 P5 P10 P25 P50 P75 P90 P95 P99.</summary>
    public static ReadOnlySpan<double> Standard => [0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99];

    /// <summary>The order statistics a percentile interpolates between: ranks <c>lower</c> and <c>lower + 1</c> (or <c>lower</c> alone when the fraction is 0).</summary>
    /// <param name="present">Number of present values, ≥ 1.</param>
    /// <param name="probability">Probability in 0..1.</param>
    /// <param name="lower">0-based rank of the order statistic at or below the percentile.</param>
    /// <param name="fraction">Weight of the next order statistic, in [0, 1).</param>
    public static void Position(int present, double probability, out int lower, out double fraction)
    {
        var h = (present - 1) * probability;
        lower = Math.Min((int)Math.Floor(h), present - 1);
        fraction = h - lower;
    }

    /// <summary>The percentile from its two order statistics.</summary>
    public static double Interpolate(double lowerValue, double upperValue, double fraction) =>
        fraction == 0 ? lowerValue : lowerValue + (fraction * (upperValue - lowerValue));

    /// <summary>The percentile of values already sorted ascending (at least one).</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double probability)
    {
        Position(sorted.Length, probability, out var lower, out var fraction);
        return fraction == 0 ? sorted[lower] : Interpolate(sorted[lower], sorted[lower + 1], fraction);
    }
}
