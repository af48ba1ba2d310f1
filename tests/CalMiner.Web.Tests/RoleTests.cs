using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class RoleTests(CalMinerWebApp app)
{
    [Theory]
    [InlineData("GET", "/api/keys")]
    [InlineData("POST", "/api/keys")]
    [InlineData("DELETE", "/api/keys/1")]
    [InlineData("GET", "/api/users")]
    [InlineData("POST", "/api/users")]
    [InlineData("GET", "/api/users/1")]
    [InlineData("PUT", "/api/users/1/role")]
    [InlineData("PUT", "/api/users/1/password")]
    [InlineData("DELETE", "/api/users/1")]
    [InlineData("GET", "/api/users/1/keys")]
    [InlineData("POST", "/api/users/1/keys")]
    [InlineData("DELETE", "/api/users/1/keys/1")]
    [InlineData("PUT", "/api/scenarios/1")]
    [InlineData("DELETE", "/api/scenarios/1")]
    [InlineData("GET", "/api/scenarios/1/document")]
    [InlineData("POST", "/api/auth/logout")]
    [InlineData("GET", "/api/auth/antiforgery")]
    public async Task AnonymousCallers_Get401WithTheSecurityHeaders_OnEveryGroup(string method, string path)
    {
        using var client = app.Anonymous();
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" or "PUT" ? TestApi.Json("{}") : null };
        var response = await client.SendAsync(request);
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_ReadsAndManagesOwnKeys_ButGets403OnEveryScenarioWrite()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await analyst.CreateScenarioAsync();

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        await (await viewer.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        await (await viewer.GetAsync("/api/keys")).ExpectAsync(HttpStatusCode.OK);
        await (await viewer.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/scenarios/{id}") { Content = TestApi.Json(TestApi.GoldJson()) };
        put.Headers.IfMatch.Add(etag);
        await (await viewer.SendAsync(put)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.DeleteAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Analyst_WritesScenarios_ButNotUsers()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await analyst.CreateScenarioAsync();
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/scenarios/{id}") { Content = TestApi.Json(TestApi.GoldJson()) };
        put.Headers.IfMatch.Add(etag);
        await (await analyst.SendAsync(put)).ExpectAsync(HttpStatusCode.OK);
        await (await analyst.DeleteCurrentAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await analyst.GetAsync("/api/users")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Admin_WritesScenarios_AndManagesUsers()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        await admin.CreateScenarioAsync();
        await (await admin.GetAsync("/api/users")).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsJsonAsync("/api/users", new { email = $"made-{Guid.NewGuid():N}@example.com", role = "viewer" })).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CookieWrites_Are400OnKeysAndUsersToo_WithoutTheAntiforgeryToken()
    {
        using var browser = app.Browser();
        var login = await (await browser.PostAsJsonAsync("/api/auth/login", new { email = CalMinerWebApp.AdminEmail, password = CalMinerWebApp.AdminPassword })).ExpectAsync(HttpStatusCode.OK);
        var token = login.GetProperty("antiforgeryToken").GetString()!;

        var forgedKey = await browser.PostAsJsonAsync("/api/keys", new { name = "forged" });
        Assert.Equal(["X-CSRF-TOKEN"], (await forgedKey.ExpectProblemAsync(HttpStatusCode.BadRequest)).ErrorPaths());
        var forgedUser = await browser.PostAsJsonAsync("/api/users", new { email = $"forged-{Guid.NewGuid():N}@example.com", role = "admin" });
        Assert.Equal(["X-CSRF-TOKEN"], (await forgedUser.ExpectProblemAsync(HttpStatusCode.BadRequest)).ErrorPaths());
        var wrongToken = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { name = "forged" }) };
        wrongToken.Headers.Add("X-CSRF-TOKEN", "not-the-token");
        await (await browser.SendAsync(wrongToken)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        var genuine = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { name = "from the browser" }) };
        genuine.Headers.Add("X-CSRF-TOKEN", token);
        await (await browser.SendAsync(genuine)).ExpectAsync(HttpStatusCode.Created);
        var keys = await (await browser.GetAsync("/api/keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(keys.EnumerateArray(), k => k.GetProperty("name").GetString() == "forged");
    }

    [Fact]
    public async Task BearerHeader_Is401Not500_WhenNotAKey()
    {
        using var client = app.Anonymous();
        foreach (var value in new[] { "Bearer", "Bearer " + new string('x', 5000), "Basic dXNlcjpwYXNz", "Bearer cm_'; DROP TABLE app_user; --" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/scenarios");
            request.Headers.TryAddWithoutValidation("Authorization", value);
            await (await client.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }
    }
}
