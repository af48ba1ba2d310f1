using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Api;

/// <summary>
/// <c>/api/workspaces</c>: the teams scenarios belong to. Members see their workspaces; admins see
/// and manage all of them (create, rename, members and their roles). Owners (and admins) read a
/// workspace's audit log, list its deleted scenarios and restore them. <c>/api/audit</c> is the whole
/// audit log, for admins.
/// </summary>
internal static class WorkspaceEndpoints
{
    /// <summary>The body that names a workspace.</summary>
    /// <param name="Name">1..100 characters, unique among workspaces.</param>
    public sealed record WorkspaceRequest(string Name);

    /// <summary>The body that gives a member a role.</summary>
    /// <param name="Role">viewer, analyst or owner.</param>
    public sealed record MemberRequest(WorkspaceRole Role);

    /// <summary>A workspace as a user sees it.</summary>
    /// <param name="Id">Its id.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="CreatedAt">When it was created.</param>
    /// <param name="Role">The caller's role there; <c>owner</c> for an admin who is not a member.</param>
    public sealed record WorkspaceView(long Id, string Name, DateTimeOffset CreatedAt, WorkspaceRole Role);

    /// <summary>A deleted scenario, restorable until <paramref name="PurgeAfter"/>.</summary>
    /// <param name="Id">The scenario's id.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Version">Its latest version, which a restore brings back.</param>
    /// <param name="DeletedAt">When it was deleted.</param>
    /// <param name="DeletedBy">Who deleted it.</param>
    /// <param name="PurgeAfter">From when it may be removed for good (deleted + CalMiner:DeletedRetentionDays).</param>
    public sealed record DeletedScenarioView(long Id, string Name, int Version, DateTimeOffset DeletedAt, string DeletedBy, DateTimeOffset PurgeAfter);

