using System.Globalization;
using System.Security.Claims;
using CalMiner.Data;
using CalMiner.Web.Problems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace CalMiner.Web.Security;

/// <summary>
/// The one access check of workspaces. A user sees a scenario, its history, logs and runs only in a
/// workspace they are a member of; anywhere else the answer is 404, as for an id that does not
/// exist, so ids reveal nothing. A member whose role there is too low gets 403. Admins may do
/// everything everywhere. What an endpoint needs is read off it: analyst for endpoints that require
/// <see cref="Policies.Edit"/>, viewer for the others, or what it names with <see cref="RequireWorkspaceRole"/>.
/// </summary>
internal static class WorkspaceGuard
{
    /// <summary>The query parameter that names the workspace of a new scenario.</summary>
    public const string WorkspaceParameter = "workspace";

    /// <summary>Checks the scenario of the route's <c>{id}</c> before the endpoint runs; endpoints without one pass.</summary>
    public static TBuilder RequireScenarioAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            RouteId(context.HttpContext, "id") is { } id
            && await ScenarioAsync(context.HttpContext, id, NeededRole(context.HttpContext)).ConfigureAwait(false) is { } denied
                ? denied
                : await next(context).ConfigureAwait(false));

    /// <summary>Checks the simulation run of the route's <c>{id}</c> before the endpoint runs; endpoints without one pass.</summary>
    public static TBuilder RequireRunAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            RouteId(context.HttpContext, "id") is { } id
            && await RunAsync(context.HttpContext, id, NeededRole(context.HttpContext)).ConfigureAwait(false) is { } denied
                ? denied
                : await next(context).ConfigureAwait(false));

    /// <summary>Checks the workspace of the route's <c>{workspaceId}</c> before the endpoint runs.</summary>
    public static TBuilder RequireWorkspaceAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            RouteId(context.HttpContext, "workspaceId") is { } id
            && await WorkspaceAsync(context.HttpContext, id, NeededRole(context.HttpContext)).ConfigureAwait(false) is { } denied
                ? denied
                : await next(context).ConfigureAwait(false));

    /// <summary>Documents the query parameter <c>workspace</c> of an endpoint that creates a scenario.</summary>
    public static RouteHandlerBuilder WithWorkspaceQuery(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = WorkspaceParameter,
                In = ParameterLocation.Query,
                Description = "The id of the workspace the new scenario belongs to; default your only workspace.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            });
            return Task.CompletedTask;
        });

    /// <summary>Declares the workspace role an endpoint needs, where it is more than its policy implies (e.g. owner).</summary>
    public static RouteHandlerBuilder RequireWorkspaceRole(this RouteHandlerBuilder builder, WorkspaceRole role) =>
        builder.WithMetadata(new NeedsWorkspaceRole(role));

    /// <summary>Null when the user may act on the scenario with <paramref name="needed"/>; else the 404 or 403 to answer.</summary>
    public static async Task<IResult?> ScenarioAsync(HttpContext context, long scenarioId, WorkspaceRole needed)
    {
        var access = await Workspaces(context).ScenarioAccessAsync(scenarioId, context.User.UserId(), context.RequestAborted).ConfigureAwait(false);
        return Decide(context.User, access, needed, $"Scenario {scenarioId}");
    }

    /// <summary>Null when the user may act on the run with <paramref name="needed"/>; else the 404 or 403 to answer.</summary>
    public static async Task<IResult?> RunAsync(HttpContext context, long runId, WorkspaceRole needed)
    {
        var access = await Workspaces(context).RunAccessAsync(runId, context.User.UserId(), context.RequestAborted).ConfigureAwait(false);
        return Decide(context.User, access, needed, $"Simulation run {runId}");
    }

    /// <summary>Null when the user may act in the workspace with <paramref name="needed"/>; else the 404 or 403 to answer.</summary>
    public static async Task<IResult?> WorkspaceAsync(HttpContext context, long workspaceId, WorkspaceRole needed)
    {
        var access = await Workspaces(context).WorkspaceAccessAsync(workspaceId, context.User.UserId(), context.RequestAborted).ConfigureAwait(false);
        return Decide(context.User, access, needed, $"Workspace {workspaceId}");
    }

    /// <summary>The workspaces whose scenarios the user may list; <see langword="null"/> for an admin, who sees all.</summary>
    public static async Task<IReadOnlyCollection<long>?> VisibleWorkspacesAsync(HttpContext context)
    {
        if (IsAdmin(context.User))
        {
            return null;
        }

        var memberships = await Workspaces(context).ListMembershipsAsync(context.User.UserId(), context.RequestAborted).ConfigureAwait(false);
        return [.. memberships.Select(m => m.Workspace.Id)];
    }

    /// <summary>
    /// The workspace a new scenario goes to: the query's <c>workspace</c> (an id), or else the only workspace the
    /// user is a member of (admins too: they may write anywhere, but name where unless they are in one workspace).
    /// A problem naming <c>workspace</c> when it cannot be told, 404 when the user cannot see it, 403 when they may not write there.
    /// </summary>
    public static async Task<(long WorkspaceId, IResult? Problem)> NewScenarioWorkspaceAsync(HttpContext context)
    {
        var query = context.Request.Query[WorkspaceParameter];
        if (query.Count > 0)
        {
            if (query.Count != 1 || !long.TryParse(query[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return (0, ApiProblems.Invalid(WorkspaceParameter, "workspace must be the id of one workspace, e.g. ?workspace=2.", StatusCodes.Status422UnprocessableEntity));
            }

            return (id, await WorkspaceAsync(context, id, WorkspaceRole.Analyst).ConfigureAwait(false));
        }

        var memberships = await Workspaces(context).ListMembershipsAsync(context.User.UserId(), context.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<long> candidates = [.. memberships.Select(m => m.Workspace.Id)];
        if (candidates.Count != 1)
        {
            return (0, ApiProblems.Invalid(
                WorkspaceParameter,
                candidates.Count == 0
                    ? "You are a member of no workspace, so name the one for the scenario with ?workspace=<id> (GET /api/workspaces lists those you may see)."
                    : $"You are in {candidates.Count} workspaces: name the one for the scenario with ?workspace=<id> (GET /api/workspaces lists them).",
                StatusCodes.Status422UnprocessableEntity));
        }

        return (candidates[0], await WorkspaceAsync(context, candidates[0], WorkspaceRole.Analyst).ConfigureAwait(false));
    }

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    private static IResult? Decide(ClaimsPrincipal user, WorkspaceAccess? access, WorkspaceRole needed, string what)
    {
        if (access is null || (access.Role is null && !IsAdmin(user)))
        {
            return ApiProblems.NotFound(what);
        }

        return IsAdmin(user) || access.Role >= needed
            ? null
            : TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden.",
                detail: $"This needs the role {Name(needed)} in workspace {access.WorkspaceId}; yours there is {Name(access.Role!.Value)}.");
    }

    private static WorkspaceRole NeededRole(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<NeedsWorkspaceRole>() is { } declared)
        {
            return declared.Role;
        }

        return metadata?.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.Edit) == true ? WorkspaceRole.Analyst : WorkspaceRole.Viewer;
    }

    private static long? RouteId(HttpContext context, string name) =>
        context.Request.RouteValues.TryGetValue(name, out var value)
        && long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    private static string Name(WorkspaceRole role) => role.ToString().ToLowerInvariant();

    private static WorkspaceRepository Workspaces(HttpContext context) => context.RequestServices.GetRequiredService<WorkspaceRepository>();

    private sealed record NeedsWorkspaceRole(WorkspaceRole Role);
}
