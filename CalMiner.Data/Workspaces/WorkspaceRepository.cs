using CalMiner.Data.Accounts;
using CalMiner.Data.Audit;
using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CalMiner.Data;

/// <summary>
/// Workspaces and who belongs to them with which role, and the one question every access check asks:
/// which workspace does this scenario or run belong to, and what is this user's role there.
/// Every write is recorded in the audit log in its own transaction.
/// </summary>
public sealed class WorkspaceRepository
{
    /// <summary>The workspace every database starts with, named "Default" (migration 0005 moves earlier data into it).</summary>
    public const long DefaultId = 1;

    private const int MaxNameLength = 100;

    private readonly CalMinerDatabase _database;
    private readonly TimeProvider _time;

    internal WorkspaceRepository(CalMinerDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Creates a workspace with no members.</summary>
    /// <param name="name">Its name: trimmed, 1..100 characters, unique.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new workspace.</returns>
    /// <exception cref="ArgumentException">The name is empty or too long.</exception>
    /// <exception cref="DuplicateWorkspaceNameException">Another workspace has this name; nothing was written.</exception>
    public async Task<Workspace> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var row = new WorkspaceRow { Name = CheckName(name), CreatedAt = AccountRules.Truncate(_time.GetUtcNow()) };
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            row.Id = await db.InsertWithInt64IdentityAsync(row, token: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDuplicateName(e))
        {
            throw new DuplicateWorkspaceNameException(row.Name);
        }

        await AuditLog.RecordAsync(db, row.CreatedAt, AuditActions.WorkspaceCreate, row.Id, row.Id, $"Created workspace '{row.Name}'", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ToWorkspace(row);
    }

    /// <summary>Renames a workspace.</summary>
    /// <param name="id">The workspace's id.</param>
    /// <param name="name">The new name: trimmed, 1..100 characters, unique.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The renamed workspace, or <see langword="null"/> if there is none with that id.</returns>
    /// <exception cref="ArgumentException">The name is empty or too long.</exception>
    /// <exception cref="DuplicateWorkspaceNameException">Another workspace has this name; nothing was written.</exception>
    public async Task<Workspace?> RenameAsync(long id, string name, CancellationToken cancellationToken = default)
    {
        var newName = CheckName(name);
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Workspaces.Where(w => w.Id == id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var oldName = row.Name;
        try
        {
            await db.Workspaces.Where(w => w.Id == id).Set(w => w.Name, newName).UpdateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDuplicateName(e))
        {
            throw new DuplicateWorkspaceNameException(newName);
        }

        await AuditLog.RecordAsync(db, _time.GetUtcNow(), AuditActions.WorkspaceRename, id, id, $"Renamed workspace '{oldName}' to '{newName}'", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        row.Name = newName;
        return ToWorkspace(row);
    }

    /// <summary>Reads a workspace.</summary>
    /// <param name="id">The workspace's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The workspace, or <see langword="null"/> if there is none with that id.</returns>
    public async Task<Workspace?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var row = await db.Workspaces.Where(w => w.Id == id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToWorkspace(row);
    }

    /// <summary>Finds a workspace by its exact name.</summary>
    /// <param name="name">The name; leading and trailing spaces are ignored.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The workspace, or <see langword="null"/> if none has that name.</returns>
    public async Task<Workspace?> FindByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim();
        await using var db = _database.Open();
        var row = await db.Workspaces.Where(w => w.Name == key).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToWorkspace(row);
    }

    /// <summary>Lists every workspace by name.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The workspaces.</returns>
    public async Task<IReadOnlyList<Workspace>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await db.Workspaces.OrderBy(w => w.Name).ThenBy(w => w.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToWorkspace)];
    }

