namespace CalMiner.Scenarios;

/// <summary>The mine plan of one period with activity. Periods missing from the schedule are idle.</summary>
public sealed record SchedulePeriod
{
    /// <summary>Period index, 0..<see cref="ScenarioDocument.Periods"/> − 1.</summary>
    public required int Period { get; init; }

    /// <summary>Ore mined in tonnes, ≥ 0.</summary>
    public double OreMined { get; init; }

    /// <summary>Waste mined in tonnes, ≥ 0.</summary>
    public double WasteMined { get; init; }

    /// <summary>Ore processed in tonnes, ≥ 0. A period with ore processed is an operating period.</summary>
    public double OreProcessed { get; init; }

    /// <summary>Head grade of the processed ore per product name, in the product's grade unit; a missing product has grade 0.</summary>
    public IReadOnlyDictionary<string, double> Grades { get; init; } = new Dictionary<string, double>();

    /// <inheritdoc />
    public bool Equals(SchedulePeriod? other) =>
        other is not null
        && Period == other.Period
        && OreMined.Equals(other.OreMined)
        && WasteMined.Equals(other.WasteMined)
        && OreProcessed.Equals(other.OreProcessed)
        && Structural.Equal(Grades, other.Grades);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Period, OreMined, WasteMined, OreProcessed, Grades.Count);
}
