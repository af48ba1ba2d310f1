using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class ScenarioHistoryEndpointTests(CalMinerWebApp app)
{
    [Fact]
    public async Task Versions_ListWhoSavedWhatNewestFirst_AndEachCanBeRead()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();
        (await PutAsync(client, $"/api/scenarios/{id}", Renamed("Second"), etag)).EnsureSuccessStatusCode();

        var versions = await (await client.GetAsync($"/api/scenarios/{id}/versions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(["name"], versions[0].GetProperty("changedPaths").EnumerateArray().Select(p => p.GetString()));
        Assert.EndsWith("@example.com", versions[0].GetProperty("savedBy").GetString(), StringComparison.Ordinal);

        var first = await (await client.GetAsync($"/api/scenarios/{id}/versions/1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal(ScenarioDocument.Parse(TestApi.GoldJson()), ScenarioDocument.Parse(first.GetProperty("document").GetRawText()));

        await (await client.GetAsync($"/api/scenarios/{id}/versions/3")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var versions2 = await client.GetAsync($"/api/scenarios/{id}");
        (await PutAsync(client, $"/api/scenarios/{id}", Renamed("Third"), versions2.Headers.ETag!)).EnsureSuccessStatusCode();
        var third = await (await client.GetAsync($"/api/scenarios/{id}/versions/3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Third", third.GetProperty("document").GetProperty("name").GetString());
        await (await client.GetAsync("/api/scenarios/999999999/versions")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/scenarios/999999999/versions/1")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Compare_ListsTheChangesByPath_AndNamesBadParameters()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();
        (await PutAsync(client, $"/api/scenarios/{id}", Renamed("Second"), etag)).EnsureSuccessStatusCode();

        var comparison = await (await client.GetAsync($"/api/scenarios/{id}/versions/compare?from=1&to=2")).ExpectAsync(HttpStatusCode.OK);
        var change = Assert.Single(comparison.GetProperty("changes").EnumerateArray());
        Assert.Equal("name", change.GetProperty("path").GetString());
        Assert.Contains("Second", change.GetProperty("after").GetString(), StringComparison.Ordinal);

        var bad = await (await client.GetAsync($"/api/scenarios/{id}/versions/compare?from=x")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["from", "to"], bad.ErrorPaths().Order(StringComparer.Ordinal));
        await (await client.GetAsync($"/api/scenarios/{id}/versions/compare?from=1&to=9")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Restore_SavesTheOldContentAsANewVersion_UnderIfMatch()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();
        var second = await PutAsync(client, $"/api/scenarios/{id}", Renamed("Second"), etag);
        second.EnsureSuccessStatusCode();

        await (await client.PostAsync($"/api/scenarios/{id}/versions/1/restore", null)).ExpectProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await PostAsync(client, $"/api/scenarios/{id}/versions/1/restore", etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await PostAsync(client, $"/api/scenarios/{id}/versions/7/restore", second.Headers.ETag!)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var restored = await PostAsync(client, $"/api/scenarios/{id}/versions/1/restore", second.Headers.ETag!);
        var body = await restored.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, body.GetProperty("version").GetInt32());
        Assert.Equal("\"3\"", restored.Headers.ETag?.Tag);
        Assert.Equal(ScenarioDocument.Parse(TestApi.GoldJson()), ScenarioDocument.Parse(body.GetProperty("document").GetRawText()));

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(viewer, $"/api/scenarios/{id}/versions/1/restore", restored.Headers.ETag!)).StatusCode);
    }

    [Fact]
    public async Task Clone_CopiesTheLatestVersion_WithAnOptionalName()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var unnamed = await client.PostAsync($"/api/scenarios/{id}/clone", null);
        var copy = await unnamed.ExpectAsync(HttpStatusCode.Created);
        var copyId = copy.GetProperty("id").GetInt64();
        Assert.NotEqual(id, copyId);
        Assert.Equal($"/api/scenarios/{copyId}", unnamed.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", unnamed.Headers.ETag?.Tag);
        Assert.Equal("Gold open pit - base case (copy)", copy.GetProperty("document").GetProperty("name").GetString());

        var named = await (await client.PostAsync($"/api/scenarios/{id}/clone", TestApi.Json("{\"name\": \"High case\"}"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("High case", named.GetProperty("document").GetProperty("name").GetString());

        var blank = await (await client.PostAsync($"/api/scenarios/{id}/clone", TestApi.Json("{\"name\": \"  \"}"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["name"], blank.ErrorPaths());
        var unknown = await (await client.PostAsync($"/api/scenarios/{id}/clone", TestApi.Json("{\"title\": \"x\"}"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(unknown.ErrorPaths(), p => p.Contains("title", StringComparison.Ordinal));
        await (await client.PostAsync("/api/scenarios/999999999/clone", null)).ExpectProblemAsync(HttpStatusCode.NotFound);

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/scenarios/{id}/clone", null)).StatusCode);
    }

    [Fact]
    public async Task Import_AcceptsAnUploadedFileOrRawJson()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(TestApi.GoldJson())]);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(file, "file", "gold-open-pit.json");

        var uploaded = await client.PostAsync("/api/scenarios/import", form);
        var body = await uploaded.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/scenarios/{body.GetProperty("id").GetInt64()}", uploaded.Headers.Location?.OriginalString);
        Assert.Equal(ScenarioDocument.Parse(TestApi.GoldJson()), ScenarioDocument.Parse(body.GetProperty("document").GetRawText()));

        var raw = await client.PostAsync("/api/scenarios/import", TestApi.Json(TestApi.GoldJson()));
        await raw.ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Import_RefusesAMissingFileAnInvalidDocumentAndOtherMediaTypes()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var missing = await (await client.PostAsync("/api/scenarios/import", empty)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["file"], missing.ErrorPaths());

        var document = JsonNode.Parse(TestApi.GoldJson())!;
        document["discountRate"] = -1;
        using var invalid = new MultipartFormDataContent { { new StringContent(document.ToJsonString()), "file", "bad.json" } };
        var problem = await (await client.PostAsync("/api/scenarios/import", invalid)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(problem.ErrorPaths(), p => p.StartsWith("discountRate", StringComparison.Ordinal));

        var text = new StringContent(TestApi.GoldJson(), Encoding.UTF8, "text/plain");
        await (await client.PostAsync("/api/scenarios/import", text)).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/scenarios/import", TestApi.Json(TestApi.GoldJson()))).StatusCode);
    }

    private static string Renamed(string name)
    {
        var document = JsonNode.Parse(TestApi.GoldJson())!;
        document["name"] = name;
        return document.ToJsonString();
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string path, string json, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = TestApi.Json(json) };
        request.Headers.IfMatch.Add(etag);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.IfMatch.Add(etag);
        return client.SendAsync(request);
    }
}
