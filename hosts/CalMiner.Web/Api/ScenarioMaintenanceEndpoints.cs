using System.Text.Json;
using CalMiner.Data;
using CalMiner.Maintenance;
using CalMiner.Scenarios;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;

namespace CalMiner.Web.Api;

/// <summary>
/// <c>/api/scenarios/{id}/maintenance</c>: the maintenance log of a scenario's equipment fleets
/// (start, end, planned or unplanned, cost) and the indicators Core derives from it: availability,
/// MTBF, MTTR and maintenance cost per operating hour.
/// </summary>
internal static class ScenarioMaintenanceEndpoints
{
    private const int MaxDescriptionLength = 2_000;

    /// <summary>A maintenance event as sent: the fleet's name (as in <c>equipment[].name</c>) and the event.</summary>
    public sealed record MaintenanceLogRequest(string Equipment, DateTimeOffset Start, DateTimeOffset End, MaintenanceKind Kind, double Cost = 0, string? Description = null);

    /// <summary>A stored maintenance event; <c>period</c> is the scenario period its start falls in.</summary>
    public sealed record MaintenanceLogResponse(long Id, long ScenarioId, string Equipment, int Period, DateTimeOffset Start, DateTimeOffset End, MaintenanceKind Kind, double Cost, string? Description);

    /// <summary>A fleet's indicators over one period, or over every period when <c>period</c> is null.</summary>
    public sealed record KpiResponse(long ScenarioId, string Equipment, int? Period, MaintenanceKpis Kpis);

