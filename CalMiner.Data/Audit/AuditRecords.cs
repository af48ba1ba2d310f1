namespace CalMiner.Data;

/// <summary>One write as the audit log recorded it.</summary>
/// <param name="Id">The record's id; ids grow with time.</param>
/// <param name="At">When the write was made (UTC).</param>
/// <param name="UserId">The acting user's id, or <see langword="null"/> for the system or the command line.</param>
/// <param name="Actor">Who acted, e.g. an email address, <c>system</c> or <c>cli:alice</c>.</param>
/// <param name="Action">What was done, one of <see cref="AuditActions"/>, e.g. <c>scenario.delete</c>.</param>
/// <param name="TargetId">The id of what it was done to (a scenario, run, entry, workspace, user or key), when it has one.</param>
/// <param name="WorkspaceId">The workspace it happened in; <see langword="null"/> for users and API keys.</param>
/// <param name="Summary">A short description, e.g. <c>Deleted 'Gold open pit' at version 3</c>.</param>
/// <param name="RemoteAddress">The client's network address, if known.</param>
/// <param name="UserAgent">The client's User-Agent, if known.</param>
public sealed record AuditEntry(
    long Id, DateTimeOffset At, long? UserId, string Actor, string Action, long? TargetId, long? WorkspaceId, string Summary, string? RemoteAddress, string? UserAgent);

/// <summary>Which audit records to list; every filter given must hold.</summary>
/// <param name="WorkspaceId">Only records of this workspace; <see langword="null"/> for all.</param>
/// <param name="Since">Only records made at or after this time.</param>
/// <param name="UserId">Only records of this user's writes.</param>
/// <param name="Action">Only records of this action, e.g. <c>scenario.delete</c>, or of every action on a target when it ends with a dot, e.g. <c>scenario.</c>.</param>
public sealed record AuditFilter(long? WorkspaceId = null, DateTimeOffset? Since = null, long? UserId = null, string? Action = null);

/// <summary>The actions the audit log records: what was done to what, <c>target.verb</c>.</summary>
public static class AuditActions
{
    /// <summary>A scenario was created.</summary>
    public const string ScenarioCreate = "scenario.create";

    /// <summary>A scenario was created from an imported document file.</summary>
    public const string ScenarioImport = "scenario.import";

    /// <summary>A scenario was copied into a new one (the target is the copy).</summary>
    public const string ScenarioClone = "scenario.clone";

    /// <summary>A new version of a scenario was saved (the whole document or one section).</summary>
    public const string ScenarioUpdate = "scenario.update";

    /// <summary>An earlier version of a scenario was saved again as its latest.</summary>
    public const string ScenarioRestoreVersion = "scenario.restore-version";

    /// <summary>A scenario was deleted (it can be restored until it is purged).</summary>
    public const string ScenarioDelete = "scenario.delete";

    /// <summary>A deleted scenario was restored.</summary>
    public const string ScenarioRestore = "scenario.restore";

    /// <summary>A deleted scenario was removed for good after the retention period.</summary>
    public const string ScenarioPurge = "scenario.purge";

    /// <summary>A maintenance-log entry was added.</summary>
    public const string MaintenanceAdd = "maintenance.add";

    /// <summary>A maintenance-log entry was replaced.</summary>
    public const string MaintenanceUpdate = "maintenance.update";

    /// <summary>A maintenance-log entry was deleted.</summary>
    public const string MaintenanceDelete = "maintenance.delete";

    /// <summary>A simulation run was submitted.</summary>
    public const string RunSubmit = "run.submit";

    /// <summary>A simulation run was cancelled.</summary>
    public const string RunCancel = "run.cancel";

    /// <summary>A workspace was created.</summary>
    public const string WorkspaceCreate = "workspace.create";

    /// <summary>A workspace was renamed.</summary>
    public const string WorkspaceRename = "workspace.rename";

    /// <summary>A user was added to a workspace or given another role there (the target is the user).</summary>
    public const string MemberSet = "member.set";

    /// <summary>A user was removed from a workspace (the target is the user).</summary>
    public const string MemberRemove = "member.remove";

    /// <summary>A user account was created.</summary>
    public const string UserCreate = "user.create";

    /// <summary>A user was given another role.</summary>
    public const string UserSetRole = "user.set-role";

    /// <summary>A user's password was set or removed.</summary>
    public const string UserSetPassword = "user.set-password";

    /// <summary>A user account was deleted.</summary>
    public const string UserDelete = "user.delete";

    /// <summary>An API key was created (the target is the key).</summary>
    public const string ApiKeyCreate = "apikey.create";

    /// <summary>An API key was revoked (the target is the key).</summary>
    public const string ApiKeyRevoke = "apikey.revoke";
}
