namespace CalMiner.Data;

/// <summary>What a member may do in a workspace. Stored as <c>viewer</c>, <c>analyst</c> or <c>owner</c>; each role may do what the ones before it may.</summary>
public enum WorkspaceRole
{
    /// <summary>Reads the workspace's scenarios, evaluations and runs.</summary>
    Viewer = 0,

    /// <summary>Also creates, edits, deletes and simulates scenarios and cancels runs.</summary>
    Analyst = 1,

    /// <summary>Also reads the workspace's audit log, lists deleted scenarios and restores them.</summary>
    Owner = 2,
}

/// <summary>A workspace: a team's scenarios, with their history, maintenance logs and runs.</summary>
/// <param name="Id">The workspace's id; <see cref="WorkspaceRepository.DefaultId"/> is the one every database starts with.</param>
/// <param name="Name">Its name, unique, 1..100 characters without leading or trailing spaces.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record Workspace(long Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A workspace a user belongs to, with the user's role there.</summary>
/// <param name="Workspace">The workspace.</param>
/// <param name="Role">The user's role in it.</param>
public sealed record WorkspaceMembership(Workspace Workspace, WorkspaceRole Role);

/// <summary>A member of a workspace.</summary>
/// <param name="UserId">The user's id.</param>
/// <param name="Email">The user's email address.</param>
/// <param name="Role">The user's role in the workspace.</param>
public sealed record WorkspaceMember(long UserId, string Email, WorkspaceRole Role);

/// <summary>Where a scenario or run belongs and what a given user may do there.</summary>
/// <param name="WorkspaceId">The workspace of the scenario or run.</param>
/// <param name="Role">The user's role in that workspace, or <see langword="null"/> if the user is not a member.</param>
public sealed record WorkspaceAccess(long WorkspaceId, WorkspaceRole? Role);

/// <summary>A deleted scenario, restorable until it is purged.</summary>
/// <param name="Id">The scenario's id.</param>
/// <param name="WorkspaceId">Its workspace.</param>
/// <param name="Name">Its name at its latest version.</param>
/// <param name="Version">Its latest version.</param>
/// <param name="DeletedAt">When it was deleted (UTC).</param>
/// <param name="DeletedBy">Who deleted it.</param>
public sealed record DeletedScenario(long Id, long WorkspaceId, string Name, int Version, DateTimeOffset DeletedAt, string DeletedBy);

/// <summary>Thrown when a workspace would get the name of another one. Nothing was written.</summary>
public sealed class DuplicateWorkspaceNameException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The name already taken.</param>
    public DuplicateWorkspaceNameException(string name)
        : base($"A workspace named '{name}' already exists.") => Name = name;

    /// <summary>The name already taken.</summary>
    public string Name { get; }
}
