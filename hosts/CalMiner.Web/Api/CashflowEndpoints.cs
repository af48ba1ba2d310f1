using System.Text;
using CalMiner.Data;
using CalMiner.Economics;
using CalMiner.Web.Exports;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;
using Microsoft.OpenApi;
using Microsoft.Net.Http.Headers;

namespace CalMiner.Web.Api;

/// <summary>
/// <c>GET /api/scenarios/{id}/cashflow</c>: the deterministic evaluation of a scenario's current
/// version as JSON (the document `calminer evaluate --format json` prints), CSV or an Excel
/// workbook, chosen by <c>?format=json|csv|xlsx</c> or else the <c>Accept</c> header. Each form is
/// computed once per version and then served from the cache; the ETag is the version.
/// </summary>
internal static class CashflowEndpoints
{
    private const string Csv = "text/csv";

    public static RouteGroupBuilder MapCashflowEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/scenarios/{id:long}/cashflow", GetAsync).WithTags("Scenarios").RequireScenarioAccess()
            .WithName("GetScenarioCashflow")
            .WithSummary("Evaluate a scenario: cash flows and metrics")
            .WithDescription("The deterministic evaluation of the latest version: per-period cash flows, totals and metrics. `format` (json, csv, xlsx) or else the Accept header chooses the form; the ETag is the version.")
            .WithIfNoneMatch()
            .Produces<EvaluationResult>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The other two forms of the same answer: the CSV text and the Excel workbook.
                var content = operation.Responses?["200"].Content;
                content?.Add(Csv, new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
                content?.Add(CashFlowWorkbook.ContentType, new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } });
                return Task.CompletedTask;
            });
        return api;
    }

    private static async Task<IResult> GetAsync(long id, string? format, HttpContext context, ScenarioRepository scenarios, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var kind = FormatOf(format, context.Request.GetTypedHeaders().Accept);
        if (kind is null)
        {
            return ApiProblems.Invalid("format", "format must be json, csv or xlsx.");
        }

        var version = await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        context.Response.Headers.Vary = HeaderNames.Accept;
        if (ETags.NotModified(context, version.Value) is { } notModified)
        {
            return notModified;
        }

        var body = await cache.GetOrCreateAsync($"cashflow-{kind}", id, version.Value, async token =>
        {
            var stored = await cache.GetScenarioVersionAsync(id, version.Value, token).ConfigureAwait(false);
            return stored is null ? [] : Render(kind, stored);
        }, cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        return kind switch
        {
            "json" => new JsonBytes(body),
            "csv" => TypedResults.File(body, Csv + "; charset=utf-8", FileNames.Safe($"{id}-cashflow", "cashflow") + ".csv"),
            _ => TypedResults.File(body, CashFlowWorkbook.ContentType, FileNames.Safe($"{id}-cashflow", "cashflow") + ".xlsx"),
        };
    }

    private static byte[] Render(string kind, StoredScenario stored)
    {
        var result = EconomicModel.Evaluate(stored.Document);
        return kind switch
        {
            "json" => Encoding.UTF8.GetBytes(result.ToJson()),
            "csv" => Encoding.UTF8.GetBytes(result.ToCsv()),
            _ => CashFlowWorkbook.Create(stored.Document, result),
        };
    }

    /// <summary>The form asked for: the query wins over Accept; JSON when neither says.</summary>
    private static string? FormatOf(string? format, IList<MediaTypeHeaderValue> accept)
    {
        if (format is not null)
        {
            return format.ToLowerInvariant() switch
            {
                "json" => "json",
                "csv" => "csv",
                "xlsx" => "xlsx",
                _ => null,
            };
        }

        foreach (var media in accept.OrderByDescending(m => m.Quality ?? 1))
        {
            if (media.MediaType.Equals(Csv, StringComparison.OrdinalIgnoreCase))
            {
                return "csv";
            }

            if (media.MediaType.Equals(CashFlowWorkbook.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                return "xlsx";
            }

            if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.MatchesAllTypes)
            {
                return "json";
            }
        }

        return "json";
    }
}
