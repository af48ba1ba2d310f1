using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>
/// Two Development hosts, real processes, started together on one empty PostgreSQL schema: exactly one
/// creates the first admin and seeds the samples, the other finds them, and the password printed works on both.
/// </summary>
public sealed partial class ConcurrentStartTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task DevelopmentHosts_SeedOnceAndPrintOneWorkingAdminPassword_WhenStartingTogether()
    {
        var schema = $"web_start_{Guid.NewGuid():N}";
        var hosts = new List<(Process Process, StringBuilder Log, string Url)>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                hosts.Add(Start(schema));
            }

            foreach (var (process, log, url) in hosts)
            {
                await WaitUntilLiveAsync(process, log, url);
            }

            var output = string.Concat(hosts.Select(h => Read(h.Log)));
            var admins = AdminPattern().Matches(output);
            Assert.True(admins.Count == 1, $"expected one admin password printed, got {admins.Count}:\n{output}");
            var samples = Directory.GetFiles(TestApi.SamplePath(""), "*.json").Length;
            Assert.Equal(samples, SeededPattern().Matches(output).Count);

            var password = admins[0].Groups[1].Value;
            foreach (var (_, _, url) in hosts)
            {
                using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(url) };
                var signIn = await browser.PostAsJsonAsync("/api/auth/login", new { email = "admin@calminer.local", password });
                Assert.True(signIn.StatusCode == HttpStatusCode.OK, $"sign-in on {url} with the printed password: {signIn.StatusCode}");
                var page = await (await browser.GetAsync("/api/scenarios")).ExpectAsync(HttpStatusCode.OK);
                Assert.Equal(samples, page.GetProperty("totalCount").GetInt32());
            }
        }
        finally
        {
            foreach (var (process, _, _) in hosts)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }

            await CalMinerWebApp.DropSchemaAsync(schema);
        }
    }

    private static (Process, StringBuilder, string) Start(string schema)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = CalMiner.Tests.RepositoryRoot.Path,
        };
        foreach (var arg in new[] { "run", "--no-build", "-c", BuildConfiguration(), "--project", "hosts/CalMiner.Web" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "ASPNETCORE_HTTP_PORTS", "DOTNET_URLS", "CALMINER_ADMIN_EMAIL", "CALMINER_ADMIN_PASSWORD" })
        {
            start.Environment.Remove(name);
        }

        // The PostgreSQL server of the tests (DATABASE_* as scripts/test.sh sets them), in a schema of this test's own.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["DATABASE_SCHEMA"] = schema;
        var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, log, url);
    }

    private static async Task WaitUntilLiveAsync(Process process, StringBuilder log, string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await client.GetAsync($"{url}/health/live")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        Assert.Fail($"no answer on {url} within {StartTimeout.TotalSeconds} s; the host wrote:\n{Read(log)}");
    }

    private static string Read(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string BuildConfiguration() =>
        typeof(ConcurrentStartTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    [GeneratedRegex(@"with the password (\S+) \(shown")]
    private static partial Regex AdminPattern();

    [GeneratedRegex("Seeded the sample scenario")]
    private static partial Regex SeededPattern();
}
