using System.Text.Json;
using CalMiner.Data.Audit;
using CalMiner.Data.Caching;
using CalMiner.Data.Database;
using CalMiner.Data.Scenarios;
using CalMiner.Scenarios;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace CalMiner.Data;

/// <summary>
/// Stores scenarios in the normalised tables, each in one workspace. Every save is one transaction
/// that also records the version in the scenario's history and the write in the audit log; updates
/// and deletes are checked against the version the caller read (optimistic concurrency). A deleted
/// scenario is hidden from every read until it is restored or purged.
/// </summary>
public sealed class ScenarioRepository
{
    /// <summary>The largest page <see cref="ListAsync"/> returns.</summary>
    public const int MaxPageSize = 500;

    private const int MaxAuthorLength = 200;
    private const int ReadAttempts = 5;

    // Child rows are few per table: one multi-row INSERT each beats a COPY's set-up.
    private static readonly BulkCopyOptions ChildRows = new() { BulkCopyType = BulkCopyType.MultipleRows };

    private readonly CalMinerDatabase _database;
    private readonly TimeProvider _time;
    private readonly ScenarioCacheEvictor? _evictor;

    internal ScenarioRepository(CalMinerDatabase database, TimeProvider time, ScenarioCacheEvictor? evictor)
    {
        _database = database;
        _time = time;
        _evictor = evictor;
    }

    /// <summary>Saves a new scenario as version 1 in a workspace.</summary>
    /// <param name="document">The scenario; it must be valid.</param>
    /// <param name="savedBy">Who saves it, e.g. a user name; not empty, at most 200 characters.</param>
    /// <param name="workspaceId">The workspace it belongs to, which must exist; default the one every database starts with.</param>
    /// <param name="cancellationToken">Cancels the save, which then writes nothing.</param>
    /// <returns>The saved scenario with its new id.</returns>
    /// <exception cref="InvalidScenarioException">The document breaks a rule of the format; nothing was written.</exception>
    /// <exception cref="ArgumentException">There is no workspace <paramref name="workspaceId"/>; nothing was written.</exception>
    public Task<StoredScenario> CreateAsync(ScenarioDocument document, string savedBy, long workspaceId = WorkspaceRepository.DefaultId, CancellationToken cancellationToken = default) =>
        CreateAsync(workspaceId, document, savedBy, AuditActions.ScenarioCreate, cancellationToken);

    /// <summary>Saves a scenario read from a document file as version 1 in a workspace: a create, recorded as an import.</summary>
    /// <param name="document">The scenario; it must be valid.</param>
    /// <param name="savedBy">Who saves it, e.g. a user name; not empty, at most 200 characters.</param>
    /// <param name="workspaceId">The workspace it belongs to, which must exist; default the one every database starts with.</param>
    /// <param name="cancellationToken">Cancels the save, which then writes nothing.</param>
    /// <returns>The saved scenario with its new id.</returns>
    /// <exception cref="InvalidScenarioException">The document breaks a rule of the format; nothing was written.</exception>
    /// <exception cref="ArgumentException">There is no workspace <paramref name="workspaceId"/>; nothing was written.</exception>
    public Task<StoredScenario> ImportAsync(ScenarioDocument document, string savedBy, long workspaceId = WorkspaceRepository.DefaultId, CancellationToken cancellationToken = default) =>
        CreateAsync(workspaceId, document, savedBy, AuditActions.ScenarioImport, cancellationToken);

    private async Task<StoredScenario> CreateAsync(long workspaceId, ScenarioDocument document, string savedBy, string action, CancellationToken cancellationToken)
    {
        EnsureValid(document);
        CheckAuthor(savedBy);
        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Workspaces.AnyAsync(w => w.Id == workspaceId, cancellationToken).ConfigureAwait(false))
        {
            ThrowHelper.ThrowArgument(nameof(workspaceId), $"There is no workspace {workspaceId}.");
        }

