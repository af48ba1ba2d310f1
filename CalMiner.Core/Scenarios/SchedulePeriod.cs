namespace CalMiner.Scenarios;

/// <summary>The mine plan of one period with activity. Periods missing from the schedule are idle.</summary>
/// <param name="Period">Period index, 0..periods − 1.</param>
/// <param name="OreMined">Ore mined in tonnes, ≥ 0.</param>
/// <param name="WasteMined">Waste mined in tonnes, ≥ 0.</param>
/// <param name="OreProcessed">Ore processed in tonnes, ≥ 0. A period with ore processed is an operating period.</param>
/// <param name="Grades">Head grade of the processed ore per product name, in the product's grade unit; a missing product has grade 0.</param>
public sealed record SchedulePeriod(
    int Period,
    double OreMined = 0,
    double WasteMined = 0,
    double OreProcessed = 0,
    IReadOnlyDictionary<string, double>? Grades = null)
{
    /// <summary>Head grade of the processed ore per product name, in the product's grade unit; a missing product has grade 0.</summary>
    public IReadOnlyDictionary<string, double> Grades { get; init; } = Grades ?? new Dictionary<string, double>();

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
