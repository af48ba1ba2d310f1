using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class ScenarioEndpointTests(CalMinerWebApp app)
{
    [Fact]
    public async Task Create_Answers201_WithLocationETagAndTheStoredDocument()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var response = await client.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()));
        var body = await response.ExpectAsync(HttpStatusCode.Created);

        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/scenarios/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("Gold open pit - base case", body.GetProperty("document").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_ReturnsTheScenario_And304WhenTheETagIsCurrent()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        var response = await viewer.GetAsync($"/api/scenarios/{id}");
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, body.GetProperty("id").GetInt64());
        Assert.Equal(etag, response.Headers.ETag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/scenarios/{id}");
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await viewer.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Replace_SavesANewVersion_WithTheCurrentETag()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();

        var response = await PutAsync(client, id, Renamed("Renamed"), etag);
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("version").GetInt32());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal("Renamed", body.GetProperty("document").GetProperty("name").GetString());
    }

    [Fact]
    public async Task StaleWrite_Is412_AndChangesNothing()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, first) = await client.CreateScenarioAsync();
        (await PutAsync(client, id, Renamed("Second"), first)).EnsureSuccessStatusCode();

        var stale = await PutAsync(client, id, Renamed("Lost update"), first);
        var problem = await stale.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt32());

        var current = await (await client.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal("Second", current.GetProperty("document").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Replace_Is428_WithoutIfMatch()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();
        var response = await client.PutAsync($"/api/scenarios/{id}", TestApi.Json(Renamed("x")));
        await response.ExpectProblemAsync(HttpStatusCode.PreconditionRequired);
    }

    [Fact]
    public async Task InvalidScenario_Is422_NamingEachBadField()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var document = JsonNode.Parse(TestApi.GoldJson())!;
        document["discountRate"] = -2;
        document["products"]![0]!["recovery"] = 1.5;

        var problem = await (await client.PostAsync("/api/scenarios", TestApi.Json(document.ToJsonString()))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var paths = problem.ErrorPaths();
        Assert.Contains(paths, p => p.Contains("discountRate", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.Contains("products[0].recovery", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Name_Is422NotADatabaseError_WhenItHoldsANul()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var problem = await (await client.PostAsync("/api/scenarios", TestApi.Json(Renamed("Gold\u0000pit")))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["name"], problem.ErrorPaths());
    }

    [Fact]
    public async Task MalformedJson_Is400_WithThePathOfTheBadValue()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var document = JsonNode.Parse(TestApi.GoldJson())!;
        document["periods"] = "ten";

        var problem = await (await client.PostAsync("/api/scenarios", TestApi.Json(document.ToJsonString()))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.ErrorPaths(), p => p.Contains("periods", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Body_Is415WhenNotJson_And413WhenOverTheLimit()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var text = new StringContent(TestApi.GoldJson(), System.Text.Encoding.UTF8, "text/plain");
        await (await client.PostAsync("/api/scenarios", text)).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);

        // Asking to continue first, as a careful client does: the server refuses on the declared length, before the
        // body is sent, so the client never writes into a connection the server has closed.
        var huge = TestApi.Json("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/scenarios") { Content = huge };
        request.Headers.ExpectContinue = true;
        await (await client.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task List_PagesAndSearches_AndRefusesAPageOverTheCap()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var marker = Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < 3; i++)
        {
            await client.CreateScenarioAsync(Renamed($"Listed {marker} {i}"));
        }

        var page = await (await client.GetAsync($"/api/scenarios?search={marker}&limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());

        var problem = await (await client.GetAsync("/api/scenarios?limit=51")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["limit"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Delete_RemovesTheScenario()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        await (await client.DeleteCurrentAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteCurrentAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DocumentDownload_IsThePureScenarioDocument()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var response = await client.GetAsync($"/api/scenarios/{id}/document");
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var downloaded = CalMiner.Scenarios.ScenarioDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(CalMiner.Scenarios.ScenarioDocument.Parse(TestApi.GoldJson()), downloaded);
    }

    private static string Renamed(string name)
    {
        var document = JsonNode.Parse(TestApi.GoldJson())!;
        document["name"] = name;
        return document.ToJsonString();
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, long id, string json, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/scenarios/{id}") { Content = TestApi.Json(json) };
        request.Headers.IfMatch.Add(etag);
        return client.SendAsync(request);
    }
}