    public static RouteGroupBuilder MapWorkspaceEndpoints(this RouteGroupBuilder api)
    {
        var workspaces = api.MapGroup("/workspaces").WithTags("Workspaces").RequireWorkspaceAccess();
        workspaces.MapGet("/", ListAsync)
            .WithName("ListWorkspaces")
            .WithSummary("List your workspaces")
            .WithDescription("The workspaces you are a member of, with your role in each; every workspace for an admin.")
            .Produces<IReadOnlyList<WorkspaceView>>();
        workspaces.MapPost("/", CreateAsync).RequireAuthorization(Policies.Administer)
            .WithName("CreateWorkspace")
            .WithSummary("Create a workspace")
            .WithDescription("Admins only. The new workspace has no members; add them with PUT /api/workspaces/{workspaceId}/members/{userId}. 409 when the name is taken.")
            .Produces<WorkspaceView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(json => JsonSerializer.SerializeToNode(new WorkspaceRequest("Copper study"), json));
        workspaces.MapGet("/{workspaceId:long}", GetAsync)
            .WithName("GetWorkspace")
            .WithSummary("Read a workspace")
            .Produces<WorkspaceView>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        workspaces.MapPut("/{workspaceId:long}", RenameAsync).RequireAuthorization(Policies.Administer)
            .WithName("RenameWorkspace")
            .WithSummary("Rename a workspace")
            .WithDescription("Admins only. 409 when the name is taken.")
            .Produces<WorkspaceView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(json => JsonSerializer.SerializeToNode(new WorkspaceRequest("Copper study 2027"), json));
        workspaces.MapGet("/{workspaceId:long}/members", ListMembersAsync).RequireWorkspaceRole(WorkspaceRole.Owner)
            .WithName("ListWorkspaceMembers")
            .WithSummary("List a workspace's members")
            .WithDescription("Owners and admins. Every member with their role, by email.")
            .Produces<IReadOnlyList<WorkspaceMember>>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        workspaces.MapPut("/{workspaceId:long}/members/{userId:long}", SetMemberAsync).RequireAuthorization(Policies.Administer)
            .WithName("SetWorkspaceMember")
            .WithSummary("Add a member or change their role")
            .WithDescription("Admins only. Makes the user a member with the role given, or gives a member that role.")
            .Produces<WorkspaceMember>()
            .ProducesProblems(StatusCodes.Status404NotFound)
            .WithRequestExample(json => JsonSerializer.SerializeToNode(new MemberRequest(WorkspaceRole.Analyst), json));
        workspaces.MapDelete("/{workspaceId:long}/members/{userId:long}", RemoveMemberAsync).RequireAuthorization(Policies.Administer)
            .WithName("RemoveWorkspaceMember")
            .WithSummary("Remove a member")
            .WithDescription("Admins only. The user no longer sees the workspace's scenarios and runs.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound);
        workspaces.MapGet("/{workspaceId:long}/deleted-scenarios", ListDeletedAsync).RequireWorkspaceRole(WorkspaceRole.Owner)
            .WithName("ListDeletedScenarios")
            .WithSummary("List a workspace's deleted scenarios")
            .WithDescription("Owners and admins. Deleted scenarios not yet purged, the most recently deleted first; each may be restored until it is purged, some time after `purgeAfter`.")
            .Produces<IReadOnlyList<DeletedScenarioView>>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        workspaces.MapPost("/{workspaceId:long}/deleted-scenarios/{id:long}/restore", RestoreAsync)
            .RequireAuthorization(Policies.Edit).RequireWorkspaceRole(WorkspaceRole.Owner)
            .WithName("RestoreDeletedScenario")
            .WithSummary("Restore a deleted scenario")
            .WithDescription("Owners and admins. The scenario comes back as it was deleted, with its history, maintenance logs and runs.")
            .Produces<ScenarioEndpoints.ScenarioResource>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        workspaces.MapGet("/{workspaceId:long}/audit", ListWorkspaceAuditAsync).RequireWorkspaceRole(WorkspaceRole.Owner)
            .WithName("ListWorkspaceAudit")
            .WithSummary("Read a workspace's audit log")
            .WithDescription("Owners and admins. Every write to the workspace's scenarios, logs and runs and to its membership, newest first, filtered by `since` (a time), `user` (an id) and `action` (e.g. `scenario.delete`, or `scenario.` for every scenario action).")
            .Produces<Page<AuditEntry>>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        api.MapGet("/audit", ListAuditAsync).WithTags("Workspaces").RequireAuthorization(Policies.Administer)
            .WithName("ListAudit")
            .WithSummary("Read the audit log")
            .WithDescription("Admins only. Every write, newest first, including user and API-key changes, filtered by `workspace` (an id), `since`, `user` and `action` as for a workspace's log.")
            .Produces<Page<AuditEntry>>()
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, WorkspaceRepository workspaces, CancellationToken cancellationToken)
    {
        if (WorkspaceGuard.IsAdmin(context.User))
        {
            var all = await workspaces.ListAsync(cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(all.Select(w => View(w, WorkspaceRole.Owner)).ToList());
        }

        var memberships = await workspaces.ListMembershipsAsync(context.User.UserId(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(memberships.Select(m => View(m.Workspace, m.Role)).ToList());
    }

    private static async Task<IResult> CreateAsync(WorkspaceRequest request, WorkspaceRepository workspaces, CancellationToken cancellationToken)
    {
        try
        {
            var workspace = await workspaces.CreateAsync(request.Name, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/workspaces/{workspace.Id}", View(workspace, WorkspaceRole.Owner));
        }
        catch (ArgumentException e) when (e.ParamName == "name")
        {
            return ApiProblems.Invalid("name", e.Message, StatusCodes.Status422UnprocessableEntity);
        }
        catch (DuplicateWorkspaceNameException e)
        {
            return ApiProblems.Conflict(e.Message);
        }
    }

    private static async Task<IResult> GetAsync(long workspaceId, HttpContext context, WorkspaceRepository workspaces, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        if (workspace is null)
        {
            return ApiProblems.NotFound($"Workspace {workspaceId}");
        }

        var access = await workspaces.WorkspaceAccessAsync(workspaceId, context.User.UserId(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(View(workspace, access?.Role ?? WorkspaceRole.Owner));
    }

    private static async Task<IResult> RenameAsync(long workspaceId, WorkspaceRequest request, WorkspaceRepository workspaces, CancellationToken cancellationToken)
    {
        try
        {
            var workspace = await workspaces.RenameAsync(workspaceId, request.Name, cancellationToken).ConfigureAwait(false);
            return workspace is null ? ApiProblems.NotFound($"Workspace {workspaceId}") : TypedResults.Ok(View(workspace, WorkspaceRole.Owner));
        }
        catch (ArgumentException e) when (e.ParamName == "name")
        {
            return ApiProblems.Invalid("name", e.Message, StatusCodes.Status422UnprocessableEntity);
        }
        catch (DuplicateWorkspaceNameException e)
        {
            return ApiProblems.Conflict(e.Message);
        }
    }

    private static async Task<IResult> ListMembersAsync(long workspaceId, WorkspaceRepository workspaces, CancellationToken cancellationToken) =>
        TypedResults.Ok(await workspaces.ListMembersAsync(workspaceId, cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> SetMemberAsync(long workspaceId, long userId, MemberRequest request, WorkspaceRepository workspaces, UserRepository users, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(request.Role))
        {
            return ApiProblems.Invalid("role", "role must be viewer, analyst or owner.");
        }

        if (!await workspaces.SetMemberAsync(workspaceId, userId, request.Role, cancellationToken).ConfigureAwait(false)
            || await users.GetAsync(userId, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return ApiProblems.NotFound($"User {userId}");
        }

        return TypedResults.Ok(new WorkspaceMember(userId, user.Email, request.Role));
    }

    private static async Task<IResult> RemoveMemberAsync(long workspaceId, long userId, WorkspaceRepository workspaces, CancellationToken cancellationToken) =>
        await workspaces.RemoveMemberAsync(workspaceId, userId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Member {userId} of workspace {workspaceId}");

    private static async Task<IResult> ListDeletedAsync(long workspaceId, ScenarioRepository scenarios, IOptions<WebOptions> options, CancellationToken cancellationToken)
    {
        var retention = TimeSpan.FromDays(options.Value.DeletedRetentionDays);
        var deleted = await scenarios.ListDeletedAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(deleted.Select(d => new DeletedScenarioView(d.Id, d.Name, d.Version, d.DeletedAt, d.DeletedBy, d.DeletedAt + retention)).ToList());
    }

    private static async Task<IResult> RestoreAsync(long workspaceId, long id, HttpContext context, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        if (await scenarios.RestoreDeletedAsync(workspaceId, id, cancellationToken).ConfigureAwait(false) is not { } version)
        {
            return ApiProblems.NotFound($"Deleted scenario {id} of workspace {workspaceId}");
        }

        ETags.Set(context.Response, version);
        return new JsonBytes(await ScenarioEndpoints.ResourceAsync(cache, id, version, cancellationToken).ConfigureAwait(false));
    }

    private static Task<IResult> ListWorkspaceAuditAsync(
        long workspaceId, DateTimeOffset? since, long? user, string? action, int? offset, int? limit, AuditRepository audit, IOptions<WebOptions> options, CancellationToken cancellationToken) =>
        PageAsync(audit, options, new AuditFilter(workspaceId, since, user, action), offset, limit, cancellationToken);

    private static Task<IResult> ListAuditAsync(
        long? workspace, DateTimeOffset? since, long? user, string? action, int? offset, int? limit, AuditRepository audit, IOptions<WebOptions> options, CancellationToken cancellationToken) =>
        PageAsync(audit, options, new AuditFilter(workspace, since, user, action), offset, limit, cancellationToken);

    private static async Task<IResult> PageAsync(AuditRepository audit, IOptions<WebOptions> options, AuditFilter filter, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var maxPageSize = options.Value.MaxPageSize;
        if (offset is < 0)
        {
            return ApiProblems.Invalid("offset", "offset must be 0 or more.");
        }

        if (limit is < 1 || limit > maxPageSize)
        {
            return ApiProblems.Invalid("limit", $"limit must be between 1 and {maxPageSize}.");
        }

        if (filter.Action is { } action && (action.Length is 0 or > 50 || action.Any(c => c is not (>= 'a' and <= 'z') and not '.' and not '-')))
        {
            return ApiProblems.Invalid("action", "action must be an action such as scenario.delete, or a prefix such as scenario.");
        }

        var page = await audit.ListAsync(filter, offset ?? 0, limit ?? Math.Min(50, maxPageSize), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(page);
    }

    private static WorkspaceView View(Workspace workspace, WorkspaceRole role) => new(workspace.Id, workspace.Name, workspace.CreatedAt, role);
}
