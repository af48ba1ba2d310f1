using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>The API says things one way, the CLI's way: the same names, the same rule for correlations, forgiving ETags, honest 404s.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ConsistencyTests(CalMinerWebApp app)
{
    private static string ContradictoryGold()
    {
        var json = JsonNode.Parse(TestApi.GoldJson())!.AsObject();
        json["correlations"] = new JsonArray(
            new JsonObject { ["a"] = "goldPrice", ["b"] = "dieselPrice", ["rank"] = 0.9 },
            new JsonObject { ["a"] = "dieselPrice", ["b"] = "miningCost", ["rank"] = 0.9 },
            new JsonObject { ["a"] = "goldPrice", ["b"] = "miningCost", ["rank"] = -0.9 });
        return json.ToJsonString();
    }

    [Fact]
    public async Task Scenario_IsSavedWithAWarningNamingTheEigenvalueAndTheRepairOption_WhenCorrelationsContradict()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);

        var response = await client.PostAsync("/api/scenarios", TestApi.Json(ContradictoryGold()));
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        var warning = Assert.Single(created.GetProperty("warnings").EnumerateArray());
        Assert.Equal("correlations", warning.GetProperty("path").GetString());
        var message = warning.GetProperty("message").GetString()!;
        Assert.Contains("smallest eigenvalue -0.8", message, StringComparison.Ordinal);
        Assert.Contains("repairCorrelations", message, StringComparison.Ordinal);
        Assert.Equal(message, Assert.Single(response.Headers.GetValues("CalMiner-Warning")));

        var id = created.GetProperty("id").GetInt64();
        var read = await (await client.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(message, read.GetProperty("warnings")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task SectionWrite_CarriesTheWarning_OnlyWhenItMakesCorrelationsContradictory()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();
        Assert.Equal(0, (await (await client.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("warnings").GetArrayLength());

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/scenarios/{id}/correlations")
        {
            Content = TestApi.Json(JsonNode.Parse(ContradictoryGold())!["correlations"]!.ToJsonString()),
        };
        put.Headers.IfMatch.Add(etag);
        var response = await client.SendAsync(put);

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("smallest eigenvalue -0.8", Assert.Single(response.Headers.GetValues("CalMiner-Warning")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Is422NamingTheProblemAndRunsWhenRepairIsAsked_OnContradictoryCorrelations()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync(ContradictoryGold());

        var refused = await (await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 1000 }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["correlations"], refused.ErrorPaths());
        var detail = refused.GetProperty("detail").GetString()!;
        Assert.Contains("smallest eigenvalue -0.8", detail, StringComparison.Ordinal);
        Assert.Contains("\"repairCorrelations\": true", detail, StringComparison.Ordinal);
        var runs = await (await client.GetAsync($"/api/scenarios/{id}/simulations")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, runs.GetArrayLength());

        var response = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 1000, repairCorrelations = true });
        var run = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("repairCorrelations").GetBoolean());
        var results = run.GetProperty("results");
        Assert.True(results.GetProperty("correlationsRepaired").GetBoolean());
        Assert.InRange(results.GetProperty("correlationsMaxChange").GetDouble(), 0.01, 1);
    }

    [Fact]
    public async Task LargeRepairedRun_IsQueuedWithItsRepairOption_AndCompletes()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync(ContradictoryGold());

        var response = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 30_000, repairCorrelations = true });
        await response.ExpectAsync(HttpStatusCode.Accepted);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var run = await (await client.GetAsync(response.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
        while (run.GetProperty("status").GetString() is "queued" or "running" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            run = await (await client.GetAsync(response.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
        }

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("results").GetProperty("correlationsRepaired").GetBoolean());
    }

    [Fact]
    public async Task Results_CarryEveryFieldOfTheClisJson_SecondsIncludedAndSamplingAsTheDocumentSpellsIt()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var run = await (await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 500, sampling = "monteCarlo" }))
            .ExpectAsync(HttpStatusCode.Created);

        var results = run.GetProperty("results");
        Assert.Equal(
            ["iterations", "seed", "sampling", "seconds", "stoppedEarly", "correlationsRepaired", "correlationsMaxChange", "outputs", "sensitivity", "tornado", "spider", "convergence"],
            results.EnumerateObject().Select(p => p.Name));
        Assert.InRange(results.GetProperty("seconds").GetDouble(), 0.0, 60.0);
        Assert.Equal("monteCarlo", results.GetProperty("sampling").GetString());
        Assert.Equal("monteCarlo", run.GetProperty("sampling").GetString());
        var listed = await (await client.GetAsync($"/api/scenarios/{id}/simulations")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("monteCarlo", listed[0].GetProperty("sampling").GetString());
    }

    [Theory]
    [InlineData("{\"scenarioId\": SCENARIO, \"repairCorrelation\": true}", "$.repairCorrelation", "repairCorrelation is not a field of this request.")]
    [InlineData("{\"scenarioId\": SCENARIO, \"iterations\": \"many\"}", "$.iterations", "iterations must be a whole number.")]
    [InlineData("{\"scenarioId\": SCENARIO, \"repairCorrelations\": \"yes\"}", "$.repairCorrelations", "repairCorrelations must be true or false.")]
    [InlineData("{\"iterations\": 10}", "$", "scenarioId is required.")]
    [InlineData("", "$", "The request has no body: send it as JSON.")]
    public async Task BadRequestBodies_AreDescribed_WithoutNamingADotnetType(string body, string path, string message)
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var response = await client.PostAsync("/api/simulations/run", TestApi.Json(body.Replace("SCENARIO", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([path], problem.ErrorPaths());
        Assert.Equal(message, problem.GetProperty("detail").GetString());
        var text = problem.GetRawText();
        Assert.DoesNotContain("CalMiner.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AntiforgeryToken_HasOneName_AtSignInAndAtItsOwnEndpoint()
    {
        using var browser = app.Browser();
        var login = await (await browser.PostAsJsonAsync("/api/auth/login", new { email = CalMinerWebApp.AdminEmail, password = CalMinerWebApp.AdminPassword })).ExpectAsync(HttpStatusCode.OK);
        var fresh = await (await browser.GetAsync("/api/auth/antiforgery")).ExpectAsync(HttpStatusCode.OK);

        Assert.False(string.IsNullOrEmpty(login.GetProperty("antiforgeryToken").GetString()));
        Assert.False(string.IsNullOrEmpty(fresh.GetProperty("antiforgeryToken").GetString()));
        Assert.False(fresh.TryGetProperty("token", out _));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("W/\"1\"")]
    [InlineData("\"1\"")]
    public async Task IfMatch_TakesTheCurrentVersion_QuotedBareOrWeak(string tag)
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/scenarios/{id}") { Content = TestApi.Json(TestApi.GoldJson()) };
        put.Headers.TryAddWithoutValidation("If-Match", tag);
        var response = await client.SendAsync(put);

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task StaleIfMatch_Is412_AndSaysHowTheCurrentETagIsWritten()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/scenarios/{id}") { Content = TestApi.Json(TestApi.GoldJson()) };
        put.Headers.TryAddWithoutValidation("If-Match", "7");
        var problem = await (await client.SendAsync(put)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Contains("If-Match: \"1\"", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/nothing-here")]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("GET", "/api/scenarios/not-a-number")]
    [InlineData("POST", "/api/scenarios/1/nothing-here")]
    [InlineData("GET", "/api/users/1/nothing-here")]
    public async Task UnknownPaths_Are404_ForAnonymousCallersToo(string method, string path)
    {
        using var anonymous = app.Anonymous();
        using var signedIn = await app.ClientAsync(UserRole.Viewer);

        var problem = await (await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await signedIn.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.DoesNotContain("scenario", problem.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/scenarios/987654321")]
    [InlineData("/api/simulations/987654321")]
    [InlineData("/api/users/987654321")]
    public async Task ExistingEndpoints_Stay401ForAnonymousCallers_WhetherOrNotTheItemExists(string path)
    {
        using var anonymous = app.Anonymous();

        await (await anonymous.GetAsync(path)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }
}
