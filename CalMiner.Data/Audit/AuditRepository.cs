using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Async;

namespace CalMiner.Data;

/// <summary>Reads the audit log: one record per write, newest first. Records are written by the repositories, in each write's transaction.</summary>
public sealed class AuditRepository
{
    /// <summary>The largest page <see cref="ListAsync"/> returns.</summary>
    public const int MaxPageSize = 500;

    private readonly CalMinerDatabase _database;

    internal AuditRepository(CalMinerDatabase database) => _database = database;

    /// <summary>Lists audit records, newest first, a page at a time.</summary>
    /// <param name="filter">Which records; <see langword="null"/> for all.</param>
    /// <param name="offset">How many matching records to skip, ≥ 0.</param>
    /// <param name="limit">The most records to return, 1..<see cref="MaxPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page, with the number of matching records.</returns>
    public async Task<Page<AuditEntry>> ListAsync(AuditFilter? filter = null, int offset = 0, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        filter ??= new AuditFilter();
        await using var db = _database.Open();
        IQueryable<AuditLogRow> query = db.AuditLog;
        if (filter.WorkspaceId is { } workspaceId)
        {
            query = query.Where(a => a.WorkspaceId == workspaceId);
        }

        if (filter.Since is { } since)
        {
            var from = since.ToUniversalTime();
            query = query.Where(a => a.At >= from);
        }

        if (filter.UserId is { } userId)
        {
            query = query.Where(a => a.UserId == userId);
        }

        if (!string.IsNullOrEmpty(filter.Action))
        {
            var action = filter.Action;
            query = action.EndsWith('.')
                ? query.Where(a => a.Action.StartsWith(action))
                : query.Where(a => a.Action == action);
        }

        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var rows = await query.OrderByDescending(a => a.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new Page<AuditEntry>(
            [.. rows.Select(r => new AuditEntry(r.Id, r.At.ToUniversalTime(), r.UserId, r.Actor, r.Action, r.TargetId, r.WorkspaceId, r.Summary, r.RemoteAddress, r.UserAgent))],
            total,
            offset,
            limit);
    }
}
