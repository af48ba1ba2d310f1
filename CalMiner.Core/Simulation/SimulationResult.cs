using CalMiner.Scenarios;

namespace CalMiner.Simulation;

/// <summary>
/// The distributions of a scenario's metrics over a Monte Carlo run, and what drives them. Two results are
/// equal when all their values are: the lists and dictionaries inside are compared by their contents (NaN equals NaN).
/// </summary>
public sealed record SimulationResult
{
    /// <summary>Iterations evaluated (fewer than asked when the convergence rule stopped the run).</summary>
    public required int Iterations { get; init; }

    /// <summary>Seed of the random streams.</summary>
    public required long Seed { get; init; }

    /// <summary>How the inputs were sampled.</summary>
    public required SamplingMethod Sampling { get; init; }

    /// <summary>Whether the convergence rule stopped the run before its last iteration.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Whether the correlation matrix was invalid and repaired to the nearest valid one.</summary>
    public bool CorrelationsRepaired { get; init; }

    /// <summary>The largest absolute change the repair made to any target correlation (e.g. 0.1: a 0.9 became 0.8); 0 when not repaired.</summary>
    public double CorrelationsMaxChange { get; init; }

    /// <summary>
    /// Per output, by its name in the JSON (npvAfterTax, irrAfterTax, npvPreTax, paybackYears, peakFunding,
    /// cashCostPerUnit, aiscPerUnit), its distribution; <see cref="Output"/> finds one by <see cref="SimulationOutput"/>.
    /// </summary>
    public required IReadOnlyDictionary<string, OutputDistribution> Outputs { get; init => field = ValueEquality.Dictionary(value); }

    /// <summary>Each uncertain input's influence on the after-tax NPV, strongest first.</summary>
    public required IReadOnlyList<InputInfluence> Sensitivity { get; init => field = ValueEquality.List(value); }

    /// <summary>After-tax NPV with each uncertain input at its P10 and P90 and the others at base case, widest swing first.</summary>
    public required IReadOnlyList<TornadoBar> Tornado { get; init => field = ValueEquality.List(value); }

    /// <summary>After-tax NPV with each uncertain input from −30 % to +30 % of its base value, the others at base case.</summary>
    public required IReadOnlyList<SpiderSeries> Spider { get; init => field = ValueEquality.List(value); }

    /// <summary>Running mean of the after-tax NPV and its 95 % interval at checkpoints.</summary>
    public required IReadOnlyList<ConvergenceCheckpoint> Convergence { get; init => field = ValueEquality.List(value); }

    /// <summary>Every iteration's sampled inputs and outputs, when asked for.</summary>
    public SimulationSamples? Samples { get; init; }

    /// <summary>The distribution of one output.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="output"/> is not a defined <see cref="SimulationOutput"/>.</exception>
    /// <exception cref="KeyNotFoundException"><see cref="Outputs"/> does not hold the output.</exception>
    public OutputDistribution Output(SimulationOutput output) => Outputs[SimulationOutputNames.Of(output)];
}

/// <summary>The distribution of one output. Absent values (no IRR, no payback) are left out of every statistic.</summary>
public sealed record OutputDistribution
{
    /// <summary>Fraction of the iterations where the output exists, in 0..1.</summary>
    public required double PresentFraction { get; init; }

    /// <summary>Mean.</summary>
    public required double Mean { get; init; }

    /// <summary>Sample standard deviation (n − 1).</summary>
    public required double StandardDeviation { get; init; }

    /// <summary>Smallest value.</summary>
    public required double Min { get; init; }

    /// <summary>Largest value.</summary>
    public required double Max { get; init; }

    /// <summary>
    /// The percentiles at <see cref="StandardPercentiles"/> (P1 P5 P10 P25 P50 P75 P90 P95 P99), in that order,
    /// linearly interpolated (Excel PERCENTILE.INC); <see cref="Percentile"/> reads them by percent.
    /// </summary>
    public required IReadOnlyList<double> Percentiles { get; init => field = ValueEquality.List(value); }

    /// <summary>Probability that the output is &lt; 0.</summary>
    public required double ProbabilityNegative { get; init; }

    /// <summary>Value at risk at 5 %: the P5.</summary>
    public required double ValueAtRisk5 { get; init; }

    /// <summary>Conditional value at risk (expected shortfall) at 5 %: the mean of the values ≤ the P5.</summary>
    public required double ConditionalValueAtRisk5 { get; init; }

    /// <summary>Counts of values in equal-width bins from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public required IReadOnlyList<int> Histogram { get; init => field = ValueEquality.List(value); }

    /// <summary>The CDF as 101 values: the percentiles at 0, 1, …, 100 %.</summary>
    public required IReadOnlyList<double> Cdf { get; init => field = ValueEquality.List(value); }

