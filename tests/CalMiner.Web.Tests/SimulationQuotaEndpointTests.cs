using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>
/// An app whose users may keep few samples, whose scenarios keep the samples of their newest run only, and
/// which takes runs of the default size (the shared app's are smaller), so that a run can last seconds.
/// </summary>
public sealed class SmallSamplesApp : IAsyncLifetime
{
    public CalMinerWebApp App { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CalMiner:SampleBytesPerUser"] = (1L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CalMiner:SampleRetentionRuns"] = "1",
        ["CalMiner:MaxIterations"] = "10000000",
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>The limits on one user's queued runs and kept samples, and the retention of samples, through the API.</summary>
public sealed class SimulationQuotaEndpointTests(SmallSamplesApp small) : IClassFixture<SmallSamplesApp>
{
    [Fact]
    public async Task Run_ReportsProgressAsItGoes_WhenItTakesSeconds()
    {
        using var analyst = await small.App.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync(TestApi.HundredPeriodGold());
        var response = await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 4_000_000, keepSamples = false });
        await response.ExpectAsync(HttpStatusCode.Accepted);
        var seen = new SortedSet<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonElement run;
        while (true)
        {
            run = await (await analyst.GetAsync(response.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
            var status = run.GetProperty("status").GetString();
            if (status is not ("queued" or "running") || clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                break;
            }

            if (run.GetProperty("progress").GetDouble() is > 0 and < 1 and var progress)
            {
                seen.Add(progress);
            }

            await Task.Delay(100);
        }

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1.0, run.GetProperty("progress").GetDouble());
        var (started, finished) = (run.GetProperty("startedAt").GetDateTimeOffset(), run.GetProperty("finishedAt").GetDateTimeOffset());
        // Written at most once a second as the iterations are evaluated, not only with the lease's heartbeat every 5 s.
        Assert.True(seen.Count >= 2, $"Progress seen while it ran for {(finished - started).TotalSeconds:F1} s: {string.Join(", ", seen)}");
    }

    [Fact]
    public async Task Samples_Get422NamingTheEstimateTheBudgetAndWhatToChange_OverTheUsersBudget()
    {
        using var analyst = await small.App.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();

        // 20 000 iterations × (7 uncertain inputs + 7 outputs) × 8 bytes: 2.1 MiB, over the 1 MiB budget.
        var refused = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 20_000 }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var detail = refused.GetProperty("detail").GetString()!;
        Assert.StartsWith("This run's samples would take about 3 MiB; your runs hold 0 MiB of samples and may hold 1 MiB (the CalMiner:SampleBytesPerUser setting).", detail, StringComparison.Ordinal);
        Assert.Contains("fewer iterations", detail, StringComparison.Ordinal);
        Assert.Contains("\"keepSamples\": false", detail, StringComparison.Ordinal);
        Assert.True(refused.GetProperty("errors").TryGetProperty("keepSamples", out _));
        Assert.Equal(0, (await (await analyst.GetAsync($"/api/scenarios/{id}/simulations")).ExpectAsync(HttpStatusCode.OK)).GetArrayLength());

