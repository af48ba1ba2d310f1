using Microsoft.AspNetCore.Http.Features;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using Microsoft.OpenApi;
using CalMiner.Web.Security;

namespace CalMiner.Web.Api;

/// <summary>
/// Scenarios made from others: <c>POST /api/scenarios/{id}/clone</c> copies the latest version,
/// <c>POST /api/scenarios/import</c> creates one from a scenario document file (multipart upload,
/// field <c>file</c>) or from the document sent as JSON. Export is <c>GET /api/scenarios/{id}/document</c>.
/// </summary>
internal static class ScenarioCopyEndpoints
{
    private const int MaxNameLength = 200;
    private const string FileField = "file";
    private const string MultipartFormData = "multipart/form-data";

    /// <summary>The optional body of a clone: the copy's name (default the original's with " (copy)").</summary>
    public sealed record CloneRequest(string? Name = null);

    public static RouteGroupBuilder MapScenarioCopyEndpoints(this RouteGroupBuilder api)
    {
        var scenarios = api.MapGroup("/scenarios").WithTags("Scenarios").RequireScenarioAccess();
        scenarios.MapPost("/{id:long}/clone", CloneAsync).RequireAuthorization(Policies.Edit)
            .WithName("CloneScenario")
            .WithSummary("Copy a scenario")
            .WithDescription("A new scenario from the latest version, in the same workspace, named `… (copy)` unless a name is given. Maintenance logs and runs are not copied.")
            .Produces<ScenarioEndpoints.ScenarioResource>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        scenarios.MapPost("/import", ImportAsync).RequireAuthorization(Policies.Edit)
            .WithName("ImportScenario")
            .WithSummary("Import a scenario document file")
            .WithDescription($"The document uploaded as multipart/form-data in the field `{FileField}`, or sent as application/json; a UTF-8 byte order mark is accepted. The workspace is chosen as for POST /api/scenarios. Answered as POST /api/scenarios.")
            .WithWorkspaceQuery()
            .AcceptsJsonBody(typeof(ScenarioDocument), MultipartFormData)
            .Produces<ScenarioEndpoints.ScenarioResource>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The form's one field, the file, rather than a document.
                operation.RequestBody?.Content?[MultipartFormData] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string>(StringComparer.Ordinal) { FileField },
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            [FileField] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The scenario document (JSON)." },
                        },
                    },
                };
                return Task.CompletedTask;
            });
        return api;
    }

    private static async Task<IResult> CloneAsync(long id, CloneRequest? request, HttpContext context, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var name = request?.Name;
        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength))
        {
            return ApiProblems.Invalid("name", $"name must have 1..{MaxNameLength} characters, not only spaces.", StatusCodes.Status422UnprocessableEntity);
        }

        var copy = await scenarios.CloneAsync(id, name?.Trim(), context.User.Email(), cancellationToken).ConfigureAwait(false);
        return copy is null ? ApiProblems.NotFound($"Scenario {id}") : await CreatedAsync(context, cache, copy, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> ImportAsync(HttpContext context, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var (workspaceId, problem) = await WorkspaceGuard.NewScenarioWorkspaceAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var request = context.Request;
        ScenarioDocument document;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(FormLimits, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (MalformedForm(e) is { } malformed)
            {
                return malformed;
            }

            var files = form.Files.GetFiles(FileField);
            if (files.Count != 1)
            {
                return ApiProblems.Invalid("file", files.Count == 0
                    ? "Upload the scenario document as the form field 'file'."
                    : "Upload exactly one scenario document in the form field 'file'.");
            }

            if (files[0].Length == 0)
            {
                return ApiProblems.Invalid("file", "The uploaded file is empty.");
            }

            using var buffer = new MemoryStream();
            await files[0].CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            document = ScenarioBodies.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        else if (ScenarioBodies.IsJson(request.ContentType))
        {
            document = await ScenarioBodies.ReadAsync(request).ConfigureAwait(false);
        }
        else
        {
            throw new BadHttpRequestException(
                "Upload the scenario document as multipart/form-data (field 'file') or send it as application/json.",
                StatusCodes.Status415UnsupportedMediaType);
        }

        var stored = await scenarios.ImportAsync(document, context.User.Email(), workspaceId, cancellationToken).ConfigureAwait(false);
        return await CreatedAsync(context, cache, stored, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> CreatedAsync(HttpContext context, CalMinerCache cache, StoredScenario stored, CancellationToken cancellationToken)
    {
        SaveWarnings.SetSaved(context.Response, stored);
        context.Response.Headers.Location = $"/api/scenarios/{stored.Id}";
        var body = await ScenarioEndpoints.ResourceAsync(cache, stored.Id, stored.Version, cancellationToken).ConfigureAwait(false);
        return new JsonBytes(body, StatusCodes.Status201Created);
    }

    /// <summary>The form holds one file; room for a few more fields a client may add, and no more.</summary>
    private static readonly FormOptions FormLimits = new() { ValueCountLimit = 16, MultipartHeadersCountLimit = 16, KeyLengthLimit = 200 };

    /// <summary>
    /// A 4xx problem for a form the reader refused: a size or count limit exceeded is 413, a body that
    /// is not the multipart/form-data it claims (no boundary, cut short, a part without a
    /// Content-Disposition naming it) is 400. Null for any other failure, e.g. the client going away.
    /// </summary>
    private static IResult? MalformedForm(Exception e) => e switch
    {
        // The request body limit, which the exception handler already answers with 413.
        BadHttpRequestException => null,
        InvalidDataException limit when limit.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) =>
            TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.", detail: $"The form exceeds a limit: {limit.Message} Send the document alone, in the field '{FileField}'."),
        InvalidDataException malformed => ApiProblems.Invalid(FileField, $"The body is not valid multipart/form-data ({malformed.Message.TrimEnd(' ', ':', '.')}): send the document in the field '{FileField}'."),
        IOException => ApiProblems.Invalid(FileField, $"The multipart/form-data body ends before its closing boundary: send it whole, with the document in the field '{FileField}'."),
        _ => null,
    };
}
