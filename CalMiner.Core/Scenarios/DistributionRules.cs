using CalMiner.Numerics;
using MathNet.Numerics.Distributions;

namespace CalMiner.Scenarios;

/// <summary>The rules of each distribution family: which fields it takes and how they must relate.</summary>
internal static class DistributionRules
{
    // Truncation must leave at least this much probability, or sampling it is numerically meaningless.
    private const double MinimumMass = 1e-9;

    /// <summary>
    /// A chance of leaving a field's range small enough to ignore: a normal grade factor of mean 1 and sd 0.07
    /// is never negative in practice, and one draw in a billion stays unseen in the largest runs.
    /// </summary>
    public const double NegligibleChance = 1e-9;

    public static void Validate(Distribution d, string path, List<ScenarioError> errors)
    {
        void Error(string field, string message) =>
            errors.Add(new ScenarioError(field.Length == 0 ? path : $"{path}.{field}", message));

        var type = d.Type switch
        {
            DistributionType.Constant => "a constant",
            DistributionType.Normal => "a normal distribution",
            DistributionType.Lognormal => "a lognormal distribution",
            DistributionType.Uniform => "a uniform distribution",
            DistributionType.Triangular => "a triangular distribution",
            DistributionType.Pert => "a PERT distribution",
            DistributionType.Discrete => "a discrete distribution",
            DistributionType.Empirical => "an empirical distribution",
            _ => null,
        };
        if (type is null)
        {
            Error("type", "is not one of the allowed values");
            return;
        }

        foreach (var field in Unused(d))
        {
            Error(field, $"is not used by {type}");
        }

        foreach (var (field, value) in Numbers(d))
        {
            if (!double.IsFinite(value))
            {
                Error(field, "must be a finite number");
                return;
            }
        }

        switch (d.Type)
        {
            case DistributionType.Constant:
                Require("value", d.Value);
                break;
            case DistributionType.Normal:
                if (IsPercentileForm(d))
                {
                    Percentiles(positive: false);
                }
                else if (Require("mean", d.Mean) & Require("sd", d.Sd) && d.Sd <= 0)
                {
                    Error("sd", "must be > 0");
                }

                break;
            case DistributionType.Lognormal:
                if (IsPercentileForm(d))
                {
                    Percentiles(positive: true);
                }
                else if (Require("mean", d.Mean) & Require("sd", d.Sd))
                {
                    if (d.Mean <= 0)
                    {
                        Error("mean", "must be > 0: a lognormal variable is positive");
                    }

                    if (d.Sd <= 0)
                    {
                        Error("sd", "must be > 0");
                    }
                }

                break;
            case DistributionType.Uniform:
                if (Require("min", d.Min) & Require("max", d.Max) && d.Min >= d.Max)
                {
                    Error("max", "must be > min");
                }

                break;
            case DistributionType.Triangular or DistributionType.Pert:
                if (IsPercentileForm(d))
                {
                    if (Require("p10", d.P10) & Require("mode", d.Mode) & Require("p90", d.P90))
                    {
                        if (d.P10 >= d.P90)
                        {
                            Error("p90", "must be > p10");
                        }
                        else if (d.Mode < d.P10 || d.Mode > d.P90)
                        {
                            Error("mode", "must be within p10..p90");
                        }
                    }
                }
                else if (Require("min", d.Min) & Require("mode", d.Mode) & Require("max", d.Max))
                {
                    if (d.Min >= d.Max)
                    {
                        Error("max", "must be > min");
                    }
                    else if (d.Mode < d.Min || d.Mode > d.Max)
                    {
                        Error("mode", "must be within min..max");
                    }
                }

                if (d.Lambda is <= 0)
                {
                    Error("lambda", "must be > 0");
                }

                break;
            case DistributionType.Discrete:
                if (Values() && d.Weights is null)
                {
                    Error("weights", "is required");
                }
                else if (d.Weights is { } weights && d.Values is { } values)
                {
                    if (weights.Count != values.Count)
                    {
                        Error("weights", $"must have one weight per value ({values.Count}), not {weights.Count}");
                    }

                    for (var i = 0; i < weights.Count; i++)
                    {
                        if (!(weights[i] > 0))
                        {
                            Error($"weights[{i}]", "must be > 0");
                        }
                    }
                }

                break;
            case DistributionType.Empirical:
                Values();
                break;
        }

        if (d.Truncate is { } truncate)
        {
            if (truncate is { Min: null, Max: null })
            {
                Error("truncate", "must give min, max or both");
            }
            else if (truncate is { Min: { } min, Max: { } max } && min >= max)
            {
                Error("truncate.max", "must be > truncate.min");
            }
            else if (errors.Count == 0 || !errors.Exists(e => e.Path.StartsWith(path, StringComparison.Ordinal)))
            {
                if (TruncatedMass(d, truncate) is < MinimumMass)
                {
                    Error("truncate", "leaves no probability mass: the bounds exclude the whole distribution");
                }
            }
        }

        bool Require(string field, double? value)
        {
            if (value is not null)
            {
                return true;
            }

            Error(field, $"is required by {type}");
            return false;
        }

        void Percentiles(bool positive)
        {
            var given = new[] { ("p10", d.P10), ("p50", d.P50), ("p90", d.P90) }.Where(p => p.Item2 is not null).ToArray();
            if (given.Length != 2)
            {
                Error("", $"must give its mean and sd, or exactly two of p10, p50 and p90 (not {given.Length})");
                return;
            }

            if (given[0].Item2 >= given[1].Item2)
            {
                Error(given[1].Item1, $"must be > {given[0].Item1}");
            }
            else if (positive && given[0].Item2 <= 0)
            {
                Error(given[0].Item1, "must be > 0: a lognormal variable is positive");
            }
        }

        bool Values()
        {
            if (d.Values is null || d.Values.Count == 0)
            {
                Error("values", "must list at least one value");
                return false;
            }

            if (d.Values.Count > DocumentLimits.MaxDistributionValues)
            {
                Error("values", $"must list at most {DocumentLimits.MaxDistributionValues} values, not {d.Values.Count}");
                return false;
            }

            return true;
        }
    }

