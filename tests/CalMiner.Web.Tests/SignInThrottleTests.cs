using System.Net;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace CalMiner.Web.Tests;

/// <summary>An app whose sign-ins wait after 3 failures on one email (1 s, then 2 s at most), and whose per-address limit is out of reach.</summary>
public sealed class ThrottledSignInApp : IAsyncLifetime
{
    public const int FreeAttempts = 3;

    public CalMinerWebApp App { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CalMiner:SignInFreeAttempts"] = FreeAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CalMiner:SignInMaxDelaySeconds"] = "2",
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>Sign-in attempts are limited per email, whatever addresses they come from; the right password works after the wait.</summary>
public sealed class SignInThrottleTests(ThrottledSignInApp fixture) : IClassFixture<ThrottledSignInApp>
{
    private const string Password = "the right password of a throttled user";

    private CalMinerWebApp App => fixture.App;

    [Fact]
    public async Task FailuresOnOneEmail_MakeTheNextAttemptWaitThenTheRightPasswordWorks_FromManyAddresses()
    {
        var email = await NewUserAsync();
        for (var i = 0; i < ThrottledSignInApp.FreeAttempts; i++)
        {
            using var stranger = App.From(10 + i);
            await (await stranger.PostAsJsonAsync("/api/auth/login", new { email, password = $"guess {i}" })).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        // A new address changes nothing, and even the right password is refused unchecked while the wait lasts.
        using var owner = App.From(20, handleCookies: true);
        var limited = await owner.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        var problem = await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("wait", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var wait = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.False(limited.Headers.Contains("Set-Cookie"));

        // An unknown email gets the same answer after as many failures: the limit tells nothing about accounts.
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        for (var i = 0; i < ThrottledSignInApp.FreeAttempts; i++)
        {
            using var stranger = App.From(30 + i);
            await (await stranger.PostAsJsonAsync("/api/auth/login", new { email = unknown, password = "guess" })).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        using (var stranger = App.From(40))
        {
            await (await stranger.PostAsJsonAsync("/api/auth/login", new { email = unknown, password = "guess" })).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        }

        await Task.Delay(wait.Value);
        await (await owner.PostAsJsonAsync("/api/auth/login", new { email, password = Password })).ExpectAsync(HttpStatusCode.OK);
        await (await owner.GetAsync("/api/auth/me")).ExpectAsync(HttpStatusCode.OK);

        // A success forgets the failures: the next wrong password is a plain 401 again.
        using var later = App.From(21);
        await (await later.PostAsJsonAsync("/api/auth/login", new { email, password = "one more guess" })).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ParallelBurstOnOneEmail_ChecksFewPasswords_FromManyAddresses()
    {
        var email = await NewUserAsync();
        const int Attempts = 40;
        var answers = await Task.WhenAll(Enumerable.Range(0, Attempts).Select(async i =>
        {
            using var client = App.From(100 + (i % 20));
            var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = $"burst guess {i}" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
            }

            return response.StatusCode;
        }));

        // The free attempts, then one more per wait (1 s, 2 s, 2 s, ...) for as long as the burst lasts.
        var checkedPasswords = answers.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.InRange(checkedPasswords, ThrottledSignInApp.FreeAttempts, ThrottledSignInApp.FreeAttempts + 6);
        Assert.Equal(Attempts, checkedPasswords + answers.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    private async Task<string> NewUserAsync()
    {
        var users = App.Get<UserRepository>();
        var user = await users.CreateAsync($"throttled-{Guid.NewGuid():N}@example.com", null, UserRole.Viewer);
        await users.SetPasswordHashAsync(user.Id, App.Get<IPasswordHasher<UserAccount>>().HashPassword(user, Password));
        return user.Email;
    }
}
