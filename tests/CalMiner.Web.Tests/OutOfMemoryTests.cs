using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Web.Tests;

/// <summary>
/// The web app as its own process with a small heap (<c>DOTNET_GCHeapHardLimit</c>) and a memory budget that lets any run
/// through: a run too large for the heap really runs out of memory, fails with a message, and the process goes on serving.
/// </summary>
public sealed partial class OutOfMemoryTests
{
    [Fact]
    public async Task Run_FailsWithAMessageAndTheProcessKeepsServing_WhenItRunsOutOfMemory()
    {
        var schema = $"web_{Guid.NewGuid():N}";
        var data = CalMinerDataOptions.FromEnvironment() with { Schema = schema, RedisUrl = null };
        string secret;
        var services = new ServiceCollection().AddCalMinerData(data).BuildServiceProvider();
        await using (services)
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            var user = await services.GetRequiredService<UserRepository>().CreateAsync($"analyst-{Guid.NewGuid():N}@example.com", null, UserRole.Analyst);
            await services.GetRequiredService<WorkspaceRepository>().SetMemberAsync(WorkspaceRepository.DefaultId, user.Id, WorkspaceRole.Analyst);
            secret = (await services.GetRequiredService<ApiKeyRepository>().CreateAsync(user.Id, "tests")).Secret;
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CalMiner.Web.dll"));
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DATABASE_SCHEMA"] = schema;
        start.Environment.Remove("REDIS_URL");
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x18000000"; // 384 MiB
        start.Environment["CalMiner__SimulationMemoryBytes"] = (64L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CalMiner__SampleBytesPerUser"] = (64L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Log()
        {
            lock (log)
            {
                return log.ToString();
            }
        }

        try
        {
            var clock = Stopwatch.StartNew();
            while (ListeningOn().Match(Log()) is not { Success: true })
            {
                Assert.False(process.HasExited || clock.Elapsed > TimeSpan.FromMinutes(1), $"The web app did not start:{Environment.NewLine}{Log()}");
                await Task.Delay(100);
            }

            using var client = new HttpClient { BaseAddress = new Uri(ListeningOn().Match(Log()).Groups[1].Value) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            var (id, _) = await client.CreateScenarioAsync();

            // Three million iterations with their samples need some 900 MiB: far over the 384 MiB heap.
            var queued = await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 3_000_000 });
            await queued.ExpectAsync(HttpStatusCode.Accepted);
            System.Text.Json.JsonElement run;
            do
            {
                await Task.Delay(250);
                Assert.False(process.HasExited, $"The web app died:{Environment.NewLine}{Log()}");
                run = await (await client.GetAsync(queued.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
            }
            while (run.GetProperty("status").GetString() is "queued" or "running" && clock.Elapsed < TimeSpan.FromMinutes(3));

            Assert.Equal("failed", run.GetProperty("status").GetString());
            Assert.Equal("The simulation ran out of memory: ask for fewer iterations or no samples, or simulate fewer uncertain inputs.", run.GetProperty("error").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
            var small = await (await client.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2000 })).ExpectAsync(HttpStatusCode.Created);
            Assert.Equal("succeeded", small.GetProperty("status").GetString());
            Assert.False(process.HasExited);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            await CalMinerWebApp.DropSchemaAsync(schema);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
