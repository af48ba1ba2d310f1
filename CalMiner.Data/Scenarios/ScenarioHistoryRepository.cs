using System.Text.Json;
using CalMiner.Data.Audit;
using CalMiner.Data.Database;
using CalMiner.Data.Scenarios;
using CalMiner.Scenarios;
using LinqToDB;
using LinqToDB.Async;

namespace CalMiner.Data;

/// <summary>
/// The history of a scenario: every saved version, with who saved it, when and which fields
/// changed. Versions can be read, compared field by field and restored as a new version.
/// </summary>
public sealed class ScenarioHistoryRepository
{
    private readonly CalMinerDatabase _database;
    private readonly ScenarioRepository _scenarios;

    internal ScenarioHistoryRepository(CalMinerDatabase database, ScenarioRepository scenarios)
    {
        _database = database;
        _scenarios = scenarios;
    }

    /// <summary>Lists the saved versions of a scenario, newest first.</summary>
    /// <param name="scenarioId">The scenario's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The versions; empty if there is no scenario with that id.</returns>
    public async Task<IReadOnlyList<ScenarioVersionInfo>> ListAsync(long scenarioId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await db.ScenarioVersions
            .Where(v => v.ScenarioId == scenarioId)
            .OrderByDescending(v => v.Version)
            .Select(v => new { v.Version, v.SavedAt, v.SavedBy, v.ChangedPaths })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new ScenarioVersionInfo(
            scenarioId,
            r.Version,
            r.SavedAt,
            r.SavedBy,
            JsonSerializer.Deserialize(r.ChangedPaths, DataJsonContext.Default.ListString) ?? []))];
    }

    /// <summary>Reads one saved version of a scenario.</summary>
    /// <param name="scenarioId">The scenario's id.</param>
    /// <param name="version">The version, from 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>That version, or <see langword="null"/> if the scenario or the version does not exist.</returns>
    public async Task<StoredScenario?> GetAsync(long scenarioId, int version, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var row = await db.ScenarioVersions
            .Where(v => v.ScenarioId == scenarioId && v.Version == version)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new StoredScenario(scenarioId, version, ScenarioDocument.Parse(row.Document), row.SavedAt, row.SavedBy);
    }

    /// <summary>Compares two saved versions of a scenario field by field.</summary>
    /// <param name="scenarioId">The scenario's id.</param>
    /// <param name="fromVersion">The version to compare from (the "before").</param>
    /// <param name="toVersion">The version to compare to (the "after").</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The fields that differ, in document order; <see langword="null"/> if either version does not exist.</returns>
    public async Task<IReadOnlyList<ScenarioChange>?> CompareAsync(long scenarioId, int fromVersion, int toVersion, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var documents = await db.ScenarioVersions
            .Where(v => v.ScenarioId == scenarioId && (v.Version == fromVersion || v.Version == toVersion))
            .Select(v => new { v.Version, v.Document })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var before = documents.Find(d => d.Version == fromVersion);
        var after = documents.Find(d => d.Version == toVersion);
        return before is null || after is null ? null : ScenarioDiff.Compare(before.Document, after.Document);
    }

    /// <summary>Saves an earlier version's content as the scenario's next version.</summary>
    /// <param name="scenarioId">The scenario's id.</param>
    /// <param name="version">The version whose content to restore.</param>
    /// <param name="expectedVersion">The scenario's latest version as the caller knows it.</param>
    /// <param name="savedBy">Who restores it; not empty, at most 200 characters.</param>
    /// <param name="cancellationToken">Cancels the restore, which then writes nothing.</param>
    /// <returns>The new version, or <see langword="null"/> if <paramref name="version"/> does not exist.</returns>
    /// <exception cref="ScenarioConcurrencyException">The scenario is no longer at <paramref name="expectedVersion"/>; nothing was written.</exception>
    public async Task<StoredScenario?> RestoreAsync(long scenarioId, int version, int expectedVersion, string savedBy, CancellationToken cancellationToken = default)
    {
        ScenarioRepository.CheckAuthor(savedBy);
        var old = await GetAsync(scenarioId, version, cancellationToken).ConfigureAwait(false);
        return old is null
            ? null
            : await _scenarios.SaveVersionAsync(scenarioId, expectedVersion, old.Document, savedBy, AuditActions.ScenarioRestoreVersion, cancellationToken).ConfigureAwait(false);
    }
}