    public static RouteGroupBuilder MapScenarioMaintenanceEndpoints(this RouteGroupBuilder api)
    {
        var maintenance = api.MapGroup("/scenarios/{id:long}/maintenance").WithTags("Maintenance logs").RequireScenarioAccess();
        maintenance.MapGet("/", ListAsync)
            .WithName("ListMaintenanceLogs")
            .WithSummary("List maintenance events")
            .WithDescription("The scenario's maintenance events by fleet and start, optionally of one fleet (`equipment`) and of those starting in one period.")
            .Produces<IReadOnlyList<MaintenanceLogResponse>>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        maintenance.MapGet("/kpis", KpisAsync)
            .WithName("GetMaintenanceKpis")
            .WithSummary("Maintenance indicators of a fleet")
            .WithDescription("Availability, MTBF, MTTR and cost per operating hour of one fleet (`equipment`, required) over one period, or the whole horizon without `period`.")
            .Produces<KpiResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        maintenance.MapGet("/{logId:long}", GetAsync)
            .WithName("GetMaintenanceLog")
            .WithSummary("Read a maintenance event")
            .Produces<MaintenanceLogResponse>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        maintenance.MapPost("/", AddAsync).RequireAuthorization(Policies.Edit)
            .WithName("AddMaintenanceLog")
            .WithSummary("Record a maintenance event")
            .WithDescription("422 naming `equipment` (not a fleet of the scenario), `start` (outside the scenario's years), `end` (not after start), `cost` (outside 0..1e15) or `description` (too long).")
            .Produces<MaintenanceLogResponse>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(json => JsonSerializer.SerializeToNode(
                new MaintenanceLogRequest("Haul truck 220 t", new(2029, 3, 1, 6, 0, 0, TimeSpan.Zero), new(2029, 3, 1, 18, 0, 0, TimeSpan.Zero), MaintenanceKind.Unplanned, 12_500, "Hydraulic hose replaced"),
                json));
        maintenance.MapPut("/{logId:long}", ReplaceAsync).RequireAuthorization(Policies.Edit)
            .WithName("ReplaceMaintenanceLog")
            .WithSummary("Replace a maintenance event")
            .WithDescription("Checked as a new event is.")
            .Produces<MaintenanceLogResponse>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        maintenance.MapDelete("/{logId:long}", DeleteAsync).RequireAuthorization(Policies.Edit)
            .WithName("DeleteMaintenanceLog")
            .WithSummary("Delete a maintenance event")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListAsync(long id, string? equipment, int? period, CalMinerCache cache, MaintenanceLogRepository logs, CancellationToken cancellationToken)
    {
        var scenario = await cache.GetScenarioAsync(id, cancellationToken).ConfigureAwait(false);
        if (scenario is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (CheckFilters(scenario.Document, equipment, period, equipmentRequired: false) is { } problem)
        {
            return problem;
        }

        var entries = await logs.ListAsync(id, equipment, period, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(entries.Select(ToResponse).ToList());
    }

    private static async Task<IResult> KpisAsync(long id, string? equipment, int? period, CalMinerCache cache, MaintenanceLogRepository logs, CancellationToken cancellationToken)
    {
        var scenario = await cache.GetScenarioAsync(id, cancellationToken).ConfigureAwait(false);
        if (scenario is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (CheckFilters(scenario.Document, equipment, period, equipmentRequired: true) is { } problem)
        {
            return problem;
        }

        var kpis = await logs.GetKpisAsync(id, equipment!, period, cancellationToken).ConfigureAwait(false);
        return kpis is null ? ApiProblems.NotFound($"Scenario {id}") : TypedResults.Ok(new KpiResponse(id, equipment!, period, kpis));
    }

    private static async Task<IResult> GetAsync(long id, long logId, MaintenanceLogRepository logs, CancellationToken cancellationToken)
    {
        var entry = await logs.GetAsync(logId, cancellationToken).ConfigureAwait(false);
        return entry is null || entry.ScenarioId != id
            ? ApiProblems.NotFound($"Maintenance log entry {logId} of scenario {id}")
            : TypedResults.Ok(ToResponse(entry));
    }

    private static async Task<IResult> AddAsync(long id, MaintenanceLogRequest request, CalMinerCache cache, MaintenanceLogRepository logs, CancellationToken cancellationToken)
    {
        var scenario = await cache.GetScenarioAsync(id, cancellationToken).ConfigureAwait(false);
        if (scenario is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        if (CheckEvent(scenario.Document, request) is { } problem)
        {
            return problem;
        }

        MaintenanceLogEntry? entry;
        try
        {
            entry = await logs.AddAsync(id, request.Equipment, ToEvent(request), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return Refused(e);
        }

        return entry is null
            ? ApiProblems.NotFound($"Scenario {id}")
            : TypedResults.Created($"/api/scenarios/{id}/maintenance/{entry.Id}", ToResponse(entry));
    }

    private static async Task<IResult> ReplaceAsync(long id, long logId, MaintenanceLogRequest request, CalMinerCache cache, MaintenanceLogRepository logs, CancellationToken cancellationToken)
    {
        var existing = await logs.GetAsync(logId, cancellationToken).ConfigureAwait(false);
        var scenario = existing is null || existing.ScenarioId != id ? null : await cache.GetScenarioAsync(id, cancellationToken).ConfigureAwait(false);
        if (scenario is null)
        {
            return ApiProblems.NotFound($"Maintenance log entry {logId} of scenario {id}");
        }

        if (CheckEvent(scenario.Document, request) is { } problem)
        {
            return problem;
        }

        MaintenanceLogEntry? entry;
        try
        {
            entry = await logs.UpdateAsync(logId, request.Equipment, ToEvent(request), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return Refused(e);
        }

        return entry is null ? ApiProblems.NotFound($"Maintenance log entry {logId} of scenario {id}") : TypedResults.Ok(ToResponse(entry));
    }

    private static async Task<IResult> DeleteAsync(long id, long logId, MaintenanceLogRepository logs, CancellationToken cancellationToken)
    {
        var existing = await logs.GetAsync(logId, cancellationToken).ConfigureAwait(false);
        return existing is not null && existing.ScenarioId == id && await logs.DeleteAsync(logId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Maintenance log entry {logId} of scenario {id}");
    }

    private static IResult? CheckFilters(ScenarioDocument document, string? equipment, int? period, bool equipmentRequired)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (equipment is null ? equipmentRequired : !document.Equipment.Any(e => e.Name == equipment))
        {
            errors["equipment"] = [equipment is null
                ? "equipment is required: the name of one of the scenario's fleets."
                : $"equipment \"{equipment}\" is not a fleet of this scenario; it has {Fleets(document)}."];
        }

        if (period is { } p && (p < 0 || p >= document.Periods))
        {
            errors["period"] = [$"period must be within 0..{document.Periods - 1}."];
        }

        return errors.Count == 0 ? null : ApiProblems.Invalid(errors);
    }

    /// <summary>The rules of a log entry, each naming its field; null when the entry is fine.</summary>
    private static IResult? CheckEvent(ScenarioDocument document, MaintenanceLogRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!document.Equipment.Any(e => e.Name == request.Equipment))
        {
            errors["equipment"] = [$"equipment \"{request.Equipment}\" is not a fleet of this scenario; it has {Fleets(document)}."];
        }

        var firstYear = document.StartYear;
        var lastYear = document.StartYear + document.Periods - 1;
        if (request.Start.UtcDateTime.Year < firstYear || request.Start.UtcDateTime.Year > lastYear)
        {
            errors["start"] = [$"start must fall within the scenario's years {firstYear}..{lastYear} (UTC)."];
        }

        if (request.End <= request.Start)
        {
            errors["end"] = ["end must be after start."];
        }

        if (!MaintenanceEvent.IsValidCost(request.Cost))
        {
            errors["cost"] = ["cost must be a number in 0..1e15."];
        }

        if (request.Description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"description must have at most {MaxDescriptionLength} characters."];
        }

        return errors.Count == 0 ? null : ApiProblems.Invalid(errors, StatusCodes.Status422UnprocessableEntity);
    }

    // The scenario changed between the check and the write (e.g. the fleet was removed): the repository's own check names the field.
    private static IResult Refused(ArgumentException e) =>
        ApiProblems.Invalid(e.ParamName == "equipmentName" ? "equipment" : "$", e.Message, StatusCodes.Status422UnprocessableEntity);

    private static string Fleets(ScenarioDocument document) =>
        document.Equipment.Count == 0 ? "none" : string.Join(", ", document.Equipment.Select(e => $"\"{e.Name}\""));

    private static MaintenanceEvent ToEvent(MaintenanceLogRequest request) =>
        new(request.Start.ToUniversalTime(), request.End.ToUniversalTime(), request.Kind, request.Cost, request.Description);

    private static MaintenanceLogResponse ToResponse(MaintenanceLogEntry entry) =>
        new(entry.Id, entry.ScenarioId, entry.EquipmentName, entry.Period, entry.Event.Start, entry.Event.End, entry.Event.Kind, entry.Event.Cost, entry.Event.Description);
}
