using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>
/// Calls every operation of /openapi/v1.json against the running app (the way through each, and
/// the error answers that are easy to provoke) and checks every answer against the document: its
/// status code must be declared, its media type too, and its JSON must match the declared schema.
/// So the document cannot drift from what the code does.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class OpenApiContractTests(CalMinerWebApp app)
{
    [Fact]
    public async Task EveryOperation_AnswersAsTheDocumentDeclares()
    {
        using var anonymous = app.Anonymous();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var contract = new OpenApiContract(document);

        var (_, adminKey) = await app.NewUserWithKeyAsync(UserRole.Admin);
        var (_, analystKey) = await app.NewUserWithKeyAsync(UserRole.Analyst);
        var (_, viewerKey) = await app.NewUserWithKeyAsync(UserRole.Viewer);
        using var admin = contract.Client(app, c => c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey));
        using var analyst = contract.Client(app, c => c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", analystKey));
        using var viewer = contract.Client(app, c => c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", viewerKey));
        using var nobody = contract.Client(app);
        using var browser = contract.Client(app);

        await AuthenticationAsync(nobody, browser, analyst);
        await KeysAndUsersAsync(admin, viewer);
        var id = await ScenariosAsync(analyst, viewer);
        await SectionsAsync(analyst, id);
        await HistoryAndCopiesAsync(analyst, id);
        await MaintenanceAsync(analyst, id);
        await EvaluationsAsync(analyst, id);
        await SimulationsAsync(analyst, id);
        await WorkspacesAsync(admin, analyst, viewer);
        await (await analyst.DeleteCurrentAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await analyst.DeleteCurrentAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.True(contract.Failures.Count == 0, "Answers against the document:\n" + string.Join("\n", contract.Failures));
        var uncalled = contract.All.Select(o => o.Key).Where(key => !contract.Called.ContainsKey(key)).ToList();
        Assert.True(uncalled.Count == 0, "Operations never called: " + string.Join(", ", uncalled));
        var neverSucceeded = contract.Called.Where(c => !c.Value.Any(s => s is >= 200 and < 300)).Select(c => c.Key).ToList();
        Assert.True(neverSucceeded.Count == 0, "Operations never answered with success: " + string.Join(", ", neverSucceeded));
    }

    private static async Task AuthenticationAsync(HttpClient nobody, HttpClient browser, HttpClient analyst)
    {
        await (await nobody.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await nobody.PostAsync("/api/auth/login", TestApi.Json("""{"email":"nobody@example.com","password":"wrong password"}""")))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await nobody.PostAsync("/api/auth/login", TestApi.Json("""{"email":1}"""))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        var signedIn = await (await browser.PostAsync("/api/auth/login", TestApi.Json(JsonSerializer.Serialize(new
        {
            email = CalMinerWebApp.AdminEmail,
            password = CalMinerWebApp.AdminPassword,
        })))).ExpectAsync(HttpStatusCode.OK);
        await (await browser.GetAsync("/api/auth/me")).ExpectAsync(HttpStatusCode.OK);
        var antiforgery = await (await browser.GetAsync("/api/auth/antiforgery")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Undefined, signedIn.ValueKind);
        await (await browser.PostAsync("/api/auth/logout", null)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add(antiforgery.GetProperty("header").GetString()!, antiforgery.GetProperty("antiforgeryToken").GetString());
        await (await browser.SendAsync(logout)).ExpectAsync(HttpStatusCode.NoContent);

        await (await analyst.GetAsync("/api/auth/me")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync("/api/auth/antiforgery")).ExpectProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task KeysAndUsersAsync(HttpClient admin, HttpClient viewer)
    {
        var key = await (await viewer.PostAsync("/api/keys", TestApi.Json("""{"name":"contract"}"""))).ExpectAsync(HttpStatusCode.Created);
        await (await viewer.PostAsync("/api/keys", TestApi.Json("""{"name":""}"""))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await viewer.PostAsync("/api/keys", new StringContent("name", Encoding.UTF8, "text/plain"))).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await viewer.GetAsync("/api/keys")).ExpectAsync(HttpStatusCode.OK);
        var keyId = key.GetProperty("id").GetInt64();
        await (await viewer.DeleteAsync($"/api/keys/{keyId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await viewer.DeleteAsync($"/api/keys/{keyId}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        await (await viewer.GetAsync("/api/users")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.GetAsync("/api/users")).ExpectAsync(HttpStatusCode.OK);
        var email = $"contract-{Guid.NewGuid():N}@example.com";
        var user = await (await admin.PostAsync("/api/users", TestApi.Json($$"""{"email":"{{email}}","role":"viewer","password":"a long enough password"}""")))
            .ExpectAsync(HttpStatusCode.Created);
        await (await admin.PostAsync("/api/users", TestApi.Json($$"""{"email":"{{email}}","role":"viewer"}"""))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsync("/api/users", TestApi.Json("""{"email":"x@example.com","role":"king"}"""))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var userId = user.GetProperty("id").GetInt64();
        await (await admin.GetAsync($"/api/users/{userId}")).ExpectAsync(HttpStatusCode.OK);
        await (await admin.GetAsync("/api/users/999999999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PutAsync($"/api/users/{userId}/role", TestApi.Json("""{"role":"analyst"}"""))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutAsync("/api/users/999999999/role", TestApi.Json("""{"role":"analyst"}"""))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PutAsync($"/api/users/{userId}/password", TestApi.Json("""{"password":"another long password"}"""))).ExpectAsync(HttpStatusCode.NoContent);
        await (await admin.PutAsync($"/api/users/{userId}/password", TestApi.Json("""{"password":"short"}"""))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var userKey = await (await admin.PostAsync($"/api/users/{userId}/keys", TestApi.Json("""{"name":"theirs"}"""))).ExpectAsync(HttpStatusCode.Created);
        await (await admin.GetAsync($"/api/users/{userId}/keys")).ExpectAsync(HttpStatusCode.OK);
        await (await admin.GetAsync("/api/users/999999999/keys")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/api/users/{userId}/keys/{userKey.GetProperty("id").GetInt64()}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync($"/api/users/{userId}/keys/999999999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/api/users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync($"/api/users/{userId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<long> ScenariosAsync(HttpClient analyst, HttpClient viewer)
    {
        var created = await analyst.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()));
        var scenario = await created.ExpectAsync(HttpStatusCode.Created);
        var id = scenario.GetProperty("id").GetInt64();
        await (await analyst.PostAsync("/api/scenarios", TestApi.Json(BrokenGold()))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await analyst.PostAsync("/api/scenarios", TestApi.Json("""{"name":"""))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.PostAsync("/api/scenarios", new StringContent("x", Encoding.UTF8, "text/plain"))).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await viewer.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.Forbidden);

        await (await viewer.GetAsync("/api/scenarios?sort=-updatedAt&limit=5")).ExpectAsync(HttpStatusCode.OK);
        await (await viewer.GetAsync("/api/scenarios?sort=size")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var read = await viewer.GetAsync($"/api/scenarios/{id}");
        await read.ExpectAsync(HttpStatusCode.OK);
        await (await SendAsync(viewer, HttpMethod.Get, $"/api/scenarios/{id}", ifNoneMatch: read.Headers.ETag)).ExpectAsync(HttpStatusCode.NotModified);
        await (await viewer.GetAsync("/api/scenarios/999999999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"/api/scenarios/{id}/document")).ExpectAsync(HttpStatusCode.OK);
        await (await viewer.GetAsync("/api/scenarios/999999999/document")).ExpectProblemAsync(HttpStatusCode.NotFound);

        var replaced = await SendAsync(analyst, HttpMethod.Put, $"/api/scenarios/{id}", TestApi.Json(TestApi.GoldJson()), ifMatch: read.Headers.ETag);
        await replaced.ExpectAsync(HttpStatusCode.OK);
        await (await SendAsync(analyst, HttpMethod.Put, $"/api/scenarios/{id}", TestApi.Json(TestApi.GoldJson()), ifMatch: read.Headers.ETag))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await analyst.PutAsync($"/api/scenarios/{id}", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync((HttpStatusCode)428);
        await (await SendAsync(analyst, HttpMethod.Put, "/api/scenarios/999999999", TestApi.Json(TestApi.GoldJson()), ifMatch: read.Headers.ETag))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await SendAsync(analyst, HttpMethod.Put, $"/api/scenarios/{id}", TestApi.Json(BrokenGold()), ifMatch: replaced.Headers.ETag))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await SendAsync(analyst, HttpMethod.Delete, $"/api/scenarios/{id}", ifMatch: read.Headers.ETag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        return id;
    }

    private static async Task SectionsAsync(HttpClient analyst, long id)
    {
        foreach (var section in new[] { "parameters", "products", "schedule", "costs", "consumables", "equipment", "capital", "royalties", "tax", "working-capital", "correlations", "factors", "simulation" })
        {
            var read = await analyst.GetAsync($"/api/scenarios/{id}/{section}");
            var body = await read.Content.ReadAsStringAsync();
            await read.ExpectAsync(HttpStatusCode.OK);
            await (await SendAsync(analyst, HttpMethod.Get, $"/api/scenarios/{id}/{section}", ifNoneMatch: read.Headers.ETag)).ExpectAsync(HttpStatusCode.NotModified);
            await (await SendAsync(analyst, HttpMethod.Put, $"/api/scenarios/{id}/{section}", TestApi.Json(body), ifMatch: read.Headers.ETag)).ExpectAsync(HttpStatusCode.OK);
            await (await analyst.PutAsync($"/api/scenarios/{id}/{section}", TestApi.Json(body))).ExpectProblemAsync((HttpStatusCode)428);
        }

        await (await analyst.GetAsync("/api/scenarios/999999999/products")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var current = await analyst.GetAsync($"/api/scenarios/{id}");
        await current.ExpectAsync(HttpStatusCode.OK);
        await (await SendAsync(analyst, HttpMethod.Put, $"/api/scenarios/{id}/products", TestApi.Json("[]"), ifMatch: current.Headers.ETag))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await SendAsync(analyst, HttpMethod.Put, $"/api/scenarios/{id}/products", TestApi.Json("[{\"nope\":1}"), ifMatch: current.Headers.ETag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await SendAsync(analyst, HttpMethod.Put, $"/api/scenarios/{id}/tax", TestApi.Json("{}"), ifMatch: new EntityTagHeaderValue("\"1\"")))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    private static async Task HistoryAndCopiesAsync(HttpClient analyst, long id)
    {
        await (await analyst.GetAsync($"/api/scenarios/{id}/versions")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync("/api/scenarios/999999999/versions")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync($"/api/scenarios/{id}/versions/compare?from=1&to=2")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/scenarios/{id}/versions/compare?from=one&to=2")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.GetAsync($"/api/scenarios/{id}/versions/compare?from=1&to=999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync($"/api/scenarios/{id}/versions/1")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/scenarios/{id}/versions/999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var current = await analyst.GetAsync($"/api/scenarios/{id}");
        await current.ExpectAsync(HttpStatusCode.OK);
        await (await analyst.PostAsync($"/api/scenarios/{id}/versions/1/restore", null)).ExpectProblemAsync((HttpStatusCode)428);
        await (await SendAsync(analyst, HttpMethod.Post, $"/api/scenarios/{id}/versions/999/restore", ifMatch: current.Headers.ETag)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await SendAsync(analyst, HttpMethod.Post, $"/api/scenarios/{id}/versions/1/restore", ifMatch: current.Headers.ETag)).ExpectAsync(HttpStatusCode.OK);

        var clone = await (await analyst.PostAsync($"/api/scenarios/{id}/clone", TestApi.Json("""{"name":"Contract copy"}"""))).ExpectAsync(HttpStatusCode.Created);
        await (await analyst.PostAsync($"/api/scenarios/{id}/clone", TestApi.Json("""{"name":" "}"""))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await analyst.PostAsync("/api/scenarios/999999999/clone", TestApi.Json("{}"))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.DeleteCurrentAsync($"/api/scenarios/{clone.GetProperty("id").GetInt64()}")).ExpectAsync(HttpStatusCode.NoContent);

        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(TestApi.GoldJson())), "file", "gold.json");
        var imported = await (await analyst.PostAsync("/api/scenarios/import", form)).ExpectAsync(HttpStatusCode.Created);
        await (await analyst.DeleteCurrentAsync($"/api/scenarios/{imported.GetProperty("id").GetInt64()}")).ExpectAsync(HttpStatusCode.NoContent);
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        await (await analyst.PostAsync("/api/scenarios/import", empty)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.PostAsync("/api/scenarios/import", TestApi.Json(BrokenGold()))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await analyst.PostAsync("/api/scenarios/import", new StringContent("x", Encoding.UTF8, "text/plain"))).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    private static async Task MaintenanceAsync(HttpClient analyst, long id)
    {
        var gold = JsonNode.Parse(TestApi.GoldJson())!;
        var fleet = gold["equipment"]![0]!["name"]!.GetValue<string>();
        var year = gold["startYear"]!.GetValue<int>() + 1;
        var entry = JsonSerializer.Serialize(new
        {
            equipment = fleet,
            start = new DateTimeOffset(year, 3, 1, 6, 0, 0, TimeSpan.Zero),
            end = new DateTimeOffset(year, 3, 1, 18, 0, 0, TimeSpan.Zero),
            kind = "unplanned",
            cost = 12_500.0,
            description = "Hydraulic hose",
        });
        var added = await (await analyst.PostAsync($"/api/scenarios/{id}/maintenance", TestApi.Json(entry))).ExpectAsync(HttpStatusCode.Created);
        var logId = added.GetProperty("id").GetInt64();
        await (await analyst.PostAsync($"/api/scenarios/{id}/maintenance", TestApi.Json(entry.Replace(fleet, "No such fleet", StringComparison.Ordinal))))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await analyst.PostAsync("/api/scenarios/999999999/maintenance", TestApi.Json(entry))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance?equipment={Uri.EscapeDataString(fleet)}")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance?period=99")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.GetAsync("/api/scenarios/999999999/maintenance")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance/kpis?equipment={Uri.EscapeDataString(fleet)}&period=1")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance/kpis?equipment={Uri.EscapeDataString(fleet)}")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance/kpis")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance/{logId}")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance/999999999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.PutAsync($"/api/scenarios/{id}/maintenance/{logId}", TestApi.Json(entry.Replace("unplanned", "planned", StringComparison.Ordinal))))
            .ExpectAsync(HttpStatusCode.OK);
        await (await analyst.PutAsync($"/api/scenarios/{id}/maintenance/{logId}", TestApi.Json(entry.Replace("12500", "-1", StringComparison.Ordinal))))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await analyst.PutAsync($"/api/scenarios/{id}/maintenance/999999999", TestApi.Json(entry))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.DeleteAsync($"/api/scenarios/{id}/maintenance/{logId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await analyst.DeleteAsync($"/api/scenarios/{id}/maintenance/{logId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task EvaluationsAsync(HttpClient analyst, long id)
    {
        await (await analyst.GetAsync($"/api/compare?ids={id}")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync("/api/compare?ids=one")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.GetAsync("/api/compare?ids=999999999")).ExpectProblemAsync(HttpStatusCode.NotFound);

        var json = await analyst.GetAsync($"/api/scenarios/{id}/cashflow");
        await json.ExpectAsync(HttpStatusCode.OK);
        await (await SendAsync(analyst, HttpMethod.Get, $"/api/scenarios/{id}/cashflow", ifNoneMatch: json.Headers.ETag)).ExpectAsync(HttpStatusCode.NotModified);
        await (await analyst.GetAsync($"/api/scenarios/{id}/cashflow?format=csv")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/scenarios/{id}/cashflow?format=xlsx")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/scenarios/{id}/cashflow?format=pdf")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.GetAsync("/api/scenarios/999999999/cashflow")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task SimulationsAsync(HttpClient analyst, long id)
    {
        var run = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 500, seed = 7 })).ExpectAsync(HttpStatusCode.Created);
        var runId = run.GetProperty("id").GetInt64();
        await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = 999_999_999 })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 0 })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.GetAsync($"/api/simulations/{runId}")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync("/api/simulations/999999999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync($"/api/simulations/{runId}/results")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/simulations/{runId}/results?format=xlsx")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/simulations/{runId}/results?format=pdf")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.GetAsync("/api/simulations/999999999/results")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync($"/api/simulations/{runId}/samples")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync("/api/simulations/999999999/samples")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var kept = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 500, seed = 8 })).ExpectAsync(HttpStatusCode.Created);
        var keptId = kept.GetProperty("id").GetInt64();
        await (await analyst.DeleteAsync($"/api/simulations/{keptId}/samples")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.DeleteAsync($"/api/simulations/{keptId}/samples")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await analyst.DeleteAsync("/api/simulations/999999999/samples")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync($"/api/simulations/{keptId}/samples")).ExpectProblemAsync(HttpStatusCode.Gone);
        await (await analyst.PostAsync($"/api/simulations/{runId}/cancel", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await analyst.PostAsync("/api/simulations/999999999/cancel", null)).ExpectProblemAsync(HttpStatusCode.NotFound);

        // Over the inline limit: queued (202), then cancelled before or while it runs. A hundred-period mine, so that
        // the run takes seconds and the cancel, sent at once, always finds it unfinished.
        var (longId, _) = await analyst.CreateScenarioAsync(TestApi.HundredPeriodGold());
        var queued = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = longId, iterations = 2_000_000 })).ExpectAsync(HttpStatusCode.Accepted);
        var queuedId = queued.GetProperty("id").GetInt64();
        await (await analyst.PostAsync($"/api/simulations/{queuedId}/cancel", null)).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/simulations/{queuedId}/samples")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await analyst.GetAsync($"/api/simulations/{queuedId}/results")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await analyst.GetAsync($"/api/scenarios/{id}/simulations")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync("/api/scenarios/999999999/simulations")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task WorkspacesAsync(HttpClient admin, HttpClient analyst, HttpClient viewer)
    {
        await (await analyst.GetAsync("/api/workspaces")).ExpectAsync(HttpStatusCode.OK);
        var name = $"Contract {Guid.NewGuid():N}";
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name })).ExpectAsync(HttpStatusCode.Created);
        var workspace = created.GetProperty("id").GetInt64();
        await (await admin.PostAsJsonAsync("/api/workspaces", new { name })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsJsonAsync("/api/workspaces", new { name = " " })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await analyst.PostAsJsonAsync("/api/workspaces", new { name = name + "!" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.GetAsync($"/api/workspaces/{workspace}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/workspaces/{workspace}")).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync($"/api/workspaces/{workspace}", new { name = name + " renamed" })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync("/api/workspaces/999999999", new { name = name + " elsewhere" })).ExpectProblemAsync(HttpStatusCode.NotFound);

        var analystId = (await (await analyst.GetAsync("/api/auth/me")).ExpectAsync(HttpStatusCode.OK)).GetProperty("id").GetInt64();
        await (await admin.PutAsJsonAsync($"/api/workspaces/{workspace}/members/{analystId}", new { role = "owner" })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync($"/api/workspaces/{workspace}/members/999999999", new { role = "owner" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync($"/api/workspaces/{workspace}/members")).ExpectAsync(HttpStatusCode.OK);
        await (await viewer.GetAsync($"/api/workspaces/{WorkspaceRepository.DefaultId}/members")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var scenario = await (await analyst.PostAsync($"/api/scenarios?workspace={workspace}", TestApi.Json(TestApi.GoldJson()))).ExpectAsync(HttpStatusCode.Created);
        var scenarioId = scenario.GetProperty("id").GetInt64();
        await (await analyst.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await analyst.DeleteCurrentAsync($"/api/scenarios/{scenarioId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await analyst.GetAsync($"/api/workspaces/{workspace}/deleted-scenarios")).ExpectAsync(HttpStatusCode.OK);
        await (await viewer.GetAsync($"/api/workspaces/{WorkspaceRepository.DefaultId}/deleted-scenarios")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.PostAsync($"/api/workspaces/{workspace}/deleted-scenarios/{scenarioId}/restore", null)).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.PostAsync($"/api/workspaces/{workspace}/deleted-scenarios/{scenarioId}/restore", null)).ExpectProblemAsync(HttpStatusCode.NotFound);

        await (await analyst.GetAsync($"/api/workspaces/{workspace}/audit?action=scenario.&limit=10")).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.GetAsync($"/api/workspaces/{workspace}/audit?since=yesterday")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await viewer.GetAsync($"/api/workspaces/{WorkspaceRepository.DefaultId}/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.GetAsync("/api/workspaces/999999999/audit")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/audit?workspace={workspace}&since=2020-01-01T00:00:00Z")).ExpectAsync(HttpStatusCode.OK);
        await (await admin.GetAsync("/api/audit?limit=0")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await analyst.GetAsync("/api/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        await (await admin.DeleteAsync($"/api/workspaces/{workspace}/members/{analystId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync($"/api/workspaces/{workspace}/members/{analystId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }


    // Well-formed, but a scenario must have at least one period.
    private static string BrokenGold()
    {
        var gold = JsonNode.Parse(TestApi.GoldJson())!;
        gold["periods"] = 0;
        return gold.ToJsonString();
    }

    private static Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string path, HttpContent? content = null, EntityTagHeaderValue? ifMatch = null, EntityTagHeaderValue? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }

        return client.SendAsync(request);
    }
}