    /// <summary>The smallest and largest values the distribution can take, truncation included; <see langword="null"/> where that is not known before solving it.</summary>
    public static (double Low, double High)? Support(Distribution d)
    {
        (double Low, double High)? natural = d.Type switch
        {
            DistributionType.Constant when d.Value is { } v => (v, v),
            DistributionType.Normal => (double.NegativeInfinity, double.PositiveInfinity),
            DistributionType.Lognormal => (0, double.PositiveInfinity),
            DistributionType.Uniform or DistributionType.Triangular or DistributionType.Pert
                when d is { Min: { } min, Max: { } max } => (min, max),
            DistributionType.Discrete or DistributionType.Empirical when d.Values is { Count: > 0 } values => (values.Min(), values.Max()),
            _ => null,
        };

        if (d.Truncate is not { } truncate)
        {
            return natural;
        }

        var (low, high) = natural ?? (double.NegativeInfinity, double.PositiveInfinity);
        (low, high) = (Math.Max(low, truncate.Min ?? low), Math.Min(high, truncate.Max ?? high));
        return natural is null && (truncate.Min is null || truncate.Max is null) ? null : (low, high);
    }

    /// <summary>The probability that a draw falls outside [<paramref name="min"/>, <paramref name="max"/>]; 0 where it cannot be known before solving the distribution.</summary>
    public static double ChanceOutside(Distribution d, double min, double max)
    {
        if (d.Type is DistributionType.Normal or DistributionType.Lognormal && !IsPercentileForm(d) && d is { Mean: { } mean, Sd: { } sd })
        {
            // Only a distribution that is itself valid has a chance to compute; its own errors are reported apart.
            var valid = double.IsFinite(mean) && double.IsFinite(sd) && sd > 0 && (d.Type == DistributionType.Normal || mean > 0)
                && !(d.Truncate is { Min: { } tMin, Max: { } tMax } && !(tMin < tMax));
            if (!valid)
            {
                return 0;
            }

            Func<double, double> cdf = d.Type == DistributionType.Normal
                ? x => Normal.CDF(mean, sd, x)
                : x => x <= 0 ? 0 : LogNormal.CDF(LogMu(mean, sd), LogSigma(mean, sd), x);
            double low = d.Truncate?.Min ?? double.NegativeInfinity, high = d.Truncate?.Max ?? double.PositiveInfinity;
            var mass = cdf(high) - cdf(low);
            var below = min > low ? cdf(Math.Min(min, high)) - cdf(low) : 0;
            var above = max < high ? cdf(high) - cdf(Math.Max(max, low)) : 0;
            return mass > 0 ? (below + above) / mass : 0;
        }

        return Support(d) is var (a, b) && (a < min || b > max) ? 1 : 0;
    }

    /// <summary>μ of the log of a lognormal variable with mean <paramref name="mean"/> and sd <paramref name="sd"/>.</summary>
    public static double LogMu(double mean, double sd) => PortableMath.Log(mean) - LogSigma(mean, sd) * LogSigma(mean, sd) / 2;

