using CalMiner.Data.Scenarios;
using CalMiner.Scenarios;
using LinqToDB;

namespace CalMiner.Data.Tests.Infrastructure;

/// <summary>Writes data as CalMiner did before a migration, for tests that migrate a database holding it.</summary>
internal static class OldSchema
{
    /// <summary>Saves <paramref name="document"/> as version 1 of a new scenario into a database at a version before 5 (no workspaces, no soft deletes).</summary>
    public static async Task<long> CreateScenarioAsync(DataHost host, ScenarioDocument document, string savedBy = "alice")
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var db = host.Database.Open();
        await using var transaction = await db.BeginTransactionAsync();
        var graph = ScenarioGraph.FromDocument(document, 0);
        var row = graph.Scenario;
        row.Version = 1;
        row.CreatedAt = row.UpdatedAt = now;
        row.CreatedBy = row.UpdatedBy = savedBy;
        var id = await db.InsertWithInt64IdentityAsync(row, (_, column) => column.ColumnName is not ("workspace_id" or "deleted_at" or "deleted_by"));
        graph.SetScenarioId(id);
        await ScenarioRepository.InsertChildrenAsync(db, graph, default);
        await ScenarioRepository.InsertVersionAsync(db, id, 1, now, savedBy, [], document.ToJson(), default);
        await transaction.CommitAsync();
        return id;
    }
}
