using CalMiner.Data.Database;
using LinqToDB.Async;
using LinqToDB;

namespace CalMiner.Data.Audit;

/// <summary>
/// Writes audit records inside the caller's transaction, so that a record exists exactly when its
/// write was committed. The action names are listed in <see cref="AuditActions"/>.
/// </summary>
internal static class AuditLog
{
    private const int MaxSummaryLength = 500;
    private const int MaxUserAgentLength = 200;

    public static Task RecordAsync(CalMinerDb db, DateTimeOffset at, string action, long? targetId, long? workspaceId, string summary, CancellationToken cancellationToken)
    {
        var actor = AuditActor.Current;
        return db.InsertAsync(
            new AuditLogRow
            {
                At = at,
                UserId = actor.UserId,
                Actor = actor.Name,
                Action = action,
                TargetId = targetId,
                WorkspaceId = workspaceId,
                Summary = Cut(summary, MaxSummaryLength),
                RemoteAddress = actor.RemoteAddress,
                UserAgent = actor.UserAgent is null ? null : Cut(actor.UserAgent, MaxUserAgentLength),
            },
            token: cancellationToken);
    }


    /// <summary>The workspace of a scenario, deleted or not, for the records of writes to what belongs to it.</summary>
    public static Task<long> WorkspaceOfScenarioAsync(CalMinerDb db, long scenarioId, CancellationToken cancellationToken) =>
        db.Scenarios.Where(s => s.Id == scenarioId).Select(s => s.WorkspaceId).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Text as recorded: control characters (e.g. NUL, which PostgreSQL refuses) become spaces, and it is cut to <paramref name="max"/>.</summary>
    private static string Cut(string text, int max)
    {
        var clean = string.Create(Math.Min(text.Length, max), text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
        return clean;
    }
}
