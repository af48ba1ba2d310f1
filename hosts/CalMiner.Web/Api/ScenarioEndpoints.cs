using System.Buffers;
using System.Text;
using System.Text.Json;
using CalMiner.Data;
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
        var scenarios = api.MapGroup("/scenarios").WithTags("Scenarios");
        scenarios.MapGet("/", ListAsync);
        scenarios.MapGet("/{id:long}", GetAsync).WithName("GetScenario");
        scenarios.MapGet("/{id:long}/document", GetDocumentAsync);
        scenarios.MapPost("/", CreateAsync).RequireAuthorization(Policies.Edit);
        scenarios.MapPut("/{id:long}", ReplaceAsync).RequireAuthorization(Policies.Edit);
        scenarios.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Edit);
        return api;
    }

    private static async Task<IResult> ListAsync(
        ScenarioRepository scenarios, IOptions<WebOptions> options, string? search, string? sort, int? offset, int? limit, CancellationToken cancellationToken)
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

        var page = await scenarios.ListAsync(search, offset ?? 0, limit ?? Math.Min(50, maxPageSize), order, cancellationToken).ConfigureAwait(false);
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
        var document = await ScenarioBodies.ReadAsync(context.Request).ConfigureAwait(false);
        var stored = await scenarios.CreateAsync(document, context.User.Email(), cancellationToken).ConfigureAwait(false);
        SaveWarnings.SetSaved(context.Response, stored);
        var body = await ResourceAsync(cache, stored.Id, stored.Version, cancellationToken).ConfigureAwait(false);
        context.Response.Headers.Location = $"/api/scenarios/{stored.Id}";
        return new JsonBytes(body, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReplaceAsync(long id, HttpContext context, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        if (await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (ETags.IfMatch(context.Request) is not { } expected)
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
        // If-Match is optional here: a delete loses no one's edit, but a careful client may still guard it.
        var expected = ETags.IfMatch(context.Request);
        return await scenarios.DeleteAsync(id, expected, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Scenario {id}");
    }

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
