using System.Net;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class HostTests(CalMinerWebApp app)
{
    [Fact]
    public async Task LivenessAndReadiness_AnswerAnonymousCallers()
    {
        using var client = app.Anonymous();
        await (await client.GetAsync("/health/live")).ExpectAsync(HttpStatusCode.OK);
        var ready = await (await client.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        using var client = app.Anonymous();
        var document = await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/scenarios", out _));
        Assert.True(paths.TryGetProperty("/api/scenarios/{id}", out _));
        var reference = await client.GetAsync("/api/reference");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Browser_LandsOnTheApiReference_WhenOpeningTheHost()
    {
        using var client = app.Browser();
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.StartsWith("/api/reference", home.RequestMessage?.RequestUri?.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("text/html", home.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/scenarios", HttpStatusCode.Unauthorized)]
    [InlineData("/login", HttpStatusCode.NotFound)]
    [InlineData("/dashboard", HttpStatusCode.NotFound)]
    public async Task CallerWithoutCredentials_Gets401Or404ForAMissingPage_NeverARedirect(string path, HttpStatusCode status)
    {
        using var client = app.Browser();
        var response = await client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Responses_CarryTheSecurityHeaders()
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        var response = await client.GetAsync("/api/scenarios");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task UnknownPath_IsA404Problem_WithoutInternals()
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        var problem = await (await client.GetAsync("/api/no-such-thing")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("Exception", problem.ToString(), StringComparison.Ordinal);
    }
}
