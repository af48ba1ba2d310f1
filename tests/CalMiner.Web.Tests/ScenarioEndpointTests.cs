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
    public async Task Create_answers_201_with_location_etag_and_the_stored_document()
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
    public async Task Get_returns_the_scenario_and_304_when_the_etag_is_current()
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
    public async Task Replace_with_the_current_etag_saves_a_new_version()
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
    public async Task A_stale_write_is_412_and_changes_nothing()
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
    public async Task Replace_without_if_match_is_428()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();
        var response = await client.PutAsync($"/api/scenarios/{id}", TestApi.Json(Renamed("x")));
        await response.ExpectProblemAsync(HttpStatusCode.PreconditionRequired);
    }

    [Fact]
    public async Task An_invalid_scenario_is_422_naming_each_bad_field()
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
    public async Task A_nul_character_in_a_name_is_422_not_a_database_error()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var problem = await (await client.PostAsync("/api/scenarios", TestApi.Json(Renamed("Gold\u0000pit")))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["name"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Malformed_json_is_400_with_the_path_of_the_bad_value()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var document = JsonNode.Parse(TestApi.GoldJson())!;
        document["periods"] = "ten";

        var problem = await (await client.PostAsync("/api/scenarios", TestApi.Json(document.ToJsonString()))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.ErrorPaths(), p => p.Contains("periods", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_one_over_the_limit_is_413()
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
    public async Task List_pages_and_searches_and_refuses_a_page_over_the_cap()
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
    public async Task Delete_removes_the_scenario()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        await (await client.DeleteCurrentAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteCurrentAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_document_download_is_the_pure_scenario_document()
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