        var id = await InsertNewAsync(db, workspaceId, document, savedBy, now, cancellationToken).ConfigureAwait(false);
        await AuditLog.RecordAsync(db, now, action, id, workspaceId, $"Created '{document.Name}' as version 1", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoredScenario(id, 1, document, now, savedBy);
    }

    /// <summary>Reads the latest version of a scenario, rebuilt from the tables.</summary>
    /// <param name="id">The scenario's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The scenario, or <see langword="null"/> if there is none with that id.</returns>
    public async Task<StoredScenario?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        return await ReadAsync(db, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest version of a scenario, without reading it.</summary>
    /// <param name="id">The scenario's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version, or <see langword="null"/> if there is no scenario with that id.</returns>
    public async Task<int?> GetVersionAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        return await CurrentVersionAsync(db, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves a new version of a scenario, if nobody saved one since <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The scenario's id.</param>
    /// <param name="expectedVersion">The version the change is based on, i.e. the one the caller read.</param>
    /// <param name="document">The new content; it must be valid.</param>
    /// <param name="savedBy">Who saves it; not empty, at most 200 characters.</param>
    /// <param name="cancellationToken">Cancels the save, which then writes nothing.</param>
    /// <returns>The saved scenario at version <paramref name="expectedVersion"/> + 1.</returns>
    /// <exception cref="InvalidScenarioException">The document breaks a rule of the format; nothing was written.</exception>
    /// <exception cref="ScenarioConcurrencyException">The scenario is no longer at <paramref name="expectedVersion"/>, or no longer exists; nothing was written.</exception>
    public Task<StoredScenario> UpdateAsync(long id, int expectedVersion, ScenarioDocument document, string savedBy, CancellationToken cancellationToken = default)
    {
        EnsureValid(document);
        CheckAuthor(savedBy);
        return SaveVersionAsync(id, expectedVersion, document, savedBy, AuditActions.ScenarioUpdate, cancellationToken);
    }

    /// <summary>
    /// Deletes a scenario: it vanishes from every read, list and access check, but keeps its history,
    /// maintenance logs and runs until <see cref="PurgeDeletedAsync"/> removes them; until then
    /// <see cref="RestoreDeletedAsync"/> brings it back. Recorded as done by <see cref="AuditActor.Current"/>.
    /// </summary>
    /// <param name="id">The scenario's id.</param>
    /// <param name="expectedVersion">When given, delete only if the scenario is still at this version.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>Whether a scenario was deleted; <see langword="false"/> if there was none with that id, or it was deleted already.</returns>
    /// <exception cref="ScenarioConcurrencyException">The scenario is no longer at <paramref name="expectedVersion"/>; nothing was deleted.</exception>
    public async Task<bool> DeleteAsync(long id, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var actor = AuditActor.Current.Name;
        int version;
        await using (var db = _database.Open())
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var deleted = await db.Scenarios
                .Where(s => s.Id == id && s.DeletedAt == null && (expectedVersion == null || s.Version == expectedVersion))
                .Set(s => s.DeletedAt, now)
                .Set(s => s.DeletedBy, actor)
                .UpdateAsync(cancellationToken).ConfigureAwait(false);
            if (deleted == 0)
            {
                var current = await CurrentVersionAsync(db, id, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return false;
                }

                ThrowHelper.ThrowConcurrency(id, expectedVersion!.Value, current);
            }

            var row = await db.Scenarios.Where(s => s.Id == id).Select(s => new { s.Version, s.Name, s.WorkspaceId }).SingleAsync(cancellationToken).ConfigureAwait(false);
            version = row.Version;
            await AuditLog.RecordAsync(db, now, AuditActions.ScenarioDelete, id, row.WorkspaceId, $"Deleted '{row.Name}' at version {row.Version}", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await EvictAsync(id, version).ConfigureAwait(false);
        return true;
    }

    /// <summary>Brings a deleted scenario back, as it was when deleted.</summary>
    /// <param name="workspaceId">The workspace the scenario must belong to.</param>
    /// <param name="id">The scenario's id.</param>
    /// <param name="cancellationToken">Cancels the restore.</param>
    /// <returns>The restored scenario's latest version, or <see langword="null"/> if the workspace has no deleted scenario with that id (never deleted, or purged).</returns>
    public async Task<int?> RestoreDeletedAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var restored = await db.Scenarios
            .Where(s => s.Id == id && s.WorkspaceId == workspaceId && s.DeletedAt != null)
            .Set(s => s.DeletedAt, (DateTimeOffset?)null)
            .Set(s => s.DeletedBy, (string?)null)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
        if (restored == 0)
        {
            return null;
        }

        var row = await db.Scenarios.Where(s => s.Id == id).Select(s => new { s.Version, s.Name }).SingleAsync(cancellationToken).ConfigureAwait(false);
        await AuditLog.RecordAsync(db, now, AuditActions.ScenarioRestore, id, workspaceId, $"Restored '{row.Name}' at version {row.Version}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row.Version;
    }

    /// <summary>Lists deleted scenarios not yet purged, the most recently deleted first.</summary>
    /// <param name="workspaceId">Only those of this workspace; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The deleted scenarios.</returns>
    public async Task<IReadOnlyList<DeletedScenario>> ListDeletedAsync(long? workspaceId = null, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await db.Scenarios
            .Where(s => s.DeletedAt != null && (workspaceId == null || s.WorkspaceId == workspaceId))
            .OrderByDescending(s => s.DeletedAt).ThenByDescending(s => s.Id)
            .Select(s => new { s.Id, s.WorkspaceId, s.Name, s.Version, s.DeletedAt, s.DeletedBy })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new DeletedScenario(r.Id, r.WorkspaceId, r.Name, r.Version, r.DeletedAt!.Value.ToUniversalTime(), r.DeletedBy ?? ""))];
    }

    /// <summary>
    /// Removes for good the scenarios deleted before <paramref name="deletedBefore"/>, with their
    /// history, maintenance logs and simulation runs; each in its own transaction, with its audit record.
    /// </summary>
    /// <param name="deletedBefore">Purge scenarios deleted strictly before this time, e.g. now minus the retention period.</param>
    /// <param name="cancellationToken">Cancels the purge between two scenarios.</param>
    /// <returns>How many scenarios were purged.</returns>
    public async Task<int> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default)
    {
        var cutoff = deletedBefore.ToUniversalTime();
        List<long> ids;
        await using (var db = _database.Open())
        {
            ids = await db.Scenarios.Where(s => s.DeletedAt != null && s.DeletedAt < cutoff).Select(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var purged = 0;
        foreach (var id in ids)
        {
            await using var db = _database.Open();
            await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var row = await db.Scenarios.Where(s => s.Id == id && s.DeletedAt != null && s.DeletedAt < cutoff)
                .Select(s => new { s.Name, s.WorkspaceId, s.DeletedAt })
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                // Restored or purged meanwhile.
                continue;
            }

            // The foreign keys' ON DELETE CASCADE take the history, logs, runs and their samples with it.
            await db.Scenarios.Where(s => s.Id == id).DeleteAsync(cancellationToken).ConfigureAwait(false);
            await AuditLog.RecordAsync(
                db, _time.GetUtcNow(), AuditActions.ScenarioPurge, id, row.WorkspaceId,
                $"Purged '{row.Name}', deleted at {row.DeletedAt!.Value.ToUniversalTime():u}", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            purged++;
        }

        return purged;
    }

    /// <summary>Lists scenarios, by name unless told otherwise, a page at a time.</summary>
    /// <param name="search">Optional text that the name or description must contain, ignoring case (ASCII letters on SQLite).</param>
    /// <param name="offset">How many matching scenarios to skip, ≥ 0.</param>
    /// <param name="limit">The most scenarios to return, 1..<see cref="MaxPageSize"/>.</param>
    /// <param name="sort">The order of the list; ties are broken by id, so pages never overlap.</param>
    /// <param name="workspaceIds">Only scenarios of these workspaces; <see langword="null"/> for every workspace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page, with the number of matching scenarios. Deleted scenarios are never listed.</returns>
    public async Task<Page<ScenarioListItem>> ListAsync(
        string? search = null, int offset = 0, int limit = 50, ScenarioSort sort = ScenarioSort.Name, IReadOnlyCollection<long>? workspaceIds = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(sort))
        {
            ThrowHelper.ThrowArgument(nameof(sort), "sort must be one of the ScenarioSort values.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        await using var db = _database.Open();
        IQueryable<ScenarioRow> query = db.Scenarios.Where(s => s.DeletedAt == null);
        if (workspaceIds is not null)
        {
            var inWorkspaces = workspaceIds.ToArray();
            query = query.Where(s => inWorkspaces.Contains(s.WorkspaceId));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(s => s.Name.ToLower().Contains(term) || (s.Description != null && s.Description.ToLower().Contains(term)));
        }

        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var ordered = sort switch
        {
            ScenarioSort.NameDescending => query.OrderByDescending(s => s.Name.ToLower()).ThenByDescending(s => s.Id),
            ScenarioSort.UpdatedAt => query.OrderBy(s => s.UpdatedAt).ThenBy(s => s.Id),
            ScenarioSort.UpdatedAtDescending => query.OrderByDescending(s => s.UpdatedAt).ThenByDescending(s => s.Id),
            _ => query.OrderBy(s => s.Name.ToLower()).ThenBy(s => s.Id),
        };
        var items = await ordered
            .Skip(offset).Take(limit)
            .Select(s => new ScenarioListItem(s.Id, s.Version, s.Name, s.Description, s.Currency, s.UpdatedAt, s.UpdatedBy, s.WorkspaceId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new Page<ScenarioListItem>(items, total, offset, limit);
    }

    /// <summary>Copies the latest version of a scenario into a new scenario at version 1.</summary>
    /// <param name="id">The scenario to copy.</param>
    /// <param name="name">The copy's name; default the original's name with " (copy)".</param>
    /// <param name="savedBy">Who makes the copy; not empty, at most 200 characters.</param>
    /// <param name="cancellationToken">Cancels the copy, which then writes nothing.</param>
    /// <returns>The copy, or <see langword="null"/> if there is no scenario with that id. Maintenance logs and runs are not copied.</returns>
    public async Task<StoredScenario?> CloneAsync(long id, string? name, string savedBy, CancellationToken cancellationToken = default)
    {
        CheckAuthor(savedBy);
        if (name is not null && string.IsNullOrWhiteSpace(name))
        {
            ThrowHelper.ThrowArgument(nameof(name), "The name of the copy must not be empty.");
        }

        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var original = await ReadAsync(db, id, cancellationToken).ConfigureAwait(false);
        if (original is null)
        {
            return null;
        }

        var copy = original.Document with { Name = name ?? $"{original.Document.Name} (copy)" };
        var workspaceId = await db.Scenarios.Where(s => s.Id == id).Select(s => s.WorkspaceId).SingleAsync(cancellationToken).ConfigureAwait(false);
        var newId = await InsertNewAsync(db, workspaceId, copy, savedBy, now, cancellationToken).ConfigureAwait(false);
        await AuditLog.RecordAsync(db, now, AuditActions.ScenarioClone, newId, workspaceId, $"Copied scenario {id} at version {original.Version} as '{copy.Name}'", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoredScenario(newId, 1, copy, now, savedBy);
    }

    /// <summary>Saves <paramref name="document"/> as the next version; shared by update and restore.</summary>
    internal async Task<StoredScenario> SaveVersionAsync(long id, int expectedVersion, ScenarioDocument document, string savedBy, string action, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var version = expectedVersion + 1;
        var graph = ScenarioGraph.FromDocument(document, id);
        var row = graph.Scenario;
        row.Version = version;
        row.UpdatedAt = now;
        row.UpdatedBy = savedBy;

        await using (var db = _database.Open())
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // Claims the row (and on PostgreSQL waits for a concurrent writer of it), then checks the version.
            var claimed = await db.Scenarios
                .Where(s => s.Id == id && s.Version == expectedVersion && s.DeletedAt == null)
                .Set(s => s.Version, version)
                .UpdateAsync(cancellationToken).ConfigureAwait(false);
            if (claimed == 0)
            {
                var current = await CurrentVersionAsync(db, id, cancellationToken).ConfigureAwait(false);
                ThrowHelper.ThrowConcurrency(id, expectedVersion, current);
            }

            // Read rather than left out of the UPDATE: linq2db cannot cache an UPDATE built with a column filter.
            var created = await db.Scenarios.Where(s => s.Id == id)
                .Select(s => new { s.CreatedAt, s.CreatedBy, s.WorkspaceId })
                .SingleAsync(cancellationToken).ConfigureAwait(false);
            row.CreatedAt = created.CreatedAt;
            row.CreatedBy = created.CreatedBy;
            row.WorkspaceId = created.WorkspaceId;
            await db.UpdateAsync(row, token: cancellationToken).ConfigureAwait(false);

            var previous = await db.ScenarioVersions
                .Where(v => v.ScenarioId == id && v.Version == expectedVersion)
                .Select(v => v.Document)
                .SingleAsync(cancellationToken).ConfigureAwait(false);
            var json = document.ToJson();
            var changed = ScenarioDiff.Compare(previous, json).Select(c => c.Path).ToList();

            await DeleteChildrenAsync(db, id, cancellationToken).ConfigureAwait(false);
            await InsertChildrenAsync(db, graph, cancellationToken).ConfigureAwait(false);
            await InsertVersionAsync(db, id, version, now, savedBy, changed, json, cancellationToken).ConfigureAwait(false);
            await AuditLog.RecordAsync(
                db, now, action, id, created.WorkspaceId,
                $"Saved '{document.Name}' as version {version}" + (changed.Count == 0 ? ", unchanged" : $", changed {string.Join(", ", changed)}"),
                cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await EvictAsync(id, expectedVersion).ConfigureAwait(false);
        return new StoredScenario(id, version, document, now, savedBy);
    }

    internal static void CheckAuthor(string savedBy)
    {
        ArgumentNullException.ThrowIfNull(savedBy);
        if (string.IsNullOrWhiteSpace(savedBy) || savedBy.Length > MaxAuthorLength)
        {
            ThrowHelper.ThrowArgument(nameof(savedBy), $"Who saves must be named, in 1..{MaxAuthorLength} characters.");
        }
    }

    private static void EnsureValid(ScenarioDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = document.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidScenarioException(errors);
        }
    }

    private static async Task<long> InsertNewAsync(CalMinerDb db, long workspaceId, ScenarioDocument document, string savedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var graph = ScenarioGraph.FromDocument(document, 0);
        var row = graph.Scenario;
        row.WorkspaceId = workspaceId;
        row.Version = 1;
        row.CreatedAt = row.UpdatedAt = now;
        row.CreatedBy = row.UpdatedBy = savedBy;
        var id = await db.InsertWithInt64IdentityAsync(row, token: cancellationToken).ConfigureAwait(false);
        graph.SetScenarioId(id);
        await InsertChildrenAsync(db, graph, cancellationToken).ConfigureAwait(false);
        await InsertVersionAsync(db, id, 1, now, savedBy, [], document.ToJson(), cancellationToken).ConfigureAwait(false);
        return id;
    }

    internal static async Task InsertChildrenAsync(CalMinerDb db, ScenarioGraph g, CancellationToken cancellationToken)
    {
        // Parents before children where the reference is checked at once (points, grades); the
        // references to parameters and products are deferred to commit.
        await InsertAsync(db, g.Parameters, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.ParameterPoints, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.Correlations, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.Products, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.SchedulePeriods, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.ScheduleGrades, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.Consumables, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.Equipment, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.CapitalItems, cancellationToken).ConfigureAwait(false);
        await InsertAsync(db, g.Royalties, cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertAsync<T>(CalMinerDb db, List<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count > 0)
        {
            await db.BulkCopyAsync(ChildRows, rows, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DeleteChildrenAsync(CalMinerDb db, long id, CancellationToken cancellationToken)
    {
        // Deleting a parameter or a product cascades to its points, correlations and grades.
        await db.Parameters.Where(r => r.ScenarioId == id).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Products.Where(r => r.ScenarioId == id).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.SchedulePeriods.Where(r => r.ScenarioId == id).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Consumables.Where(r => r.ScenarioId == id).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Equipment.Where(r => r.ScenarioId == id).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.CapitalItems.Where(r => r.ScenarioId == id).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Royalties.Where(r => r.ScenarioId == id).DeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static Task InsertVersionAsync(CalMinerDb db, long id, int version, DateTimeOffset now, string savedBy, List<string> changedPaths, string json, CancellationToken cancellationToken) =>
        db.InsertAsync(
            new ScenarioVersionRow
            {
                ScenarioId = id,
                Version = version,
                SavedAt = now,
                SavedBy = savedBy,
                ChangedPaths = JsonSerializer.Serialize(changedPaths, DataJsonContext.Default.ListString),
                Document = json,
            },
            token: cancellationToken);

    // Asked before every read of a scenario, so plain SQL (see CalMinerDb.QueryFirstAsync).
    private static Task<int?> CurrentVersionAsync(CalMinerDb db, long id, CancellationToken cancellationToken) =>
        db.QueryFirstAsync(
            "SELECT version FROM scenario WHERE id = @id AND deleted_at IS NULL",
            reader => (int?)reader.GetInt32(0),
            cancellationToken,
            ("id", id));

    /// <summary>
    /// Reads the scenario and its children with one query per table, then checks that the version
    /// has not moved meanwhile: every write bumps it in the same transaction as its child rows, so an
    /// unchanged version proves the rows read belong together. Otherwise it reads again.
    /// </summary>
    private static async Task<StoredScenario?> ReadAsync(CalMinerDb db, long id, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await db.Scenarios.Where(s => s.Id == id && s.DeletedAt == null).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            var graph = new ScenarioGraph
            {
                Scenario = row,
                Parameters = await db.Parameters.Where(r => r.ScenarioId == id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                ParameterPoints = await db.ParameterPoints.Where(r => r.ScenarioId == id).OrderBy(r => r.ParameterName).ThenBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                Correlations = await db.Correlations.Where(r => r.ScenarioId == id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                Products = await db.Products.Where(r => r.ScenarioId == id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                SchedulePeriods = await db.SchedulePeriods.Where(r => r.ScenarioId == id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                ScheduleGrades = await db.ScheduleGrades.Where(r => r.ScenarioId == id).OrderBy(r => r.Period).ThenBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                Consumables = await db.Consumables.Where(r => r.ScenarioId == id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                Equipment = await db.Equipment.Where(r => r.ScenarioId == id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                CapitalItems = await db.CapitalItems.Where(r => r.ScenarioId == id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
                Royalties = await db.Royalties.Where(r => r.ScenarioId == id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken).ConfigureAwait(false),
            };

            var after = await CurrentVersionAsync(db, id, cancellationToken).ConfigureAwait(false);
            if (after == row.Version)
            {
                return new StoredScenario(id, row.Version, graph.ToDocument(), row.UpdatedAt, row.UpdatedBy);
            }

            if (after is null)
            {
                return null;
            }

            if (attempt == ReadAttempts)
            {
                return ThrowHelper.ThrowInvalidData<StoredScenario>($"Scenario {id} kept changing while it was read; try again.");
            }
        }
    }

    private Task EvictAsync(long id, int oldVersion) =>
        _evictor is null ? Task.CompletedTask : _evictor.ScenarioChangedAsync(id, oldVersion);
}
