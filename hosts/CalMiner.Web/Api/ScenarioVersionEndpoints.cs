using CalMiner.Data;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;

namespace CalMiner.Web.Api;

/// <summary>
/// <c>/api/scenarios/{id}/versions</c>: a scenario's history. Every saved version can be listed
/// (who, when, which fields changed), read, compared with another, and restored as a new version.
/// </summary>
internal static class ScenarioVersionEndpoints
{
    /// <summary>A field that differs between two versions, with its JSON before and after (null where it was absent).</summary>
    public sealed record Comparison(long ScenarioId, int From, int To, IReadOnlyList<ScenarioChange> Changes);

    public static RouteGroupBuilder MapScenarioVersionEndpoints(this RouteGroupBuilder api)
    {
        var versions = api.MapGroup("/scenarios/{id:long}/versions").WithTags("Scenario history").RequireScenarioAccess();
        versions.MapGet("/", ListAsync)
            .WithName("ListScenarioVersions")
            .WithSummary("List a scenario's versions")
            .WithDescription("Every saved version, newest first: who saved it, when, and which fields changed from the version before.")
            .Produces<IReadOnlyList<ScenarioVersionInfo>>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        versions.MapGet("/compare", CompareAsync)
            .WithName("CompareScenarioVersions")
            .WithSummary("Compare two versions")
            .WithDescription("The fields that differ between versions `from` and `to`, with their JSON before and after (null where absent).")
            .Produces<Comparison>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        versions.MapGet("/{version:int}", GetAsync)
            .WithName("GetScenarioVersion")
            .WithSummary("Read one version")
            .Produces<ScenarioEndpoints.ScenarioResource>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        versions.MapPost("/{version:int}/restore", RestoreAsync).RequireAuthorization(Policies.Edit)
            .WithName("RestoreScenarioVersion")
            .WithSummary("Restore a version")
            .WithDescription("Saves the content of that version as a new version, under If-Match: 412 when stale, 428 without it.")
            .WithIfMatch(required: true)
            .Produces<ScenarioEndpoints.ScenarioResource>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<IResult> ListAsync(long id, ScenarioHistoryRepository history, CancellationToken cancellationToken)
    {
        var list = await history.ListAsync(id, cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? ApiProblems.NotFound($"Scenario {id}") : TypedResults.Ok(list);
    }

    private static async Task<IResult> GetAsync(long id, int version, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        // Checked first because the cached JSON would remember an absence, and the version may be saved later.
        if (await cache.GetScenarioVersionAsync(id, version, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new JsonBytes(await ScenarioEndpoints.ResourceAsync(cache, id, version, cancellationToken).ConfigureAwait(false));
        }

        return await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false) is null
            ? ApiProblems.NotFound($"Scenario {id}")
            : ApiProblems.NotFound($"Version {version} of scenario {id}");
    }

    private static async Task<IResult> CompareAsync(
        long id, string? from, string? to, ScenarioRepository scenarios, ScenarioHistoryRepository history, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fromVersion = VersionParameter("from", from, errors);
        var toVersion = VersionParameter("to", to, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var changes = await history.CompareAsync(id, fromVersion, toVersion, cancellationToken).ConfigureAwait(false);
        if (changes is not null)
        {
            return TypedResults.Ok(new Comparison(id, fromVersion, toVersion, changes));
        }

        var latest = await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false);
        return latest is null
            ? ApiProblems.NotFound($"Scenario {id}")
            : ApiProblems.NotFound($"Version {(fromVersion > latest ? fromVersion : toVersion)} of scenario {id}");
    }

    private static async Task<IResult> RestoreAsync(
        long id, int version, HttpContext context, ScenarioRepository scenarios, ScenarioHistoryRepository history, CalMinerCache cache, CancellationToken cancellationToken)
    {
        if (await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (ETags.IfMatch(context.Request, current) is not { } expected)
        {
            return ApiProblems.PreconditionRequired();
        }

        var stored = await history.RestoreAsync(id, version, expected, context.User.Email(), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return ApiProblems.NotFound($"Version {version} of scenario {id}");
        }

        SaveWarnings.SetSaved(context.Response, stored);
        return new JsonBytes(await ScenarioEndpoints.ResourceAsync(cache, id, stored.Version, cancellationToken).ConfigureAwait(false));
    }

    private static int VersionParameter(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version >= 1)
        {
            return version;
        }

        errors[name] = [$"{name} must be a version number, 1 or more."];
        return 0;
    }
}
