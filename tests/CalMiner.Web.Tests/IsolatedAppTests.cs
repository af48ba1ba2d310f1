using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>
/// An app of its own, for what the shared one cannot show: a sign-in limit low enough to reach,
/// and a database whose only admin is the first one.
/// </summary>
public sealed class IsolatedApp : IAsyncLifetime
{
    public const int SignInPermits = 3;
    public const int SimulationRuns = 2;

    public CalMinerWebApp App { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CalMiner:SignInPermitsPerMinute"] = SignInPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CalMiner:SimulationRunsPerMinute"] = SimulationRuns.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

public sealed class IsolatedAppTests(IsolatedApp isolated) : IClassFixture<IsolatedApp>
{
    private CalMinerWebApp App => isolated.App;

    [Fact]
    public async Task SignIns_Get429WithRetryAfter_OverTheLimit()
    {
        using var client = App.Anonymous();
        for (var i = 0; i < IsolatedApp.SignInPermits; i++)
        {
            await (await client.PostAsJsonAsync("/api/auth/login", new { email = "someone@example.com", password = "a wrong guess" }))
                .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        // Even the right password is refused now: the limit counts attempts, not failures.
        var limited = await client.PostAsJsonAsync("/api/auth/login", new { email = CalMinerWebApp.AdminEmail, password = CalMinerWebApp.AdminPassword });
        await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.False(limited.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SimulationRuns_Get429PerUser_OverTheLimit()
    {
        using var analyst = await App.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        for (var i = 0; i < IsolatedApp.SimulationRuns; i++)
        {
            await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 500 })).ExpectAsync(HttpStatusCode.Created);
        }

        var limited = await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 500 });
        await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);

        // The limit is per user: another analyst still runs.
        using var other = await App.ClientAsync(UserRole.Analyst);
        await (await other.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 500 })).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task LastAdmin_CanBeNeitherDemotedNorDeleted()
    {
        var users = App.Get<UserRepository>();
        var first = (await users.FindByEmailAsync(CalMinerWebApp.AdminEmail))!;
        var key = await App.Get<ApiKeyRepository>().CreateAsync(first.Id, "tests");
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);

        await (await admin.PutAsJsonAsync($"/api/users/{first.Id}/role", new { role = "analyst" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.DeleteAsync($"/api/users/{first.Id}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(UserRole.Admin, (await users.GetAsync(first.Id))!.Role);

        // With a second admin the first may step down; the second is then the last.
        var second = await (await admin.PostAsJsonAsync("/api/users", new { email = "second-admin@example.com", role = "admin" })).ExpectAsync(HttpStatusCode.Created);
        var secondId = second.GetProperty("id").GetInt64();
        await (await admin.PutAsJsonAsync($"/api/users/{first.Id}/role", new { role = "viewer" })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.GetAsync("/api/users")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var secondKey = await App.Get<ApiKeyRepository>().CreateAsync(secondId, "tests");
        using var newAdmin = App.Anonymous();
        newAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secondKey.Secret);
        await (await newAdmin.DeleteAsync($"/api/users/{secondId}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await newAdmin.PutAsJsonAsync($"/api/users/{first.Id}/role", new { role = "admin" })).ExpectAsync(HttpStatusCode.OK);
        await (await newAdmin.DeleteAsync($"/api/users/{secondId}")).ExpectAsync(HttpStatusCode.NoContent);
    }
}
