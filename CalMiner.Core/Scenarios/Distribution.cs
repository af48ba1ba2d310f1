namespace CalMiner.Scenarios;

/// <summary>
/// The distribution of an uncertain parameter. One record holds every family's fields; which ones
/// are used, and how they must relate, depends on <see cref="Type"/> (see the scenario document format).
/// </summary>
public sealed record Distribution
{
    /// <summary>The family.</summary>
    public required DistributionType Type { get; init; }

    /// <summary>The value of a constant.</summary>
    public double? Value { get; init; }

    /// <summary>Mean of a normal, or of a lognormal variable itself (not of its log).</summary>
    public double? Mean { get; init; }

    /// <summary>Standard deviation of a normal, or of a lognormal variable itself, &gt; 0.</summary>
    public double? Sd { get; init; }

    /// <summary>Lower bound of a uniform, triangular or PERT.</summary>
    public double? Min { get; init; }

    /// <summary>Most likely value of a triangular or PERT.</summary>
    public double? Mode { get; init; }

    /// <summary>Upper bound of a uniform, triangular or PERT.</summary>
    public double? Max { get; init; }

    /// <summary>Shape of a PERT, &gt; 0; default 4.</summary>
    public double? Lambda { get; init; }

    /// <summary>10th percentile, for the percentile-defined forms.</summary>
    public double? P10 { get; init; }

    /// <summary>50th percentile, for the percentile-defined normal and lognormal.</summary>
    public double? P50 { get; init; }

    /// <summary>90th percentile, for the percentile-defined forms.</summary>
    public double? P90 { get; init; }

    /// <summary>Outcomes of a discrete distribution, or observations of an empirical one.</summary>
    public IReadOnlyList<double>? Values { get; init; }

    /// <summary>Relative weights of a discrete distribution's values, each &gt; 0.</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>Optional bounds that a continuous distribution is truncated to.</summary>
    public Truncation? Truncate { get; init; }

    /// <inheritdoc />
    public bool Equals(Distribution? other) =>
        other is not null
        && Type == other.Type
        && Value.Equals(other.Value) && Mean.Equals(other.Mean) && Sd.Equals(other.Sd)
        && Min.Equals(other.Min) && Mode.Equals(other.Mode) && Max.Equals(other.Max)
        && Lambda.Equals(other.Lambda)
        && P10.Equals(other.P10) && P50.Equals(other.P50) && P90.Equals(other.P90)
        && Structural.Equal(Values, other.Values)
        && Structural.Equal(Weights, other.Weights)
        && Equals(Truncate, other.Truncate);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Value, Mean, Sd, Min, Mode, Max, Values?.Count);
}

/// <summary>Bounds a continuous distribution is truncated to; either may be omitted.</summary>
public sealed record Truncation
{
    /// <summary>Lower bound, or <see langword="null"/> for none.</summary>
    public double? Min { get; init; }

    /// <summary>Upper bound, or <see langword="null"/> for none.</summary>
    public double? Max { get; init; }
}
