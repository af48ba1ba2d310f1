using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class AuthenticationTests(CalMinerWebApp app)
{
    [Theory]
    [InlineData("GET", "/api/scenarios")]
    [InlineData("GET", "/api/scenarios/1")]
    [InlineData("POST", "/api/scenarios")]
    [InlineData("GET", "/api/auth/me")]
    public async Task AnonymousCallers_Get401(string method, string path)
    {
        using var client = app.Anonymous();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? TestApi.Json(TestApi.GoldJson()) : null });
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UnknownApiKey_Is401()
    {
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cm_not-a-key");
        await (await client.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(client.DefaultRequestHeaders.Authorization.Scheme, "Bearer", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewers_Read_ButGet403OnWrites()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await analyst.CreateScenarioAsync();

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        await (await viewer.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        await (await viewer.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.DeleteAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(etag, (await analyst.GetAsync($"/api/scenarios/{id}")).Headers.ETag);
    }

    [Fact]
    public async Task FirstAdmin_SignsInWithACookie_AndWritesWithTheAntiforgeryToken()
    {
        using var browser = app.Browser();
        var login = await browser.PostAsJsonAsync("/api/auth/login", new { email = CalMinerWebApp.AdminEmail, password = CalMinerWebApp.AdminPassword });
        var user = await login.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("admin", user.GetProperty("role").GetString());
        var token = user.GetProperty("antiforgeryToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));

        // Without the token a cookie-authenticated write is refused, and nothing is created.
        var forged = await browser.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()));
        var problem = await forged.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["X-CSRF-TOKEN"], problem.ErrorPaths());

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/scenarios") { Content = TestApi.Json(TestApi.GoldJson()) };
        request.Headers.Add("X-CSRF-TOKEN", token);
        await (await browser.SendAsync(request)).ExpectAsync(HttpStatusCode.Created);

        var me = await (await browser.GetAsync("/api/auth/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(CalMinerWebApp.AdminEmail, me.GetProperty("email").GetString());

        var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("X-CSRF-TOKEN", token);
        await (await browser.SendAsync(logout)).ExpectAsync(HttpStatusCode.NoContent);
        await (await browser.GetAsync("/api/auth/me")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WrongPasswordAndUnknownEmail_GetTheSame401()
    {
        using var client = app.Anonymous();
        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = CalMinerWebApp.AdminEmail, password = "not the password" });
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = "whatever it is" });
        var first = await wrong.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        var second = await unknown.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task UnknownEmail_TakesAsLongToRefuse_AsAWrongPassword()
    {
        // Hashing a password takes tens of milliseconds; a lookup that finds no account, one. Interleaved and taken
        // as medians, so that the host's other work weighs on both alike.
        using var client = app.Anonymous();
        var (wrong, unknown) = (new List<double>(), new List<double>());
        for (var i = 0; i < 9; i++)
        {
            wrong.Add(await SignInMillisecondsAsync(client, CalMinerWebApp.AdminEmail));
            unknown.Add(await SignInMillisecondsAsync(client, $"nobody-{i}@example.com"));
        }

        double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);
        Assert.True(
            Median(unknown) > Median(wrong) / 2,
            $"an unknown email is refused in {Median(unknown):F1} ms, a wrong password in {Median(wrong):F1} ms: the time tells which emails have accounts");
    }

    private static async Task<double> SignInMillisecondsAsync(HttpClient client, string email)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "not the password" });
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        return elapsed;
    }

    [Fact]
    public async Task LoginBody_Is400NamingTheField_WhenMissingOne()
    {
        using var client = app.Anonymous();
        var response = await client.PostAsync("/api/auth/login", TestApi.Json("{\"email\":\"a@example.com\"}"));
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("password", problem.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);
    }
}
