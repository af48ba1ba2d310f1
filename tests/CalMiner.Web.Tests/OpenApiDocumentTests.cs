using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>
/// /openapi/v1.json as clients and the reference page use it: it passes an OpenAPI linter, every
/// operation is described and secured, and the reference page loads nothing from outside the app.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed partial class OpenApiDocumentTests(CalMinerWebApp app)
{
    [Fact]
    public async Task Document_PassesTheOpenApiLinter()
    {
        var lintFolder = Path.Combine(CalMiner.Tests.RepositoryRoot.Path, "tests", "openapi");
        var redocly = Path.Combine(lintFolder, "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"The OpenAPI linter is not installed in {lintFolder}: run the tests with `bash scripts/test.sh` (it runs `npm ci --prefix tests/openapi`).");

        using var client = app.Anonymous();
        var file = Path.Combine(Path.GetTempPath(), $"calminer-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await client.GetStringAsync("/openapi/v1.json"));
        try
        {
            var start = new ProcessStartInfo("npx", ["--no-install", "redocly", "lint", "--config", "redocly.yaml", "--format", "stylish", file])
            {
                WorkingDirectory = lintFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            start.Environment["NO_COLOR"] = "1";
            using var lint = Process.Start(start)!;
            var output = lint.StandardOutput.ReadToEndAsync();
            var errors = lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var report = await output + await errors;
            Assert.True(lint.ExitCode == 0, $"redocly lint failed ({lint.ExitCode}):\n{report}");
            Assert.Contains("Woohoo! Your API description is valid.", report, StringComparison.Ordinal);
            Assert.DoesNotContain("warning", report, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EveryOperation_IsDescribedAndSecured()
    {
        using var client = app.Anonymous();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("cookie", schemes["cookie"]!["in"]!.GetValue<string>());
        Assert.Equal("calminer.auth", schemes["cookie"]!["name"]!.GetValue<string>());

        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                operations++;
                var operation = node!.AsObject();
                var name = $"{method.ToUpperInvariant()} {path}";
                Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{name} has no summary");
                Assert.False(string.IsNullOrWhiteSpace(operation["operationId"]?.GetValue<string>()), $"{name} has no operationId");
                var responses = operation["responses"]!.AsObject();
                Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{name} declares no success");
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    Assert.True(response!["content"]?["application/problem+json"]?["schema"] is not null, $"{name} {status} is not a problem");
                }

                var anonymous = name is "POST /api/auth/login";
                var security = operation["security"]!.AsArray();
                Assert.Equal(anonymous ? 1 : 2, security.Count);
                Assert.Equal(anonymous, security[0]!.AsObject().Count == 0);
                Assert.True(anonymous || responses["401"] is not null, $"{name} does not declare 401");
            }
        }

        Assert.True(operations >= 67, $"only {operations} operations");
        var create = document["paths"]!["/api/scenarios"]!["post"]!;
        Assert.Equal("#/components/schemas/ScenarioDocument", create["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(create["requestBody"]!["content"]!["application/json"]!["example"]);
        Assert.Equal("#/components/schemas/ScenarioDocument", document["paths"]!["/api/scenarios/{id}"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/scenarios/import"]!["post"]!["requestBody"]!["content"]!["multipart/form-data"]);
    }

    [Fact]
    public async Task ReferencePage_LoadsNothing_FromOutsideTheApp()
    {
        using var client = app.Browser();
        var page = await client.GetAsync("/api/reference/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();

        // Whatever the page names to load is a path of the app, which the page's policy allows.
        Assert.DoesNotMatch(ExternalUrl(), html);
        var sources = SourceAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var response = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, source));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{source}: {response.StatusCode}");
        }

        Assert.Contains("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("font-src 'self' data:", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);

        // Scalar's own fonts come from its CDN unless switched off; telemetry, the agent and the
        // developer toolbar's links call out too.
        var configuration = ConfigurationArgument().Match(html);
        Assert.True(configuration.Success, "the page's configuration was not found");
        var settings = JsonNode.Parse(configuration.Groups[1].Value)!.AsObject();
        Assert.False(settings["withDefaultFonts"]!.GetValue<bool>());
        Assert.False(settings["telemetry"]!.GetValue<bool>());
        Assert.True(settings["agent"]!["disabled"]!.GetValue<bool>());
        Assert.Equal("never", settings["showDeveloperTools"]!.GetValue<string>());
        Assert.DoesNotMatch(ExternalUrl(), settings.ToJsonString());
    }

    [GeneratedRegex(@"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex SourceAttribute();

    [GeneratedRegex(@"initialize\(\s*'[^']*',\s*\w+,\s*(\{.*\}),\s*'", RegexOptions.Singleline)]
    private static partial Regex ConfigurationArgument();
}