        // Without samples it runs, keeps its results, and says it has no samples.
        var run = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 20_000, keepSamples = false }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.False(run.GetProperty("keepSamples").GetBoolean());
        Assert.False(run.GetProperty("samplesRetained").GetBoolean());
        var runId = run.GetProperty("id").GetInt64();
        var none = await (await analyst.GetAsync($"/api/simulations/{runId}/samples")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("keep no samples", none.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await analyst.GetAsync($"/api/simulations/{runId}/results")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DroppingAnOlderRunsSamples_FreesTheBudget_ForANewRun()
    {
        using var analyst = await small.App.ClientAsync(UserRole.Analyst);
        var (first, _) = await analyst.CreateScenarioAsync();
        var (second, _) = await analyst.CreateScenarioAsync();
        // 6 000 iterations × 14 columns × 8 bytes: 656 KiB each, two over the 1 MiB budget.
        var kept = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = first, iterations = 6000 })).ExpectAsync(HttpStatusCode.Created);
        var keptId = kept.GetProperty("id").GetInt64();
        await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = second, iterations = 6000 })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        using var viewer = await small.App.ClientAsync(UserRole.Viewer);
        await (await viewer.DeleteAsync($"/api/simulations/{keptId}/samples")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var dropped = await (await analyst.DeleteAsync($"/api/simulations/{keptId}/samples")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(dropped.GetProperty("samplesRetained").GetBoolean());
        Assert.True(dropped.TryGetProperty("results", out _));
        await (await analyst.GetAsync($"/api/simulations/{keptId}/samples")).ExpectProblemAsync(HttpStatusCode.Gone);

        var next = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = second, iterations = 6000 })).ExpectAsync(HttpStatusCode.Created);
        Assert.True(next.GetProperty("samplesRetained").GetBoolean());
    }

    [Fact]
    public async Task Retention_DropsAnOlderRunsSamplesWhichAnswer410_WhileItsResultsStay()
    {
        using var analyst = await small.App.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        var first = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2000 })).ExpectAsync(HttpStatusCode.Created);
        var firstId = first.GetProperty("id").GetInt64();
        Assert.True(first.GetProperty("samplesRetained").GetBoolean());
        await (await analyst.GetAsync($"/api/simulations/{firstId}/samples")).ExpectAsync(HttpStatusCode.OK);

        var second = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2000, seed = 8 })).ExpectAsync(HttpStatusCode.Created);
        var secondId = second.GetProperty("id").GetInt64();

        var dropped = await (await analyst.GetAsync($"/api/simulations/{firstId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("succeeded", dropped.GetProperty("status").GetString());
        Assert.False(dropped.GetProperty("samplesRetained").GetBoolean());
        Assert.Equal(JsonValueKind.String, dropped.GetProperty("samplesDroppedAt").ValueKind);
        Assert.True(dropped.TryGetProperty("results", out _));
        var gone = await (await analyst.GetAsync($"/api/simulations/{firstId}/samples")).ExpectProblemAsync(HttpStatusCode.Gone);
        Assert.Contains("dropped", gone.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("CalMiner:SampleRetentionRuns", gone.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await analyst.GetAsync($"/api/simulations/{firstId}/results")).ExpectAsync(HttpStatusCode.OK);
        Assert.True((await (await analyst.GetAsync($"/api/simulations/{secondId}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("samplesRetained").GetBoolean());
        await (await analyst.GetAsync($"/api/simulations/{secondId}/samples")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Run_FailsWithAMessageAndTheHostGoesOnServing_WhenItFailsInside()
    {
        using var analyst = await small.App.ClientAsync(UserRole.Analyst);
        // The database itself refuses to store the samples of one input, a real failure after the engine has run.
        var marker = $"refused{Guid.NewGuid():N}";
        var gold = System.Text.Json.Nodes.JsonNode.Parse(TestApi.GoldJson())!.AsObject();
        gold["parameters"]![marker] = new System.Text.Json.Nodes.JsonObject { ["value"] = 1, ["distribution"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "uniform", ["min"] = 0.9, ["max"] = 1.1 } };
        var (id, _) = await analyst.CreateScenarioAsync(gold.ToJsonString());
        await ExecuteAsync(small.App, $"""
            CREATE FUNCTION refuse_{marker}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.name = '{marker}' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_{marker} BEFORE INSERT ON simulation_sample FOR EACH ROW EXECUTE FUNCTION refuse_{marker}();
            """);

        var failed = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 1000 })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.StartsWith("The simulation failed: ", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("refused by test trigger", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        await (await analyst.GetAsync($"/api/simulations/{failed.GetProperty("id").GetInt64()}/samples")).ExpectProblemAsync(HttpStatusCode.Conflict);
        var (other, _) = await analyst.CreateScenarioAsync();
        var next = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = other, iterations = 1000 })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("succeeded", next.GetProperty("status").GetString());
    }

    /// <summary>Runs SQL in the app's own schema.</summary>
    private static async Task ExecuteAsync(CalMinerWebApp app, string sql)
    {
        var options = app.Get<CalMinerDataOptions>();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = options.Host,
            Port = options.Port,
            Username = options.User,
            Password = options.Password,
            Database = options.Database,
            SearchPath = options.Schema,
        };
        await using var source = Npgsql.NpgsqlDataSource.Create(connection.ConnectionString);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The per-user limit on queued and running runs, on the shared app (default settings).</summary>
[Collection(WebAppCollection.Name)]
public sealed class SimulationQueueTests(CalMinerWebApp app)
{
    [Fact]
    public async Task FifthActiveRunOfOneUser_Gets429_WithRetryAfterAndAMessage()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync(TestApi.HundredPeriodGold());
        var queued = new List<Uri>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var response = await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2_000_000, seed = i, keepSamples = false });
                await response.ExpectAsync(HttpStatusCode.Accepted);
                queued.Add(response.Headers.Location!);
            }

            var limited = await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 100 });
            var problem = await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter?.Delta);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.StartsWith("You have 4 simulation runs queued or running; at most 4 are allowed at once (the CalMiner:MaxActiveRunsPerUser setting).", detail, StringComparison.Ordinal);
            Assert.Equal(4, (await (await analyst.GetAsync($"/api/scenarios/{id}/simulations")).ExpectAsync(HttpStatusCode.OK)).GetArrayLength());

            // Another user is not held back; a cancelled run frees a place.
            using var other = await app.ClientAsync(UserRole.Analyst);
            await (await other.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 100 })).ExpectAsync(HttpStatusCode.Created);
            await (await analyst.PostAsync($"{queued[^1]}/cancel", null)).ExpectAsync(HttpStatusCode.OK);
            queued.RemoveAt(queued.Count - 1);
            await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 100 })).ExpectAsync(HttpStatusCode.Created);
        }
        finally
        {
            foreach (var location in queued)
            {
                await analyst.PostAsync($"{location}/cancel", null);
            }
        }
    }
}
