using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Async;

namespace CalMiner.Data;

/// <summary>Maintenance logs: events per equipment fleet of a scenario, by period.</summary>
public sealed class MaintenanceLogRepository
{
    private const int MaxDescriptionLength = 2_000;

    private readonly CalMinerDatabase _database;

    internal MaintenanceLogRepository(CalMinerDatabase database) => _database = database;

    /// <summary>Adds an event to the log of one of a scenario's fleets.</summary>
    /// <param name="scenarioId">The scenario.</param>
    /// <param name="maintenanceEvent">The event; its fleet must be in the scenario's latest version and its start within the scenario's periods.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored entry, or <see langword="null"/> if there is no scenario with that id.</returns>
    /// <exception cref="ArgumentException">The event is invalid; the message names the field.</exception>
    public async Task<MaintenanceLogEntry?> AddAsync(long scenarioId, MaintenanceEvent maintenanceEvent, CancellationToken cancellationToken = default)
    {
        CheckEvent(maintenanceEvent);
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await PeriodOfAsync(db, scenarioId, maintenanceEvent, cancellationToken).ConfigureAwait(false) is not { } period)
        {
            return null;
        }

        var row = ToRow(scenarioId, period, maintenanceEvent);
        row.Id = await db.InsertWithInt64IdentityAsync(row, token: cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ToEntry(row);
    }

    /// <summary>Replaces a stored event.</summary>
    /// <param name="id">The entry's id.</param>
    /// <param name="maintenanceEvent">The new content, checked as by <see cref="AddAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The updated entry, or <see langword="null"/> if there is no entry with that id.</returns>
    /// <exception cref="ArgumentException">The event is invalid; the message names the field.</exception>
    public async Task<MaintenanceLogEntry?> UpdateAsync(long id, MaintenanceEvent maintenanceEvent, CancellationToken cancellationToken = default)
    {
        CheckEvent(maintenanceEvent);
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var scenarioId = await db.MaintenanceLogs.Where(m => m.Id == id).Select(m => (long?)m.ScenarioId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (scenarioId is null
            || await PeriodOfAsync(db, scenarioId.Value, maintenanceEvent, cancellationToken).ConfigureAwait(false) is not { } period)
        {
            return null;
        }

        var row = ToRow(scenarioId.Value, period, maintenanceEvent);
        row.Id = id;
        await db.UpdateAsync(row, token: cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ToEntry(row);
    }

    /// <summary>Deletes a stored event.</summary>
    /// <param name="id">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether an entry was deleted.</returns>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        return await db.MaintenanceLogs.Where(m => m.Id == id).DeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Reads one stored event.</summary>
    /// <param name="id">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> if there is none with that id.</returns>
    public async Task<MaintenanceLogEntry?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var row = await db.MaintenanceLogs.Where(m => m.Id == id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToEntry(row);
    }

    /// <summary>Lists a scenario's maintenance events by fleet and start.</summary>
    /// <param name="scenarioId">The scenario.</param>
    /// <param name="equipmentName">Only this fleet's events, when given.</param>
    /// <param name="period">Only the events that start in this period, when given.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events; empty when there are none.</returns>
    public async Task<IReadOnlyList<MaintenanceLogEntry>> ListAsync(long scenarioId, string? equipmentName = null, int? period = null, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await db.MaintenanceLogs
            .Where(m => m.ScenarioId == scenarioId
                && (equipmentName == null || m.EquipmentName == equipmentName)
                && (period == null || m.Period == period))
            .OrderBy(m => m.EquipmentName).ThenBy(m => m.StartsAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToEntry)];
    }

    private static void CheckEvent(MaintenanceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        const string Name = "maintenanceEvent";
        if (string.IsNullOrWhiteSpace(e.EquipmentName))
        {
            ThrowHelper.ThrowArgument(Name, "equipmentName must not be empty.");
        }

        if (e.End < e.Start)
        {
            ThrowHelper.ThrowArgument(Name, "end must not be before start.");
        }

        if (!double.IsFinite(e.Cost) || e.Cost < 0)
        {
            ThrowHelper.ThrowArgument(Name, "cost must be a finite number >= 0.");
        }

        if (e.Description is null || e.Description.Length > MaxDescriptionLength)
        {
            ThrowHelper.ThrowArgument(Name, $"description must have at most {MaxDescriptionLength} characters.");
        }
    }

    /// <summary>The period of the event's start; null if the scenario does not exist. Checks the fleet and the period.</summary>
    private static async Task<int?> PeriodOfAsync(CalMinerDb db, long scenarioId, MaintenanceEvent e, CancellationToken cancellationToken)
    {
        var scenario = await db.Scenarios.Where(s => s.Id == scenarioId)
            .Select(s => new { s.StartYear, s.Periods })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (scenario is null)
        {
            return null;
        }

        var name = e.EquipmentName;
        if (!await db.Equipment.AnyAsync(q => q.ScenarioId == scenarioId && q.Name == name, cancellationToken).ConfigureAwait(false))
        {
            ThrowHelper.ThrowArgument("maintenanceEvent", $"equipmentName \"{name}\" is not a fleet of scenario {scenarioId}.");
        }

        var period = e.Start.UtcDateTime.Year - scenario.StartYear;
        if (period < 0 || period >= scenario.Periods)
        {
            ThrowHelper.ThrowArgument("maintenanceEvent", $"start must fall within the scenario's years {scenario.StartYear}..{scenario.StartYear + scenario.Periods - 1}.");
        }

        return period;
    }

    private static MaintenanceLogRow ToRow(long scenarioId, int period, MaintenanceEvent e) => new()
    {
        ScenarioId = scenarioId,
        EquipmentName = e.EquipmentName,
        Period = period,
        StartsAt = e.Start.ToUniversalTime(),
        EndsAt = e.End.ToUniversalTime(),
        Planned = e.Planned,
        Cost = e.Cost,
        Description = e.Description,
    };

    private static MaintenanceLogEntry ToEntry(MaintenanceLogRow row) => new(
        row.Id,
        row.ScenarioId,
        row.Period,
        new MaintenanceEvent
        {
            EquipmentName = row.EquipmentName,
            Start = row.StartsAt.ToUniversalTime(),
            End = row.EndsAt.ToUniversalTime(),
            Planned = row.Planned,
            Cost = row.Cost,
            Description = row.Description,
        });
}
