using CalMiner.Maintenance;

namespace CalMiner.Data;

/// <summary>A stored maintenance event of one of a scenario's equipment fleets.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="ScenarioId">The scenario whose fleet it belongs to.</param>
/// <param name="EquipmentName">The fleet's name, as in the scenario's <c>equipment[].name</c>.</param>
/// <param name="Period">The scenario period of the event's start, 0..periods − 1: its calendar year (UTC) − <c>startYear</c>.</param>
/// <param name="Event">The event, with its instants in UTC.</param>
public sealed record MaintenanceLogEntry(long Id, long ScenarioId, string EquipmentName, int Period, MaintenanceEvent Event);

/// <summary>
/// A stored maintenance log entry breaks the rules of an event, e.g. a cost over
/// <see cref="MaintenanceEvent.MaxCost"/> stored before that bound applied; the message names the entry and says what to do.
/// </summary>
public sealed class InvalidMaintenanceLogException : Exception
{
    /// <summary>Creates the exception for entry <paramref name="entryId"/>.</summary>
    /// <param name="entryId">The entry's id.</param>
    /// <param name="field">The entry's field that breaks its rule, as the API names it, e.g. <c>cost</c>.</param>
    /// <param name="message">What is wrong and what to do.</param>
    public InvalidMaintenanceLogException(long entryId, string field, string message)
        : base(message)
    {
        EntryId = entryId;
        Field = field;
    }

    /// <summary>The entry's id.</summary>
    public long EntryId { get; }

    /// <summary>The entry's field that breaks its rule, as the API names it, e.g. <c>cost</c>.</summary>
    public string Field { get; }
}