    /// <summary>σ of the log of a lognormal variable with mean <paramref name="mean"/> and sd <paramref name="sd"/>.</summary>
    public static double LogSigma(double mean, double sd) => Math.Sqrt(PortableMath.Log(1 + sd * sd / (mean * mean)));

    public static bool IsPercentileForm(Distribution d) => d.P10 is not null || d.P50 is not null || d.P90 is not null;

    public static bool IsContinuous(DistributionType type) =>
        type is DistributionType.Normal or DistributionType.Lognormal or DistributionType.Uniform
            or DistributionType.Triangular or DistributionType.Pert;

    private static double? TruncatedMass(Distribution d, Truncation t)
    {
        double low = t.Min ?? double.NegativeInfinity, high = t.Max ?? double.PositiveInfinity;
        switch (d.Type)
        {
            case DistributionType.Normal when d is { Mean: { } mean, Sd: { } sd } && !IsPercentileForm(d):
                return Normal.CDF(mean, sd, high) - Normal.CDF(mean, sd, low);
            case DistributionType.Lognormal when d is { Mean: { } mean, Sd: { } sd } && !IsPercentileForm(d):
                return LogNormal.CDF(LogMu(mean, sd), LogSigma(mean, sd), high) - (low <= 0 ? 0 : LogNormal.CDF(LogMu(mean, sd), LogSigma(mean, sd), low));
            default:
                if (Support(d with { Truncate = null }) is var (a, b))
                {
                    return Math.Min(b, high) > Math.Max(a, low) ? 1 : 0;
                }

                return null;
        }
    }

    private static IEnumerable<string> Unused(Distribution d)
    {
        var percentile = IsPercentileForm(d);
        var used = d.Type switch
        {
            DistributionType.Constant => Fields.Value,
            DistributionType.Normal or DistributionType.Lognormal => percentile ? Fields.P10 | Fields.P50 | Fields.P90 : Fields.Mean | Fields.Sd,
            DistributionType.Uniform => Fields.Min | Fields.Max,
            DistributionType.Triangular => percentile ? Fields.P10 | Fields.Mode | Fields.P90 : Fields.Min | Fields.Mode | Fields.Max,
            DistributionType.Pert => (percentile ? Fields.P10 | Fields.Mode | Fields.P90 : Fields.Min | Fields.Mode | Fields.Max) | Fields.Lambda,
            DistributionType.Discrete => Fields.Values | Fields.Weights,
            _ => Fields.Values,
        };
        if (IsContinuous(d.Type))
        {
            used |= Fields.Truncate;
        }

        (string Name, Fields Flag, bool Given)[] all =
        [
            ("value", Fields.Value, d.Value is not null), ("mean", Fields.Mean, d.Mean is not null), ("sd", Fields.Sd, d.Sd is not null),
            ("min", Fields.Min, d.Min is not null), ("mode", Fields.Mode, d.Mode is not null), ("max", Fields.Max, d.Max is not null),
            ("lambda", Fields.Lambda, d.Lambda is not null), ("p10", Fields.P10, d.P10 is not null), ("p50", Fields.P50, d.P50 is not null),
            ("p90", Fields.P90, d.P90 is not null), ("values", Fields.Values, d.Values is not null), ("weights", Fields.Weights, d.Weights is not null),
            ("truncate", Fields.Truncate, d.Truncate is not null),
        ];
        return all.Where(f => f.Given && (used & f.Flag) == 0).Select(f => f.Name);
    }

    private static IEnumerable<(string Field, double Value)> Numbers(Distribution d)
    {
        (string, double?)[] scalars =
        [
            ("value", d.Value), ("mean", d.Mean), ("sd", d.Sd), ("min", d.Min), ("mode", d.Mode), ("max", d.Max),
            ("lambda", d.Lambda), ("p10", d.P10), ("p50", d.P50), ("p90", d.P90), ("truncate.min", d.Truncate?.Min), ("truncate.max", d.Truncate?.Max),
        ];
        foreach (var (field, value) in scalars)
        {
            if (value is { } v)
            {
                yield return (field, v);
            }
        }

        for (var i = 0; i < (d.Values?.Count ?? 0); i++)
        {
            yield return ($"values[{i}]", d.Values![i]);
        }

        for (var i = 0; i < (d.Weights?.Count ?? 0); i++)
        {
            yield return ($"weights[{i}]", d.Weights![i]);
        }
    }

    [Flags]
    private enum Fields
    {
        None = 0,
        Value = 1,
        Mean = 2,
        Sd = 4,
        Min = 8,
        Mode = 16,
        Max = 32,
        Lambda = 64,
        P10 = 128,
        P50 = 256,
        P90 = 512,
        Values = 1024,
        Weights = 2048,
        Truncate = 4096,
    }
}
