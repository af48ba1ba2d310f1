namespace CalMiner.Maintenance;

/// <summary>Whether a maintenance stop was scheduled or a breakdown.</summary>
public enum MaintenanceKind
{
    /// <summary>Scheduled maintenance.</summary>
    Planned,

    /// <summary>A breakdown: counts as a failure for MTBF and MTTR.</summary>
    Unplanned,
}

/// <summary>One stop of an equipment item for maintenance.</summary>
/// <param name="Start">When the item stopped.</param>
/// <param name="End">When it was available again; after <paramref name="Start"/>.</param>
/// <param name="Kind">Planned or unplanned.</param>
/// <param name="Cost">Cost of the work in scenario currency, 0..<see cref="MaxCost"/>.</param>
/// <param name="Description">What was done; informative.</param>
public sealed record MaintenanceEvent(DateTimeOffset Start, DateTimeOffset End, MaintenanceKind Kind, double Cost = 0, string? Description = null)
{
    /// <summary>
    /// The largest cost of one event, 10¹⁵ in scenario currency: the bound of every amount of a scenario
    /// document, far beyond any repair, and low enough that no sum of events overflows.
    /// </summary>
    public const double MaxCost = 1e15;

    /// <summary>Whether <paramref name="cost"/> is a cost an event may have: a number in 0..<see cref="MaxCost"/>.</summary>
    public static bool IsValidCost(double cost) => cost is >= 0 and <= MaxCost;
}

/// <summary>Reliability and cost indicators of an equipment item over a period, from its maintenance events.</summary>
/// <param name="CalendarHours">Hours in the period.</param>
/// <param name="DowntimeHours">Hours stopped for any maintenance (overlapping stops counted once).</param>
/// <param name="UnplannedDowntimeHours">Hours stopped by breakdowns.</param>
/// <param name="OperatingHours">Calendar hours less downtime.</param>
/// <param name="Failures">Breakdowns that started in the period.</param>
/// <param name="Availability">Operating hours / calendar hours, in 0..1.</param>
/// <param name="MtbfHours">Mean time between failures: operating hours / failures; <see langword="null"/> without failures.</param>
/// <param name="MttrHours">Mean time to repair: unplanned downtime / failures; <see langword="null"/> without failures.</param>
/// <param name="MaintenanceCost">Cost of the events that started in the period.</param>
/// <param name="CostPerOperatingHour">Maintenance cost / operating hours; <see langword="null"/> without operating hours.</param>
public sealed record MaintenanceKpis(
    double CalendarHours,
    double DowntimeHours,
    double UnplannedDowntimeHours,
    double OperatingHours,
    int Failures,
    double Availability,
    double? MtbfHours,
    double? MttrHours,
    double MaintenanceCost,
    double? CostPerOperatingHour);