    /// <summary>The percents of <see cref="Percentiles"/>: 1, 5, 10, 25, 50, 75, 90, 95, 99.</summary>
    public static IReadOnlyList<int> StandardPercentiles { get; } = [1, 5, 10, 25, 50, 75, 90, 95, 99];

    /// <summary>
    /// The percentile at <paramref name="percent"/> %: one of <see cref="Percentiles"/> for the standard
    /// percents, otherwise the point of <see cref="Cdf"/>, which is computed the same way.
    /// </summary>
    /// <param name="percent">0..100, e.g. 10 for the P10.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside 0..100, or not a standard percent when the CDF has no point for it.</exception>
    public double Percentile(int percent)
    {
        for (var i = 0; i < StandardPercentiles.Count; i++)
        {
            if (StandardPercentiles[i] == percent && i < Percentiles.Count)
            {
                return Percentiles[i];
            }
        }

        if ((uint)percent > 100 || Cdf.Count != 101)
        {
            ThrowHelper.ThrowPercentOutOfRange(nameof(percent), percent);
        }

        return Cdf[percent];
    }
}

/// <summary>How strongly an uncertain input drives the after-tax NPV.</summary>
/// <param name="Input">The parameter's name.</param>
/// <param name="RankCorrelation">Spearman rank correlation with the after-tax NPV, in −1..1.</param>
/// <param name="ContributionToVariance">Squared rank correlation as a share of all inputs' (sign kept), in −1..1.</param>
/// <param name="TailShift">In the iterations where the NPV is below its P10, the input's median minus its overall median, in its standard deviations.</param>
public sealed record InputInfluence(string Input, double RankCorrelation, double ContributionToVariance, double TailShift);

/// <summary>The after-tax NPV with one input at its P10 and at its P90, the others at base case.</summary>
/// <param name="Input">The parameter's name.</param>
/// <param name="Low">The input's P10.</param>
/// <param name="High">The input's P90.</param>
/// <param name="NpvAtLow">After-tax NPV with the input at <paramref name="Low"/>.</param>
/// <param name="NpvAtHigh">After-tax NPV with the input at <paramref name="High"/>.</param>
public sealed record TornadoBar(string Input, double Low, double High, double NpvAtLow, double NpvAtHigh);

/// <summary>The after-tax NPV as one input moves from −30 % to +30 % of its base value.</summary>
/// <param name="Input">The parameter's name.</param>
/// <param name="Points">The NPV at each change.</param>
public sealed record SpiderSeries(string Input, IReadOnlyList<SpiderPoint> Points)
{
    /// <summary>The NPV at each change.</summary>
    public IReadOnlyList<SpiderPoint> Points { get; init => field = ValueEquality.List(value); } = ValueEquality.List(Points);
}

/// <summary>One point of a spider series.</summary>
/// <param name="Change">Relative change of the input from its base value, e.g. −0.3.</param>
/// <param name="Value">The input's value.</param>
/// <param name="Npv">After-tax NPV.</param>
public sealed record SpiderPoint(double Change, double Value, double Npv);

/// <summary>The running mean of the after-tax NPV after some iterations, with its confidence interval.</summary>
/// <param name="Iterations">Iterations so far.</param>
/// <param name="Mean">Mean of the present values so far.</param>
/// <param name="Low">Lower end of the 95 % interval of the mean.</param>
/// <param name="High">Upper end of the 95 % interval of the mean.</param>
public sealed record ConvergenceCheckpoint(int Iterations, double Mean, double Low, double High);

/// <summary>Every iteration's sampled inputs and outputs, as columns.</summary>
/// <param name="Inputs">Sampled values of each uncertain parameter, by name.</param>
/// <param name="Outputs">Values of each output by its name in the JSON (see <see cref="SimulationResult.Outputs"/>); absent values are NaN.</param>
public sealed record SimulationSamples(IReadOnlyDictionary<string, double[]> Inputs, IReadOnlyDictionary<string, double[]> Outputs)
{
    /// <summary>Sampled values of each uncertain parameter, by name.</summary>
    public IReadOnlyDictionary<string, double[]> Inputs { get; init => field = ValueEquality.Columns(value); } = ValueEquality.Columns(Inputs);

    /// <summary>Values of each output by its name in the JSON; absent values are NaN.</summary>
    public IReadOnlyDictionary<string, double[]> Outputs { get; init => field = ValueEquality.Columns(value); } = ValueEquality.Columns(Outputs);

    /// <summary>Every iteration's value of one output; absent values are NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="output"/> is not a defined <see cref="SimulationOutput"/>.</exception>
    /// <exception cref="KeyNotFoundException"><see cref="Outputs"/> does not hold the output.</exception>
    public double[] Output(SimulationOutput output) => Outputs[SimulationOutputNames.Of(output)];
}
