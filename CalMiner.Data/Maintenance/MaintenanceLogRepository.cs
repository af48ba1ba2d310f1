using System.Globalization;
using CalMiner.Data.Audit;
using CalMiner.Data.Database;
using CalMiner.Maintenance;
using LinqToDB;
using LinqToDB.Async;

namespace CalMiner.Data;

/// <summary>
/// Maintenance logs: events per equipment fleet of a scenario, by period, and the fleet's
/// availability, MTBF, MTTR and maintenance cost from them (<see cref="MaintenanceAnalysis"/>).
/// </summary>
public sealed class MaintenanceLogRepository
{
    private const int MaxDescriptionLength = 2_000;

    private readonly CalMinerDatabase _database;

    private readonly TimeProvider _time;

    internal MaintenanceLogRepository(CalMinerDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Adds an event to the log of one of a scenario's fleets.</summary>
    /// <param name="scenarioId">The scenario.</param>
    /// <param name="equipmentName">The fleet; it must be in the scenario's latest version.</param>
    /// <param name="maintenanceEvent">The event; its start must fall within the scenario's periods.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored entry, or <see langword="null"/> if there is no scenario with that id.</returns>
    /// <exception cref="ArgumentException">The event is invalid; the message names the field.</exception>
    public async Task<MaintenanceLogEntry?> AddAsync(long scenarioId, string equipmentName, MaintenanceEvent maintenanceEvent, CancellationToken cancellationToken = default)
    {
        CheckEvent(equipmentName, maintenanceEvent);
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await PeriodOfAsync(db, scenarioId, equipmentName, maintenanceEvent, cancellationToken).ConfigureAwait(false) is not { } period)
        {
            return null;
        }

        var row = ToRow(scenarioId, equipmentName, period, maintenanceEvent);
        row.Id = await db.InsertWithInt64IdentityAsync(row, token: cancellationToken).ConfigureAwait(false);
        await RecordAsync(db, AuditActions.MaintenanceAdd, row, "Added", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ToEntry(row);
    }

    /// <summary>Replaces a stored event.</summary>
    /// <param name="id">The entry's id.</param>
    /// <param name="equipmentName">The fleet, checked as by <see cref="AddAsync"/>.</param>
    /// <param name="maintenanceEvent">The new content, checked as by <see cref="AddAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The updated entry, or <see langword="null"/> if there is no entry with that id.</returns>
    /// <exception cref="ArgumentException">The event is invalid; the message names the field.</exception>
    public async Task<MaintenanceLogEntry?> UpdateAsync(long id, string equipmentName, MaintenanceEvent maintenanceEvent, CancellationToken cancellationToken = default)
    {
        CheckEvent(equipmentName, maintenanceEvent);
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var scenarioId = await db.MaintenanceLogs.Where(m => m.Id == id).Select(m => (long?)m.ScenarioId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (scenarioId is null
            || await PeriodOfAsync(db, scenarioId.Value, equipmentName, maintenanceEvent, cancellationToken).ConfigureAwait(false) is not { } period)
        {
            return null;
        }

        var row = ToRow(scenarioId.Value, equipmentName, period, maintenanceEvent);
        row.Id = id;
        await db.UpdateAsync(row, token: cancellationToken).ConfigureAwait(false);
        await RecordAsync(db, AuditActions.MaintenanceUpdate, row, "Replaced", cancellationToken).ConfigureAwait(false);
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
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.MaintenanceLogs.Where(m => m.Id == id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null || await db.MaintenanceLogs.Where(m => m.Id == id).DeleteAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        await RecordAsync(db, AuditActions.MaintenanceDelete, row, "Deleted", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task RecordAsync(CalMinerDb db, string action, MaintenanceLogRow row, string verb, CancellationToken cancellationToken)
    {
        var workspaceId = await AuditLog.WorkspaceOfScenarioAsync(db, row.ScenarioId, cancellationToken).ConfigureAwait(false);
        await AuditLog.RecordAsync(
            db, _time.GetUtcNow(), action, row.Id, workspaceId,
            $"{verb} maintenance entry {row.Id} of scenario {row.ScenarioId}: {row.EquipmentName}, period {row.Period}, cost {row.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The maintenance indicators of a fleet over one period (its calendar year, UTC) or over the
    /// scenario's whole horizon: availability, MTBF, MTTR, downtime and maintenance cost per operating hour.
    /// </summary>
    /// <param name="scenarioId">The scenario.</param>
    /// <param name="equipmentName">The fleet.</param>
    /// <param name="period">The period, 0..periods − 1; <see langword="null"/> for every period.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The indicators, or <see langword="null"/> if there is no scenario with that id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is outside the scenario's periods.</exception>
    /// <exception cref="InvalidMaintenanceLogException">A stored entry of the fleet breaks the rules of an event (e.g. it was stored before they applied).</exception>
    public async Task<MaintenanceKpis?> GetKpisAsync(long scenarioId, string equipmentName, int? period = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(equipmentName);
        await using var db = _database.Open();
        var scenario = await db.Scenarios.Where(s => s.Id == scenarioId)
            .Select(s => new { s.StartYear, s.Periods })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (scenario is null)
        {
            return null;
        }

        if (period is { } p)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(p, nameof(period));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, scenario.Periods, nameof(period));
        }

        var first = scenario.StartYear + (period ?? 0);
        var start = new DateTimeOffset(first, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddYears(period is null ? scenario.Periods : 1);
        var entries = await ListAsync(scenarioId, equipmentName, cancellationToken: cancellationToken).ConfigureAwait(false);
        // An entry stored before its rules held (or written to the table directly) would make the
        // indicators of every reader fail or overflow: it is named, so that someone can fix it.
        foreach (var entry in entries)
        {
            if (!MaintenanceEvent.IsValidCost(entry.Event.Cost))
            {
                throw new InvalidMaintenanceLogException(entry.Id, "cost", string.Create(CultureInfo.InvariantCulture, $"Maintenance log entry {entry.Id} has the cost {entry.Event.Cost:R}, outside 0..1e15: replace it with a valid cost, or delete it."));
            }

            if (entry.Event.End <= entry.Event.Start)
            {
                throw new InvalidMaintenanceLogException(entry.Id, "end", $"Maintenance log entry {entry.Id} ends before it starts: replace it, or delete it.");
            }
        }

        return MaintenanceAnalysis.Calculate(entries.Select(e => e.Event), start, end);
    }

    private static void CheckEvent(string equipmentName, MaintenanceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (string.IsNullOrWhiteSpace(equipmentName))
        {
            ThrowHelper.ThrowArgument(nameof(equipmentName), "equipmentName must not be empty.");
        }

        if (TextRules.Problem(equipmentName) is { } equipmentProblem)
        {
            ThrowHelper.ThrowArgument(nameof(equipmentName), $"equipmentName {equipmentProblem}.");
        }

        const string Name = "maintenanceEvent";
        if (e.End <= e.Start)
        {
            ThrowHelper.ThrowArgument(Name, "end must be after start.");
        }

        if (!MaintenanceEvent.IsValidCost(e.Cost))
        {
            ThrowHelper.ThrowArgument(Name, "cost must be a number in 0..1e15.");
        }

        if (!Enum.IsDefined(e.Kind))
        {
            ThrowHelper.ThrowArgument(Name, "kind must be planned or unplanned.");
        }

        if (e.Description is { Length: > MaxDescriptionLength })
        {
            ThrowHelper.ThrowArgument(Name, $"description must have at most {MaxDescriptionLength} characters.");
        }

        if (e.Description is not null && TextRules.Problem(e.Description) is { } descriptionProblem)
        {
            ThrowHelper.ThrowArgument(Name, $"description {descriptionProblem}.");
        }
    }

    /// <summary>The period of the event's start; null if the scenario does not exist. Checks the fleet and the period.</summary>
    private static async Task<int?> PeriodOfAsync(CalMinerDb db, long scenarioId, string equipmentName, MaintenanceEvent e, CancellationToken cancellationToken)
    {
        var scenario = await db.Scenarios.Where(s => s.Id == scenarioId)
            .Select(s => new { s.StartYear, s.Periods })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (scenario is null)
        {
            return null;
        }

        if (!await db.Equipment.AnyAsync(q => q.ScenarioId == scenarioId && q.Name == equipmentName, cancellationToken).ConfigureAwait(false))
        {
            ThrowHelper.ThrowArgument(nameof(equipmentName), $"equipmentName \"{equipmentName}\" is not a fleet of scenario {scenarioId}.");
        }

        var period = e.Start.UtcDateTime.Year - scenario.StartYear;
        if (period < 0 || period >= scenario.Periods)
        {
            ThrowHelper.ThrowArgument("maintenanceEvent", $"start must fall within the scenario's years {scenario.StartYear}..{scenario.StartYear + scenario.Periods - 1}.");
        }

        return period;
    }

    private static MaintenanceLogRow ToRow(long scenarioId, string equipmentName, int period, MaintenanceEvent e) => new()
    {
        ScenarioId = scenarioId,
        EquipmentName = equipmentName,
        Period = period,
        StartsAt = e.Start.ToUniversalTime(),
        EndsAt = e.End.ToUniversalTime(),
        Planned = e.Kind == MaintenanceKind.Planned,
        Cost = e.Cost,
        Description = e.Description,
    };

    private static MaintenanceLogEntry ToEntry(MaintenanceLogRow row) => new(
        row.Id,
        row.ScenarioId,
        row.EquipmentName,
        row.Period,
        new MaintenanceEvent(
            row.StartsAt.ToUniversalTime(),
            row.EndsAt.ToUniversalTime(),
            row.Planned ? MaintenanceKind.Planned : MaintenanceKind.Unplanned,
            row.Cost,
            row.Description));
}
