using System.Text;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;

namespace CalMiner.Web.Api;

/// <summary>
/// <c>/api/scenarios/{id}/{section}</c>: one section of a scenario (its products, its schedule,
/// its tax terms …) read and replaced on its own. A section is read and written with Core's
/// document contract, so it refuses what a whole document would refuse, and every error path
/// starts with the section's field (<c>products[0].price</c>). A replaced section is checked with
/// the rest of the document and saved as a new version under <c>If-Match</c>, as a full replace is.
/// </summary>
internal static class ScenarioSectionEndpoints
{
    /// <summary>The URL segment of each section and its field in the scenario document.</summary>
    public static readonly IReadOnlyList<(string Route, string Field)> Sections =
    [
        ("parameters", "parameters"),
        ("products", "products"),
        ("schedule", "schedule"),
        ("costs", "operatingCosts"),
        ("consumables", "consumables"),
        ("equipment", "equipment"),
        ("capital", "capital"),
        ("royalties", "royalties"),
        ("tax", "tax"),
        ("working-capital", "workingCapital"),
        ("correlations", "correlations"),
        ("factors", "factors"),
        ("simulation", "simulation"),
    ];

    public static RouteGroupBuilder MapScenarioSectionEndpoints(this RouteGroupBuilder api)
    {
        var scenarios = api.MapGroup("/scenarios").WithTags("Scenario sections").RequireScenarioAccess();
        foreach (var (route, field) in Sections)
        {
            var type = SectionType(field);
            var name = string.Concat(route.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
            scenarios.MapGet($"/{{id:long}}/{route}", (long id, HttpContext context, CalMinerCache cache, CancellationToken cancellationToken) =>
                GetAsync(id, route, field, context, cache, cancellationToken))
                .WithName($"GetScenario{name}")
                .WithSummary($"Read the {field} section")
                .WithDescription($"The `{field}` field of the latest version's document, as it appears there; the ETag is the version.")
                .WithIfNoneMatch()
                .Produces(StatusCodes.Status200OK, type)
                .Produces(StatusCodes.Status304NotModified)
                .ProducesProblems(StatusCodes.Status404NotFound);
            scenarios.MapPut($"/{{id:long}}/{route}", (long id, HttpContext context, ScenarioRepository repository, CalMinerCache cache, CancellationToken cancellationToken) =>
                ReplaceAsync(id, route, field, context, repository, cache, cancellationToken))
                .RequireAuthorization(Policies.Edit)
                .WithName($"ReplaceScenario{name}")
                .WithSummary($"Replace the {field} section")
                .WithDescription($"Saves a new version whose `{field}` is the body, under If-Match. The section is read with the rules of a whole document (400, errors under `{field}`), and the document it makes is validated as a whole (422).")
                .WithIfMatch(required: true)
                .AcceptsJsonBody(type)
                .Produces(StatusCodes.Status200OK, type)
                .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status428PreconditionRequired);
        }

        return api;
    }

    /// <summary>The C# type of a document field, whose JSON contract the section's schema is.</summary>
    private static Type SectionType(string field) =>
        typeof(ScenarioDocument).GetProperty(char.ToUpperInvariant(field[0]) + field[1..])?.PropertyType
        ?? throw new InvalidOperationException($"ScenarioDocument has no property for the section {field}.");

    private static async Task<IResult> GetAsync(long id, string route, string field, HttpContext context, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var stored = await cache.GetScenarioAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (ETags.NotModified(context, stored.Version) is { } notModified)
        {
            return notModified;
        }

        return new JsonBytes(await SectionAsync(cache, stored, route, field, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> ReplaceAsync(
        long id, string route, string field, HttpContext context, ScenarioRepository repository, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var current = await cache.GetScenarioAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (ETags.IfMatch(context.Request, current.Version) is not { } expected)
        {
            return ApiProblems.PreconditionRequired();
        }

        // The edit is based on the version the client read: splice it into that version only.
        if (expected != current.Version)
        {
            return ApiProblems.PreconditionFailed(current.Version);
        }

        var body = await ReadBodyAsync(context.Request, field).ConfigureAwait(false);
        var document = Replace(current.Document, field, body);
        var stored = await repository.UpdateAsync(id, expected, document, context.User.Email(), cancellationToken).ConfigureAwait(false);
        SaveWarnings.SetSaved(context.Response, stored);
        return new JsonBytes(await SectionAsync(cache, stored, route, field, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The JSON of one section of one version, exactly as Core writes it in the whole document; cached by version.</summary>
    private static ValueTask<byte[]> SectionAsync(CalMinerCache cache, StoredScenario stored, string route, string field, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync("section-" + route, stored.Id, stored.Version, _ => ValueTask.FromResult(Extract(stored.Document, field)), cancellationToken);

    internal static byte[] Extract(ScenarioDocument document, string field)
    {
        using var json = JsonDocument.Parse(document.ToJson());
        return json.RootElement.TryGetProperty(field, out var section)
            ? JsonSerializer.SerializeToUtf8Bytes(section)
            : "null"u8.ToArray();
    }

    /// <summary>
    /// The document with <paramref name="field"/> replaced by <paramref name="section"/> (UTF-8 JSON),
    /// read and validated as a whole by Core. The section is written first, on a line of its own, so
    /// that the line numbers of reading errors are those of the request body.
    /// </summary>
    /// <exception cref="InvalidScenarioException">The section is malformed (400) or the document it makes breaks the rules (422).</exception>
    internal static ScenarioDocument Replace(ScenarioDocument document, string field, ReadOnlySpan<byte> section)
    {
        // One JSON value and nothing after it: the body must not reach into the rest of the document.
        var reader = new Utf8JsonReader(section, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!JsonDocument.TryParseValue(ref reader, out var value))
            {
                throw new InvalidScenarioException([new ScenarioError(field, "is missing: send the section as JSON")]);
            }

            value.Dispose();
            if (reader.Read())
            {
                throw new InvalidScenarioException([new ScenarioError(field, "must be a single JSON value") { Line = 1 }]);
            }
        }
        catch (JsonException e)
        {
            throw new InvalidScenarioException([new ScenarioError(field, "is not valid JSON") { Line = (e.LineNumber ?? 0) + 1, Position = (e.BytePositionInLine ?? 0) + 1 }]);
        }

        using var buffer = new MemoryStream();
        using (var rest = JsonDocument.Parse(document.ToJson()))
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(field);
            writer.Flush();
            buffer.Write("\n"u8);
            buffer.Write(section);
            buffer.Write("\n"u8);
            foreach (var property in rest.RootElement.EnumerateObject())
            {
                if (!property.NameEquals(field))
                {
                    buffer.Write(","u8);
                    buffer.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(property.Name)));
                    buffer.Write(":"u8);
                    buffer.Write(Encoding.UTF8.GetBytes(property.Value.GetRawText()));
                }
            }

            buffer.Write("}"u8);
        }

        try
        {
            return ScenarioDocument.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (InvalidScenarioException invalid) when (invalid.Errors.Any(e => e.Line is not null))
        {
            // The section started on line 2 of what Core read.
            throw new InvalidScenarioException([.. invalid.Errors.Select(e => e.Line is { } line ? e with { Line = Math.Max(1, line - 1) } : e)]);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, string field)
    {
        if (!ScenarioBodies.IsJson(request.ContentType))
        {
            throw new BadHttpRequestException($"Send the {field} section as JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            throw new BadHttpRequestException($"The request has no body: send the {field} section.");
        }

        return buffer.ToArray();
    }
}
