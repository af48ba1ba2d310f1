using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>
/// The database stops under a running host (a PostgreSQL cluster of the test's own, stopped at once, as a crash
/// would): requests get 503 with Retry-After, never a 500; the log tells the outage once, not per request; and when
/// the database is back the host serves again by itself.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Requests_Get503WithRetryAfterAndTheLogSaysItOnce_WhileTheDatabaseIsDown()
    {
        await using var postgres = await ThrowawayPostgres.StartNewAsync();
        var app = new CalMinerWebApp(postgres.Settings, $"web_outage_{Guid.NewGuid():N}", ownsSchema: false);
        await using (app)
        {
            await app.InitializeAsync();
            using var analyst = await app.ClientAsync(UserRole.Analyst);
            var (id, _) = await analyst.CreateScenarioAsync();
            await (await analyst.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
            using var anonymous = app.Anonymous();

            var logged = app.Logs.Messages.Count;
            await postgres.StopAsync();
            var answers = new List<(string Request, HttpStatusCode Status, TimeSpan? RetryAfter)>();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(8))
            {
                foreach (var path in new[] { $"/api/scenarios/{id}", "/api/scenarios", $"/api/scenarios/{id}/versions", $"/api/scenarios/{id}/cashflow" })
                {
                    var response = await analyst.GetAsync(path);
                    answers.Add(($"GET {path}", response.StatusCode, response.Headers.RetryAfter?.Delta));
                }

                var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = CalMinerWebApp.AdminEmail, password = CalMinerWebApp.AdminPassword });
                answers.Add(("POST /api/auth/login", login.StatusCode, login.Headers.RetryAfter?.Delta));
                var ready = await anonymous.GetAsync("/health/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }

            Assert.All(answers, answer => Assert.True(
                answer.Status == HttpStatusCode.ServiceUnavailable && answer.RetryAfter == TimeSpan.FromSeconds(5),
                $"{answer.Request}: {(int)answer.Status}, Retry-After {answer.RetryAfter}"));
            Assert.True(answers.Count >= 50, $"only {answers.Count} requests in 8 s");

            // One line for the outage; the in-process simulation worker adds one per retry (every 5 s), nothing is per request.
            var outage = app.Logs.Messages.Skip(logged).ToList();
            Assert.Single(outage, m => m.StartsWith("The database cannot be reached", StringComparison.Ordinal));
            Assert.True(outage.Count <= 6, string.Join(Environment.NewLine, outage));

            await postgres.StartAsync();
            var back = Stopwatch.StartNew();
            HttpStatusCode status;
            do
            {
                await Task.Delay(250);
                status = (await analyst.GetAsync($"/api/scenarios/{id}")).StatusCode;
            }
            while (status != HttpStatusCode.OK && back.Elapsed < TimeSpan.FromSeconds(30));

            Assert.Equal(HttpStatusCode.OK, status);
            while (!app.Logs.Messages.Any(m => m.StartsWith("The database answers again", StringComparison.Ordinal)) && back.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(250);
            }

            Assert.Single(app.Logs.Messages, m => m.StartsWith("The database answers again", StringComparison.Ordinal));
            await (await anonymous.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.OK);
        }
    }
}
