using CalMiner.Maintenance;

namespace CalMiner.Data;

/// <summary>A stored maintenance event of one of a scenario's equipment fleets.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="ScenarioId">The scenario whose fleet it belongs to.</param>
/// <param name="EquipmentName">The fleet's name, as in the scenario's <c>equipment[].name</c>.</param>
/// <param name="Period">The scenario period of the event's start, 0..periods − 1: its calendar year (UTC) − <c>startYear</c>.</param>
/// <param name="Event">The event, with its instants in UTC.</param>
public sealed record MaintenanceLogEntry(long Id, long ScenarioId, string EquipmentName, int Period, MaintenanceEvent Event);