    /// <summary>Lists the workspaces a user is a member of, by name, with the user's role in each.</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The memberships; empty for a user of no workspace (or no user).</returns>
    public async Task<IReadOnlyList<WorkspaceMembership>> ListMembershipsAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await (
                from m in db.WorkspaceMembers
                join w in db.Workspaces on m.WorkspaceId equals w.Id
                where m.UserId == userId
                orderby w.Name, w.Id
                select new { Workspace = w, m.Role })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new WorkspaceMembership(ToWorkspace(r.Workspace), ParseRole(r.Role)))];
    }

    /// <summary>Lists the members of a workspace by email.</summary>
    /// <param name="workspaceId">The workspace's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The members; empty for a workspace without members (or no workspace).</returns>
    public async Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await (
                from m in db.WorkspaceMembers
                join u in db.Users on m.UserId equals u.Id
                where m.WorkspaceId == workspaceId
                orderby u.Email
                select new { u.Id, u.Email, m.Role })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new WorkspaceMember(r.Id, r.Email, ParseRole(r.Role)))];
    }

    /// <summary>Makes a user a member of a workspace with <paramref name="role"/>, or gives a member that role.</summary>
    /// <param name="workspaceId">The workspace's id.</param>
    /// <param name="userId">The user's id.</param>
    /// <param name="role">The user's role there.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was done: <see langword="false"/> if the workspace or the user does not exist.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a <see cref="WorkspaceRole"/>.</exception>
    public async Task<bool> SetMemberAsync(long workspaceId, long userId, WorkspaceRole role, CancellationToken cancellationToken = default)
    {
        var name = RoleName(role);
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var names = await (
                from w in db.Workspaces
                from u in db.Users
                where w.Id == workspaceId && u.Id == userId
                select new { Workspace = w.Name, u.Email })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (names is null)
        {
            return false;
        }

        var updated = await db.WorkspaceMembers
            .Where(m => m.WorkspaceId == workspaceId && m.UserId == userId)
            .Set(m => m.Role, name)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            try
            {
                await db.InsertAsync(new WorkspaceMemberRow { WorkspaceId = workspaceId, UserId = userId, Role = name }, token: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (AccountRules.IsForeignKeyViolation(e))
            {
                // The user or the workspace was deleted meanwhile.
                return false;
            }
        }

        await AuditLog.RecordAsync(
            db, _time.GetUtcNow(), AuditActions.MemberSet, userId, workspaceId,
            $"{names.Email} is {name} in '{names.Workspace}'{(updated == 0 ? " (added)" : "")}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Removes a user from a workspace.</summary>
    /// <param name="workspaceId">The workspace's id.</param>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the user was a member.</returns>
    public async Task<bool> RemoveMemberAsync(long workspaceId, long userId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var removed = await db.WorkspaceMembers.Where(m => m.WorkspaceId == workspaceId && m.UserId == userId).DeleteAsync(cancellationToken).ConfigureAwait(false);
        if (removed == 0)
        {
            return false;
        }

        await AuditLog.RecordAsync(db, _time.GetUtcNow(), AuditActions.MemberRemove, userId, workspaceId, $"Removed {email} from workspace {workspaceId}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Whether a workspace exists, and a user's role in it.</summary>
    /// <param name="workspaceId">The workspace's id.</param>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The access, or <see langword="null"/> if there is no workspace with that id.</returns>
    public Task<WorkspaceAccess?> WorkspaceAccessAsync(long workspaceId, long userId, CancellationToken cancellationToken = default) =>
        AccessAsync(
            """
            SELECT w.id, m.role FROM workspace w
            LEFT JOIN workspace_member m ON m.workspace_id = w.id AND m.user_id = @user
            WHERE w.id = @id
            """,
            workspaceId,
            userId,
            cancellationToken);

    /// <summary>The workspace of a scenario that is not deleted, and a user's role there: the check before any access to the scenario.</summary>
    /// <param name="scenarioId">The scenario's id.</param>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The access, or <see langword="null"/> if there is no scenario with that id or it is deleted.</returns>
    public Task<WorkspaceAccess?> ScenarioAccessAsync(long scenarioId, long userId, CancellationToken cancellationToken = default) =>
        AccessAsync(
            """
            SELECT s.workspace_id, m.role FROM scenario s
            LEFT JOIN workspace_member m ON m.workspace_id = s.workspace_id AND m.user_id = @user
            WHERE s.id = @id AND s.deleted_at IS NULL
            """,
            scenarioId,
            userId,
            cancellationToken);

    /// <summary>The workspace of a simulation run (that of its scenario, which must not be deleted), and a user's role there.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The access, or <see langword="null"/> if there is no run with that id or its scenario is deleted.</returns>
    public Task<WorkspaceAccess?> RunAccessAsync(long runId, long userId, CancellationToken cancellationToken = default) =>
        AccessAsync(
            """
            SELECT s.workspace_id, m.role FROM simulation_run r
            JOIN scenario s ON s.id = r.scenario_id
            LEFT JOIN workspace_member m ON m.workspace_id = s.workspace_id AND m.user_id = @user
            WHERE r.id = @id AND s.deleted_at IS NULL
            """,
            runId,
            userId,
            cancellationToken);

    internal static string RoleName(WorkspaceRole role) => role switch
    {
        WorkspaceRole.Viewer => "viewer",
        WorkspaceRole.Analyst => "analyst",
        WorkspaceRole.Owner => "owner",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "role must be viewer, analyst or owner."),
    };

    internal static WorkspaceRole ParseRole(string name) => name switch
    {
        "viewer" => WorkspaceRole.Viewer,
        "analyst" => WorkspaceRole.Analyst,
        "owner" => WorkspaceRole.Owner,
        _ => ThrowHelper.ThrowInvalidData<WorkspaceRole>($"The stored workspace role \"{name}\" is not viewer, analyst or owner."),
    };

    private static string CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
        {
            ThrowHelper.ThrowArgument(nameof(name), $"The workspace name must have 1..{MaxNameLength} characters, not only spaces, and no control characters.");
        }

        return trimmed;
    }

    private static bool IsDuplicateName(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067,
        _ => false,
    };

    private static Workspace ToWorkspace(WorkspaceRow row) => new(row.Id, row.Name, row.CreatedAt.ToUniversalTime());

    // The access checks run before every request on a scenario, run or workspace, so they are plain SQL
    // (see CalMinerDb.QueryFirstAsync) selecting the workspace's id and the user's role there, if any.
    private async Task<WorkspaceAccess?> AccessAsync(string sql, long id, long userId, CancellationToken cancellationToken)
    {
        await using var db = _database.Open();
        return await db.QueryFirstAsync(
            sql,
            reader => new WorkspaceAccess(reader.GetInt64(0), reader.IsDBNull(1) ? null : ParseRole(reader.GetString(1))),
            cancellationToken,
            ("id", id),
            ("user", userId)).ConfigureAwait(false);
    }
}
