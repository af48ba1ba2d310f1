using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Api;

/// <summary>
/// <c>/api/scenarios</c>: list, read, create, replace and delete scenarios, and download the pure
/// scenario document. Reads carry an <c>ETag</c> (the version); replacing and deleting take it
/// back in <c>If-Match</c>.
/// </summary>
internal static class ScenarioEndpoints
{
    public static RouteGroupBuilder MapScenarioEndpoints(this RouteGroupBuilder api)
    {
        var scenarios = api.MapGroup("/scenarios").WithTags("Scenarios").RequireScenarioAccess();
        scenarios.MapGet("/", ListAsync)
            .WithName("ListScenarios")
            .WithSummary("List scenarios")
            .WithDescription("A page of the scenarios of your workspaces (without their documents), optionally of one `workspace`, filtered by a search in name and description and sorted by `name` (default) or `updatedAt`, a `-` prefix for descending order.")
            .Produces<Page<ScenarioListItem>>()
            .ProducesProblems(StatusCodes.Status400BadRequest);
        scenarios.MapGet("/{id:long}", GetAsync)
            .WithName("GetScenario")
            .WithSummary("Read a scenario")
            .WithDescription("The latest version with its document; the ETag is the version.")
            .WithIfNoneMatch()
            .Produces<ScenarioResource>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblems(StatusCodes.Status404NotFound);
        scenarios.MapGet("/{id:long}/document", GetDocumentAsync)
            .WithName("ExportScenarioDocument")
            .WithSummary("Download the scenario document")
            .WithDescription("The pure scenario document of the latest version, as a file (the form `calminer` and POST /api/scenarios/import read).")
            .Produces<ScenarioDocument>(StatusCodes.Status200OK, "application/json")
            .ProducesProblems(StatusCodes.Status404NotFound);
        scenarios.MapPost("/", CreateAsync).RequireAuthorization(Policies.Edit)
            .WithName("CreateScenario")
            .WithSummary("Create a scenario")
            .WithDescription("Saves the scenario document as version 1 in the workspace the query's `workspace` names (default your only workspace; 422 naming `workspace` when you have several). Malformed JSON or a wrong type is a 400, a document that breaks the rules of the format a 422; both list every problem under the JSON path of its field.")
            .WithWorkspaceQuery()
            .AcceptsJsonBody(typeof(ScenarioDocument))
            .Produces<ScenarioResource>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(_ => ScenarioExample());
        scenarios.MapPut("/{id:long}", ReplaceAsync).RequireAuthorization(Policies.Edit)
            .WithName("ReplaceScenario")
            .WithSummary("Save a new version of a scenario")
            .WithDescription("Replaces the document under If-Match: 412 when the version it names is no longer current, 428 without it.")
            .WithIfMatch(required: true)
            .AcceptsJsonBody(typeof(ScenarioDocument))
            .Produces<ScenarioResource>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status428PreconditionRequired)
            .WithRequestExample(_ => ScenarioExample());
        scenarios.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Edit)
            .WithName("DeleteScenario")
            .WithSummary("Delete a scenario")
            .WithDescription("Under If-Match (428 without it, 412 when the version it names is no longer current). The scenario, its history, maintenance logs and runs vanish from every read; a workspace owner can restore it until it is purged, CalMiner:DeletedRetentionDays later.")
            .WithIfMatch(required: true)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired);
        return api;
    }

    /// <summary>The gold sample scenario, an example of a whole document; none when the sample is not deployed.</summary>
    public static JsonNode? ScenarioExample()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "gold-open-pit.json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
    }

    private static async Task<IResult> ListAsync(
        HttpContext context, ScenarioRepository scenarios, IOptions<WebOptions> options, string? search, string? sort, int? offset, int? limit, long? workspace, CancellationToken cancellationToken)
    {
        if (SortOf(sort) is not { } order)
        {
            return ApiProblems.Invalid("sort", "sort must be name or updatedAt, with a '-' prefix for descending order, e.g. -updatedAt.");
        }

        var maxPageSize = options.Value.MaxPageSize;
        if (offset is < 0)
        {
            return ApiProblems.Invalid("offset", "offset must be 0 or more.");
        }

        if (limit is < 1 || limit > maxPageSize)
        {
            return ApiProblems.Invalid("limit", $"limit must be between 1 and {maxPageSize}.");
        }

        var workspaceIds = await WorkspaceGuard.VisibleWorkspacesAsync(context).ConfigureAwait(false);
        if (workspace is { } only)
        {
            if (await WorkspaceGuard.WorkspaceAsync(context, only, WorkspaceRole.Viewer).ConfigureAwait(false) is { } denied)
            {
                return denied;
            }

            workspaceIds = [only];
        }

        var page = await scenarios.ListAsync(search, offset ?? 0, limit ?? Math.Min(50, maxPageSize), order, workspaceIds, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(page);
    }

    private static ScenarioSort? SortOf(string? sort) => sort switch
    {
        null or "" or "name" => ScenarioSort.Name,
        "-name" => ScenarioSort.NameDescending,
        "updatedAt" => ScenarioSort.UpdatedAt,
        "-updatedAt" => ScenarioSort.UpdatedAtDescending,
        _ => null,
    };

    private static async Task<IResult> GetAsync(long id, HttpContext context, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var version = await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (ETags.NotModified(context, version.Value) is { } notModified)
        {
            return notModified;
        }

        var body = await ResourceAsync(cache, id, version.Value, cancellationToken).ConfigureAwait(false);
        return body.Length == 0 ? ApiProblems.NotFound($"Scenario {id}") : new JsonBytes(body);
    }

    private static async Task<IResult> GetDocumentAsync(long id, HttpContext context, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var stored = await cache.GetScenarioAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        ETags.Set(context.Response, stored.Version);
        var fileName = FileNames.Safe(stored.Document.Name, "scenario") + ".json";
        return TypedResults.File(Encoding.UTF8.GetBytes(stored.Document.ToJson()), "application/json", fileName);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var (workspaceId, problem) = await WorkspaceGuard.NewScenarioWorkspaceAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var document = await ScenarioBodies.ReadAsync(context.Request).ConfigureAwait(false);
        var stored = await scenarios.CreateAsync(document, context.User.Email(), workspaceId, cancellationToken).ConfigureAwait(false);
        SaveWarnings.SetSaved(context.Response, stored);
        var body = await ResourceAsync(cache, stored.Id, stored.Version, cancellationToken).ConfigureAwait(false);
        context.Response.Headers.Location = $"/api/scenarios/{stored.Id}";
        return new JsonBytes(body, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReplaceAsync(long id, HttpContext context, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        if (await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (ETags.IfMatch(context.Request, current) is not { } expected)
        {
            return ApiProblems.PreconditionRequired();
        }

        var document = await ScenarioBodies.ReadAsync(context.Request).ConfigureAwait(false);
        var stored = await scenarios.UpdateAsync(id, expected, document, context.User.Email(), cancellationToken).ConfigureAwait(false);
        SaveWarnings.SetSaved(context.Response, stored);
        return new JsonBytes(await ResourceAsync(cache, id, stored.Version, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> DeleteAsync(long id, HttpContext context, ScenarioRepository scenarios, CancellationToken cancellationToken)
    {
        if (await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (ETags.IfMatch(context.Request, current) is not { } expected)
        {
            return ApiProblems.PreconditionRequired();
        }

        return await scenarios.DeleteAsync(id, expected, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Scenario {id}");
    }

    /// <summary>A stored version of a scenario as the API shows it; written by <see cref="ResourceAsync"/>, declared for the OpenAPI document.</summary>
    /// <param name="Id">The scenario.</param>
    /// <param name="Version">The version, 1 for the first; the ETag.</param>
    /// <param name="SavedAt">When this version was saved.</param>
    /// <param name="SavedBy">Who saved it.</param>
    /// <param name="Warnings">What is legal but probably wrong in the document (<see cref="ScenarioDocument.Warnings"/>), empty when nothing is.</param>
    /// <param name="Document">The scenario document.</param>
    public sealed record ScenarioResource(long Id, int Version, DateTimeOffset SavedAt, string SavedBy, IReadOnlyList<ScenarioWarning> Warnings, ScenarioDocument Document);

    /// <summary>
    /// The JSON of <c>GET /api/scenarios/{id}</c> for one version, <c>{"id", "version", "savedAt",
    /// "savedBy", "warnings", "document"}</c>, cached as bytes: the version never changes, so neither
    /// does its JSON. Empty when that version does not exist.
    /// </summary>
    public static ValueTask<byte[]> ResourceAsync(CalMinerCache cache, long id, int version, CancellationToken cancellationToken) =>
        // The key names the shape: bytes of another shape, cached by another release, are never served.
        cache.GetOrCreateAsync("scenario-resource-with-warnings", id, version, async token =>
        {
            var stored = await cache.GetScenarioVersionAsync(id, version, token).ConfigureAwait(false);
            if (stored is null)
            {
                return [];
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", stored.Id);
                writer.WriteNumber("version", stored.Version);
                writer.WriteString("savedAt", stored.SavedAt);
                writer.WriteString("savedBy", stored.SavedBy);
                SaveWarnings.Write(writer, stored.Document);
                writer.WritePropertyName("document");
                writer.WriteRawValue(stored.Document.ToJson(), skipInputValidation: true);
                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }, cancellationToken);
}
