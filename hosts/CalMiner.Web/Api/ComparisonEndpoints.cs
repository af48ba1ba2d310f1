using System.Globalization;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Economics;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;

namespace CalMiner.Web.Api;

/// <summary>
/// <c>GET /api/compare?ids=1,2,3</c>: the deterministic metrics of several scenarios side by side.
/// Each scenario's latest version is evaluated once and the metrics cached under that version.
/// </summary>
internal static class ComparisonEndpoints
{
    public const int MaxScenarios = 20;

    public static RouteGroupBuilder MapComparisonEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/compare", CompareAsync).WithTags("Comparison")
            .WithName("CompareScenarios")
            .WithSummary("Compare scenarios' metrics")
            .WithDescription($"The deterministic metrics of the latest version of each scenario in `ids` (1..{MaxScenarios}, in the order given), as `calminer evaluate` writes them. 404 names the scenarios that do not exist.")
            .Produces<ComparisonResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The answer: one item per scenario, in the order asked for.</summary>
    public sealed record ComparisonResponse(IReadOnlyList<ComparedScenario> Items);

    /// <summary>A scenario's latest version and the metrics of its deterministic evaluation.</summary>
    public sealed record ComparedScenario(long Id, int Version, string Name, string Currency, EconomicMetrics Metrics);

    private static async Task<IResult> CompareAsync(string? ids, HttpContext context, CalMinerCache cache, CancellationToken cancellationToken)
    {
        if (Parse(ids) is not { } list)
        {
            return ApiProblems.Invalid("ids", $"ids must be 1..{MaxScenarios} scenario ids separated by commas, e.g. ids=1,2,3.");
        }

        var scenarios = new List<StoredScenario>(list.Count);
        var missing = new List<long>();
        foreach (var id in list)
        {
            // A scenario outside the user's workspaces is missing, as one that does not exist.
            if (await WorkspaceGuard.ScenarioAsync(context, id, WorkspaceRole.Viewer).ConfigureAwait(false) is null
                && await cache.GetScenarioAsync(id, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                scenarios.Add(stored);
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            return ApiProblems.NotFound(missing.Count == 1 ? $"Scenario {missing[0]}" : $"Scenarios {string.Join(", ", missing)}");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var stored in scenarios)
            {
                var metrics = await cache.GetOrCreateAsync(
                    "compare-metrics", stored.Id, stored.Version, _ => ValueTask.FromResult(MetricsJson(stored)), cancellationToken).ConfigureAwait(false);
                writer.WriteStartObject();
                writer.WriteNumber("id", stored.Id);
                writer.WriteNumber("version", stored.Version);
                writer.WriteString("name", stored.Document.Name);
                writer.WriteString("currency", stored.Document.Currency);
                writer.WritePropertyName("metrics");
                writer.WriteRawValue(metrics, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return new JsonBytes(buffer.ToArray());
    }

    /// <summary>The metrics as Core's evaluation JSON writes them, so the API and the CLI agree.</summary>
    private static byte[] MetricsJson(StoredScenario stored)
    {
        using var evaluation = JsonDocument.Parse(EconomicModel.Evaluate(stored.Document).ToJson());
        return JsonSerializer.SerializeToUtf8Bytes(evaluation.RootElement.GetProperty("metrics"));
    }

    /// <summary>The distinct ids in the order given; null when the list is missing, malformed or too long.</summary>
    private static List<long>? Parse(string? ids)
    {
        if (string.IsNullOrWhiteSpace(ids))
        {
            return null;
        }

        var list = new List<long>();
        foreach (var part in ids.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return null;
            }

            if (!list.Contains(id))
            {
                list.Add(id);
            }
        }

        return list.Count <= MaxScenarios ? list : null;
    }
}
