using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace CalMiner.Web.Tests;

/// <summary>
/// The README's run command, <c>dotnet run -c Release --project hosts/CalMiner.Web</c>, as a user types it:
/// the documented ways of choosing the address are obeyed (a launch profile's URL once overrode them).
/// </summary>
public sealed class RunCommandTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("--urls")]
    public async Task RunCommand_ListensWhereItIsTold(string how)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var database = Path.Combine(Path.GetTempPath(), $"calminer-run-{Guid.NewGuid():N}.db");
        try
        {
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

            foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_URLS", "REDIS_URL" })
            {
                start.Environment.Remove(name);
            }

            start.Environment["DATABASE_DRIVER"] = "sqlite";
            start.Environment["DATABASE_PATH"] = database;
            if (how == "--urls")
            {
                start.ArgumentList.Add("--");
                start.ArgumentList.Add("--urls");
                start.ArgumentList.Add(url);
            }
            else
            {
                start.Environment[how] = url;
            }

            using var process = Process.Start(start)!;
            var log = new StringBuilder();
            process.OutputDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
            process.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                var deadline = DateTime.UtcNow + StartTimeout;
                HttpStatusCode? status = null;
                while (status is null && DateTime.UtcNow < deadline && !process.HasExited)
                {
                    try
                    {
                        status = (await client.GetAsync($"{url}/health/live")).StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(250);
                    }
                }

                string output;
                lock (log)
                {
                    output = log.ToString();
                }

                Assert.True(status == HttpStatusCode.OK, $"no answer on {url} within {StartTimeout.TotalSeconds} s; the host wrote:\n{output}");
                Assert.Contains($"Now listening on: {url}", output, StringComparison.Ordinal);
                Assert.DoesNotContain(":8000", output, StringComparison.Ordinal);
                Assert.Contains("Hosting environment: Development", output, StringComparison.Ordinal);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileName(database) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The configuration these tests were built in, so that <c>--no-build</c> finds the host built beside them.</summary>
    private static string BuildConfiguration() =>
        typeof(RunCommandTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
}
