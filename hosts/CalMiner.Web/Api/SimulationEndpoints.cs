using System.Text.Json;
using System.Text.Json.Serialization;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Simulation;
using CalMiner.Web.Exports;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Microsoft.Net.Http.Headers;

namespace CalMiner.Web.Api;

/// <summary>
/// <c>/api/simulations</c>: run a simulation of a scenario, follow it, read its results and
/// samples, cancel it. Runs up to <see cref="WebOptions.InlineIterationLimit"/> iterations (and <see cref="WebOptions.InlineWorkLimit"/> work) are
/// computed inside the request (201 with the results); larger ones are queued (202) for the
/// in-process runner or a worker.
/// </summary>
internal static class SimulationEndpoints
{
    // What a user over MaxActiveRunsPerUser is told to wait: about as long as a mid-sized queued run takes.
    private const int ActiveRunsRetrySeconds = 30;

    public static RouteGroupBuilder MapSimulationEndpoints(this RouteGroupBuilder api)
    {
        var simulations = api.MapGroup("/simulations").WithTags("Simulations").RequireRunAccess();
        simulations.MapPost("/run", RunAsync).RequireAuthorization(Policies.Edit).RequireRateLimiting(WebApplicationSetup.SimulationRateLimit)
            .WithName("RunSimulation")
            .WithSummary("Run a Monte Carlo simulation of a scenario")
            .WithDescription("What the body leaves out comes from the scenario's `simulation` section. Small runs are computed in the request (201 with `results`); larger ones are queued (202): follow Location. 429 with Retry-After when the user already has MaxActiveRunsPerUser runs queued or running; 422 when the run's memory or its samples are over a budget.")
            .Produces<SimulationRunView>(StatusCodes.Status201Created)
            .Produces<SimulationRunView>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests)
            .WithRequestExample(json => JsonSerializer.SerializeToNode(new RunRequest(1, 10_000, 42, "latinHypercube"), json));
        simulations.MapGet("/{id:long}", GetAsync)
            .WithName("GetSimulation")
            .WithSummary("Read a simulation run")
            .WithDescription("Its state, progress and settings; once it succeeded, its `results`: the document `calminer simulate --format json` prints.")
            .Produces<SimulationRunView>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        simulations.MapGet("/{id:long}/results", GetResultsAsync)
            .WithName("GetSimulationResults")
            .WithSummary("Download a run's results as JSON or an Excel workbook")
            .WithDescription("The document `calminer simulate --format json` prints, or (`format=xlsx` or the Accept header) a workbook of its statistics, percentiles, histograms and sensitivity; 409 before the run has succeeded.")
            .Produces<JsonElement>(StatusCodes.Status200OK, "application/json")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Responses?["200"].Content?.Add(CashFlowWorkbook.ContentType, new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } });
                return Task.CompletedTask;
            });
        simulations.MapGet("/{id:long}/samples", GetSamplesAsync)
            .WithName("GetSimulationSamples")
            .WithSummary("Download a run's samples as CSV")
            .WithDescription("Every iteration's sampled inputs and outputs, one row per iteration, streamed from the database; 409 before the run has succeeded or when it kept no samples, 410 once the retention policy dropped them (the results stay).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone);
        simulations.MapDelete("/{id:long}/samples", DropSamplesAsync).RequireAuthorization(Policies.Edit)
            .WithName("DropSimulationSamples")
            .WithSummary("Drop a run's samples, keeping its results")
            .WithDescription("Frees the samples' bytes from the samples budgets at once; the samples download then answers 410. 409 when the run holds no samples.")
            .Produces<SimulationRunView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        simulations.MapPost("/{id:long}/cancel", CancelAsync).RequireAuthorization(Policies.Edit)
            .WithName("CancelSimulation")
            .WithSummary("Cancel a queued or running simulation")
            .Produces<SimulationRunView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("/scenarios/{id:long}/simulations", ListAsync).WithTags("Simulations").RequireScenarioAccess()
            .WithName("ListScenarioSimulations")
            .WithSummary("List a scenario's simulation runs")
            .WithDescription("Newest first, without results.")
            .Produces<IReadOnlyList<SimulationRunView>>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The body of <c>POST /api/simulations/run</c>; what is left out comes from the scenario's <c>simulation</c> section.</summary>
    /// <param name="ScenarioId">The scenario to simulate, at its current version.</param>
    /// <param name="Iterations">How many iterations, 1..MaxIterations.</param>
    /// <param name="Seed">The random seed; the same seed gives the same results.</param>
    /// <param name="Sampling"><c>latinHypercube</c> or <c>monteCarlo</c>, as in the scenario document.</param>
    /// <param name="RepairCorrelations">When the scenario's correlations contradict one another, run with the nearest valid matrix instead of refusing (422).</param>
    /// <param name="KeepSamples">Keep every iteration's inputs and outputs for the samples download (counted against the samples' budgets); false keeps the results only.</param>
    public sealed record RunRequest(long ScenarioId, int? Iterations = null, long? Seed = null, string? Sampling = null, bool RepairCorrelations = false, bool KeepSamples = true);

    /// <summary>A simulation run as the API shows it.</summary>
    /// <param name="Status"><c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</param>
    /// <param name="Progress">Fraction done, 0..1.</param>
    /// <param name="Sampling"><c>latinHypercube</c> or <c>monteCarlo</c>, as in the scenario document.</param>
    /// <param name="RepairCorrelations">Whether the run may repair correlations that contradict one another.</param>
    /// <param name="Error">Why it failed; while it is queued again after its worker stopped, why the last attempt ended.</param>
    /// <param name="KeepSamples">Whether the run was asked to keep its samples.</param>
    /// <param name="SamplesRetained">Whether its samples can be downloaded: it succeeded, kept them, and the retention policy has not dropped them.</param>
    /// <param name="SamplesDroppedAt">When the retention policy dropped its samples.</param>
    public sealed record SimulationRunView(
        long Id,
        long ScenarioId,
        int ScenarioVersion,
        string Status,
        double Progress,
        int Iterations,
        long Seed,
        string Sampling,
        bool RepairCorrelations,
        string RequestedBy,
        DateTimeOffset QueuedAt,
        DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt,
        string? Error,
        bool KeepSamples,
        bool SamplesRetained,
        DateTimeOffset? SamplesDroppedAt)
    {
        /// <summary>Once the run succeeded: the document `calminer simulate --format json` prints. Absent before.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public JsonElement? Results { get; init; }
    }

    private static async Task<IResult> RunAsync(
        RunRequest request,
        HttpContext context,
        CalMinerCache cache,
        SimulationRunRepository runs,
        SimulationRunProcessor processor,
        IOptions<WebOptions> options,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (request.Iterations is { } iterations && (iterations < 1 || iterations > limits.MaxIterations))
        {
            return ApiProblems.Invalid("iterations", $"iterations must be between 1 and {limits.MaxIterations}.");
        }

        if (!TryParseSampling(request.Sampling, out var sampling))
        {
            return ApiProblems.Invalid("sampling", "sampling must be \"latinHypercube\" or \"monteCarlo\".");
        }

        var denied = await WorkspaceGuard.ScenarioAsync(context, request.ScenarioId, WorkspaceRole.Analyst).ConfigureAwait(false);
        if (denied is not null and not IStatusCodeHttpResult { StatusCode: StatusCodes.Status404NotFound })
        {
            return denied;
        }

        var scenario = denied is null ? await cache.GetScenarioAsync(request.ScenarioId, cancellationToken).ConfigureAwait(false) : null;
        if (scenario is null)
        {
            return ApiProblems.Invalid("scenarioId", $"Scenario {request.ScenarioId} does not exist.", StatusCodes.Status404NotFound);
        }

        if (!request.RepairCorrelations && scenario.Document.Warnings().FirstOrDefault(w => w.Path == "correlations") is { } contradiction)
        {
            return ApiProblems.Invalid("correlations", SaveWarnings.RunRefusal(contradiction), StatusCodes.Status422UnprocessableEntity);
        }

        var defaults = scenario.Document.Simulation ?? new SimulationSettings();
        var settings = defaults with
        {
            Iterations = request.Iterations ?? defaults.Iterations,
            Seed = request.Seed ?? defaults.Seed,
            Sampling = sampling ?? defaults.Sampling,
        };
        if (settings.Iterations > limits.MaxIterations || (settings.Convergence?.MaxIterations ?? 0) > limits.MaxIterations)
        {
            return ApiProblems.Invalid("iterations", $"The scenario asks for more than {limits.MaxIterations} iterations; send a smaller iterations.");
        }

        if (SimulationMemoryBudget.Refusal(scenario.Document, settings, request.KeepSamples, limits.SimulationMemoryBudget, "the CalMiner:SimulationMemoryBytes setting") is { } refusal)
        {
            return ApiProblems.Invalid("iterations", refusal, StatusCodes.Status422UnprocessableEntity);
        }

        var sampleBytes = MonteCarlo.EstimateSampleBytes(scenario.Document, new SimulationOptions { Iterations = MostIterations(settings), KeepSamples = request.KeepSamples });
        SimulationRun run;
        try
        {
            run = await runs.QueueAsync(
                scenario.Id, scenario.Version, settings, context.User.Email(), request.RepairCorrelations, request.KeepSamples, sampleBytes, SimulationRunner.Quota(limits), cancellationToken).ConfigureAwait(false);
        }
        catch (SimulationQuotaExceededException e)
        {
            return QuotaProblem(e, context);
        }

        context.Response.Headers.Location = $"/api/simulations/{run.Id}";
        if (MostIterations(settings) > limits.InlineIterationLimit || Work(scenario.Document, settings) > limits.InlineWorkLimit)
        {
            return new JsonBytes(await ResourceAsync(run, cache, cancellationToken).ConfigureAwait(false), StatusCodes.Status202Accepted);
        }

        var finished = await processor.RunNowAsync(run.Id, SimulationRunner.WorkerId, cancellationToken).ConfigureAwait(false);
        return new JsonBytes(await ResourceAsync(finished, cache, cancellationToken).ConfigureAwait(false), StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(long id, CalMinerCache cache, SimulationRunRepository runs, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return run is null
            ? ApiProblems.NotFound($"Simulation run {id}")
            : new JsonBytes(await ResourceAsync(run, cache, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// A succeeded run's results as JSON (the document `calminer simulate --format json` prints) or as an
    /// Excel workbook, chosen by <c>?format=json|xlsx</c> or else the <c>Accept</c> header, as the cash flows are.
    /// </summary>
    private static async Task<IResult> GetResultsAsync(long id, string? format, HttpContext context, CalMinerCache cache, SimulationRunRepository runs, CancellationToken cancellationToken)
    {
        var kind = format is null ? FromAccept(context.Request.GetTypedHeaders().Accept) : format.ToLowerInvariant() switch
        {
            "json" => "json",
            "xlsx" => "xlsx",
            _ => null,
        };
        if (kind is null)
        {
            return ApiProblems.Invalid("format", "format must be json or xlsx.");
        }

        var run = await runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return ApiProblems.NotFound($"Simulation run {id}");
        }

        var results = run.Status == SimulationRunStatus.Succeeded ? await cache.GetSimulationSummaryAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (results is null)
        {
            return ApiProblems.Conflict($"Simulation run {id} has not succeeded ({SimulationRunStatusNames.Name(run.Status)}): it has no results.");
        }

        context.Response.Headers.Vary = HeaderNames.Accept;
        if (kind == "json")
        {
            return new JsonBytes(System.Text.Encoding.UTF8.GetBytes(results));
        }

        var scenario = await cache.GetScenarioVersionAsync(run.ScenarioId, run.ScenarioVersion, cancellationToken).ConfigureAwait(false);
        if (scenario is null)
        {
            return ApiProblems.NotFound($"Scenario {run.ScenarioId} version {run.ScenarioVersion}");
        }

        return TypedResults.File(SimulationWorkbook.Create(run, scenario.Document, results), CashFlowWorkbook.ContentType, $"simulation-{id}-results.xlsx");
    }

    private static string FromAccept(IList<MediaTypeHeaderValue> accept)
    {
        foreach (var media in accept.OrderByDescending(m => m.Quality ?? 1))
        {
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

    /// <summary>
    /// Every iteration's sampled inputs and outputs as CSV (the form of `calminer simulate --samples`), streamed from the
    /// database a window of iterations at a time: a download's memory does not grow with the run.
    /// </summary>
    private static async Task<IResult> GetSamplesAsync(long id, SimulationRunRepository runs, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return ApiProblems.NotFound($"Simulation run {id}");
        }

        if (run.Status != SimulationRunStatus.Succeeded)
        {
            return ApiProblems.Conflict($"Simulation run {id} has not succeeded ({SimulationRunStatusNames.Name(run.Status)}): it has no samples.");
        }

        if (!run.KeepSamples)
        {
            return ApiProblems.Conflict($"Simulation run {id} was asked to keep no samples (keepSamples: false); its results are at /api/simulations/{id}/results.");
        }

        if (run.SamplesDroppedAt is { } dropped)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status410Gone,
                title: "The samples were dropped.",
                detail: $"The samples of simulation run {id} were dropped on {dropped:yyyy-MM-dd HH:mm} UTC, by the retention policy (CalMiner:SampleRetentionRuns, CalMiner:SampleRetentionDays) or on request; "
                    + $"its results are kept at /api/simulations/{id}/results. Run the scenario again to get samples.");
        }

        return TypedResults.Stream(
            async stream =>
            {
                await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
                await runs.WriteSamplesCsvAsync(id, writer, cancellationToken).ConfigureAwait(false);
            },
            "text/csv; charset=utf-8",
            $"simulation-{id}-samples.csv");
    }

    private static async Task<IResult> DropSamplesAsync(long id, CalMinerCache cache, SimulationRunRepository runs, CancellationToken cancellationToken)
    {
        var dropped = await runs.DropSamplesAsync(id, cancellationToken).ConfigureAwait(false);
        var run = await runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return ApiProblems.NotFound($"Simulation run {id}");
        }

        return dropped
            ? new JsonBytes(await ResourceAsync(run, cache, cancellationToken).ConfigureAwait(false))
            : ApiProblems.Conflict($"Simulation run {id} holds no samples ({SimulationRunStatusNames.Name(run.Status)}{(run.SamplesDroppedAt is null ? "" : ", already dropped")}).");
    }

    private static async Task<IResult> CancelAsync(long id, CalMinerCache cache, SimulationRunRepository runs, CancellationToken cancellationToken)
    {
        var cancelled = await runs.CancelAsync(id, cancellationToken).ConfigureAwait(false);
        var run = await runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return ApiProblems.NotFound($"Simulation run {id}");
        }

        return cancelled
            ? new JsonBytes(await ResourceAsync(run, cache, cancellationToken).ConfigureAwait(false))
            : ApiProblems.Conflict($"Simulation run {id} has already ended ({SimulationRunStatusNames.Name(run.Status)}).");
    }

    private static async Task<IResult> ListAsync(long id, ScenarioRepository scenarios, SimulationRunRepository runs, CancellationToken cancellationToken)
    {
        if (await scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.NotFound($"Scenario {id}");
        }

        var list = await runs.ListAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(Summary));
    }

    private static bool TryParseSampling(string? text, out SamplingMethod? sampling)
    {
        sampling = text switch
        {
            "latinHypercube" => SamplingMethod.LatinHypercube,
            "monteCarlo" => SamplingMethod.MonteCarlo,
            _ => null,
        };
        return text is null || sampling is not null;
    }

    /// <summary>429 with Retry-After when the user has too many runs queued or running; 422 when the samples are over a budget.</summary>
    private static IResult QuotaProblem(SimulationQuotaExceededException e, HttpContext context)
    {
        if (e.Limit == SimulationQuotaLimit.ActiveRuns)
        {
            context.Response.Headers.RetryAfter = ActiveRunsRetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many runs queued or running.",
                detail: $"You have {e.InUse} simulation runs queued or running; at most {e.Allowed} are allowed at once (the CalMiner:MaxActiveRunsPerUser setting). "
                    + "Wait for one to finish, or cancel one, then try again.");
        }

        var (whose, setting) = e.Limit == SimulationQuotaLimit.UserSampleBytes
            ? ("your runs", "CalMiner:SampleBytesPerUser")
            : ("all runs together", "CalMiner:SampleBytesTotal");
        return ApiProblems.Invalid(
            "keepSamples",
            $"This run's samples would take about {Mebibytes(e.Requested)} MiB; {whose} hold {Mebibytes(e.InUse)} MiB of samples and may hold {Mebibytes(e.Allowed)} MiB "
                + $"(the {setting} setting). Ask for fewer iterations, or send \"keepSamples\": false to keep the results only, "
                + "or drop older runs' samples (DELETE /api/simulations/{id}/samples), which the retention policy also does (CalMiner:SampleRetentionRuns, CalMiner:SampleRetentionDays).",
            StatusCodes.Status422UnprocessableEntity);
    }

    private static long Mebibytes(long bytes) => (bytes + (1 << 20) - 1) >> 20;

    /// <summary>A run's work, as <see cref="WebOptions.InlineWorkLimit"/> counts it: iterations × (periods + uncertain inputs).</summary>
    private static long Work(ScenarioDocument document, SimulationSettings settings) =>
        (long)MostIterations(settings) * (document.Periods + document.Parameters.Count(p => p.Value.Distribution is { Type: not DistributionType.Constant }));

    private static int MostIterations(SimulationSettings settings) =>
        Math.Max(settings.Iterations, settings.Convergence?.MaxIterations ?? 0);

    private static SimulationRunView Summary(SimulationRun run) => new(
        run.Id,
        run.ScenarioId,
        run.ScenarioVersion,
        SimulationRunStatusNames.Name(run.Status),
        run.Progress,
        run.Settings.Iterations,
        run.Settings.Seed,
        run.Settings.Sampling == SamplingMethod.MonteCarlo ? "monteCarlo" : "latinHypercube",
        run.RepairCorrelations,
        run.RequestedBy,
        run.QueuedAt,
        run.StartedAt,
        run.FinishedAt,
        run.Error,
        run.KeepSamples,
        SamplesRetained(run),
        run.SamplesDroppedAt);

    private static bool SamplesRetained(SimulationRun run) =>
        run.Status == SimulationRunStatus.Succeeded && run.KeepSamples && run.SamplesDroppedAt is null;

    /// <summary>The run's record, and once it succeeded its results: the document `calminer simulate --format json` prints.</summary>
    private static async Task<byte[]> ResourceAsync(SimulationRun run, CalMinerCache cache, CancellationToken cancellationToken)
    {
        var results = run.Status == SimulationRunStatus.Succeeded
            ? await cache.GetSimulationSummaryAsync(run.Id, cancellationToken).ConfigureAwait(false)
            : null;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var summary = JsonSerializer.SerializeToElement(Summary(run), JsonSerializerOptions.Web);
            writer.WriteStartObject();
            foreach (var property in summary.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            if (results is not null)
            {
                writer.WritePropertyName("results");
                writer.WriteRawValue(results, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
