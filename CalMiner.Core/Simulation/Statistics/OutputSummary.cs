namespace CalMiner.Simulation.Statistics;

/// <summary>
/// Summary of one simulated output over a run. Statistics are over the present values (an absent
/// value, e.g. an IRR that does not exist, is NaN in the column); every statistic is NaN when no
/// value is present.
/// </summary>
internal sealed record OutputSummary
{
    /// <summary>Iterations in the run, present or not.</summary>
    public required int Iterations { get; init; }

    /// <summary>Iterations where the output is present.</summary>
    public required int Present { get; init; }

    /// <summary>Present / Iterations, in 0..1 (0 for an empty run).</summary>
    public double PresentFraction => Iterations == 0 ? 0 : (double)Present / Iterations;

    public required double Mean { get; init; }

    /// <summary>Sample standard deviation (divisor n − 1, as @RISK and Crystal Ball report it); NaN below 2 values.</summary>
    public required double StandardDeviation { get; init; }

    public required double Min { get; init; }

    public required double Max { get; init; }

    /// <summary>P1 P5 P10 P25 P50 P75 P90 P95 P99, at the probabilities of <see cref="Percentile.Standard"/>, as <see cref="Percentile"/> defines them.</summary>
    public required double[] Percentiles { get; init; }

    public double P1 => Percentiles[0];

    public double P5 => Percentiles[1];

    public double P10 => Percentiles[2];

    public double P25 => Percentiles[3];

    public double P50 => Percentiles[4];

    public double P75 => Percentiles[5];

    public double P90 => Percentiles[6];

    public double P95 => Percentiles[7];

    public double P99 => Percentiles[8];

    /// <summary>Fraction of the present values that are &lt; 0 (e.g. probability of a loss for NPV).</summary>
    public required double ProbabilityBelowZero { get; init; }

    /// <summary>Tail probability of <see cref="ValueAtRisk"/> and <see cref="ConditionalValueAtRisk"/>, e.g. 0.05.</summary>
    public required double TailProbability { get; init; }

    /// <summary>VaR: the percentile of the output at the tail probability (VaR5 = P5), in the output's units.</summary>
    public required double ValueAtRisk { get; init; }

    /// <summary>CVaR (expected shortfall): the mean of the present values ≤ <see cref="ValueAtRisk"/>.</summary>
    public required double ConditionalValueAtRisk { get; init; }

    /// <summary>
    /// Counts of present values in equal-width bins from <see cref="Min"/> to <see cref="Max"/>:
    /// bin b holds min + b·w ≤ x &lt; min + (b+1)·w with w = (max − min)/bins, the maximum in the
    /// last bin; all values in bin 0 when min = max; all zero when the range is infinite. The
    /// counts add up to <see cref="Present"/> except in that last case.
    /// </summary>
    public required int[] HistogramCounts { get; init; }

    /// <summary>Width of a histogram bin, (max − min)/bins.</summary>
    public double HistogramBinWidth => HistogramCounts.Length == 0 ? double.NaN : (Max - Min) / HistogramCounts.Length;

    /// <summary>The CDF as percentiles: point i is the percentile at probability i/(points − 1), so 101 points give P0 (min) … P100 (max).</summary>
    public required double[] Cdf { get; init; }
}
