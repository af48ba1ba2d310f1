namespace CalMiner.Data;

/// <summary>A maintenance event of an equipment fleet: when the equipment was down, why and at what cost.</summary>
public sealed record MaintenanceEvent
{
    /// <summary>The fleet's name, as in the scenario's <c>equipment[].name</c>.</summary>
    public required string EquipmentName { get; init; }

    /// <summary>When the equipment went down. Its calendar year (UTC) gives the period: year − <c>startYear</c>.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>When the equipment was available again; not before <see cref="Start"/>.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Whether the event was planned (scheduled service) rather than a breakdown.</summary>
    public required bool Planned { get; init; }

    /// <summary>Cost of the event in scenario currency, ≥ 0.</summary>
    public double Cost { get; init; }

    /// <summary>What was done or what failed; at most 2 000 characters.</summary>
    public string Description { get; init; } = "";

    /// <summary>How long the equipment was down.</summary>
    public TimeSpan Downtime => End - Start;
}

/// <summary>A stored maintenance event.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="ScenarioId">The scenario whose fleet it belongs to.</param>
/// <param name="Period">The scenario period of the event's start, 0..periods − 1.</param>
/// <param name="Event">The event, with its instants in UTC.</param>
public sealed record MaintenanceLogEntry(long Id, long ScenarioId, int Period, MaintenanceEvent Event);
