using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Simulation;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class SimulationEndpointTests(CalMinerWebApp app)
{
    [Fact]
    public async Task Run_IsQueuedNotComputedInsideTheRequest_WhenFewIterationsButMuchWork()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var wide = JsonNode.Parse(TestApi.GoldJson())!.AsObject();
        var parameters = wide["parameters"]!.AsObject();
        for (var i = 0; i < 500; i++)
        {
            parameters[$"x{i}"] = new JsonObject { ["value"] = 1, ["distribution"] = new JsonObject { ["type"] = "uniform", ["min"] = 0.9, ["max"] = 1.1 } };
        }

        var (wideId, _) = await client.CreateScenarioAsync(wide.ToJsonString());
        var (goldId, _) = await client.CreateScenarioAsync();

        // 10 000 iterations × (10 periods + 507 uncertain inputs) is over the 5 000 000 of InlineWorkLimit;
        // the gold sample's 10 000 × (10 + 7) is far under it.
        var queued = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = wideId, iterations = 10_000 });
        var inline = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = goldId, iterations = 10_000 });

        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal(HttpStatusCode.Created, inline.StatusCode);
        await client.PostAsync($"{queued.Headers.Location}/cancel", null);
    }

    [Fact]
    public async Task SmallRun_IsComputedInline_AndItsResultsEqualTheEngines()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var response = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 5000, seed = 7, sampling = "latinHypercube" });
        var run = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/simulations/{run.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("latinHypercube", run.GetProperty("sampling").GetString());
        AssertEqualsEngine(run.GetProperty("results"), new SimulationSettings(5000, 7, SamplingMethod.LatinHypercube));

        var again = await (await client.GetAsync(response.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(run.GetRawText()), JsonNode.Parse(again.GetRawText())));
    }

    [Fact]
    public async Task LargeRun_IsQueued_AndTheInProcessRunnerCompletesIt()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var response = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 30_000, seed = 3, sampling = "monteCarlo" });
        var queued = await response.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Contains(queued.GetProperty("status").GetString(), new[] { "queued", "running" });

        var run = await WaitForAsync(client, response.Headers.Location!, status => status is "succeeded" or "failed" or "cancelled");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1.0, run.GetProperty("progress").GetDouble());
        AssertEqualsEngine(run.GetProperty("results"), new SimulationSettings(30_000, 3, SamplingMethod.MonteCarlo));

        var list = await (await client.GetAsync($"/api/scenarios/{id}/simulations")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), r => r.GetProperty("id").GetInt64() == run.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task QueuedRun_CanBeCancelledOnce()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();
        var response = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2_000_000, seed = 1 });
        await response.ExpectAsync(HttpStatusCode.Accepted);
        var location = response.Headers.Location!;

        var cancelled = await (await client.PostAsync($"{location}/cancel", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var run = await WaitForAsync(client, location, status => status is "cancelled");
        Assert.False(run.TryGetProperty("results", out _));
        await (await client.PostAsync($"{location}/cancel", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("{\"scenarioId\": SCENARIO, \"iterations\": 0}", "iterations")]
    [InlineData("{\"scenarioId\": SCENARIO, \"iterations\": 999999999}", "iterations")]
    [InlineData("{\"scenarioId\": SCENARIO, \"sampling\": \"sobol\"}", "sampling")]
    [InlineData("{\"scenarioId\": SCENARIO, \"sampling\": \"lhs\"}", "sampling")]
    [InlineData("{\"scenarioId\": SCENARIO, \"sampling\": \"mc\"}", "sampling")]
    [InlineData("{\"scenarioId\": SCENARIO, \"iterations\": \"many\"}", "$.iterations")]
    [InlineData("{\"scenarioId\": SCENARIO, \"colour\": \"red\"}", "$.colour")]
    public async Task BadRunRequests_Are400_NamingTheField(string body, string field)
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();
        var response = await client.PostAsync("/api/simulations/run", TestApi.Json(body.Replace("SCENARIO", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorPaths());
    }

    [Fact]
    public async Task UnknownScenariosAndRuns_Are404_AndViewersCannotRun()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var problem = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = long.MaxValue })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(["scenarioId"], problem.ErrorPaths());
        await (await analyst.GetAsync("/api/simulations/987654321")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.PostAsync("/api/simulations/987654321/cancel", null)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var (id, _) = await analyst.CreateScenarioAsync();
        using var viewer = await app.ClientAsync(UserRole.Viewer);
        await (await viewer.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id })).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>The results are the engine's JSON as <c>calminer simulate</c> writes it, <c>seconds</c> (the run's own wall time) included.</summary>
    private static void AssertEqualsEngine(JsonElement results, SimulationSettings settings)
    {
        var document = ScenarioDocument.Parse(TestApi.GoldJson()) with { Simulation = settings };
        var actual = JsonNode.Parse(results.GetRawText())!.AsObject();
        var seconds = (double)actual["seconds"]!;
        Assert.InRange(seconds, 0.0, 120.0);
        var expected = MonteCarlo.Run(document, new SimulationOptions()).ToJson(seconds);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), actual),
            "The stored results differ from the engine's run of the same scenario and settings.");
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient client, Uri location, Func<string?, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var run = await (await client.GetAsync(location)).ExpectAsync(HttpStatusCode.OK);
            if (done(run.GetProperty("status").GetString()) || DateTime.UtcNow > deadline)
            {
                return run;
            }

            await Task.Delay(200);
        }
    }
}
