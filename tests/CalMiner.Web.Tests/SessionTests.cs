using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalMiner.Web.Tests;

/// <summary>An app of its own, whose users' sessions no other test touches.</summary>
public sealed class EverCheckingApp : IAsyncLifetime
{
    public CalMinerWebApp App { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>What happens to open sessions when an account changes: a new role is taken in, a new password ends them.</summary>
public sealed class SessionTests(EverCheckingApp fixture) : IClassFixture<EverCheckingApp>
{
    private CalMinerWebApp App => fixture.App;

    [Fact]
    public async Task NewRole_ReachesAnOpenSession_AndANewPasswordEndsIt()
    {
        const string Password = "first password of dora";
        var users = App.Get<UserRepository>();
        var hasher = App.Get<IPasswordHasher<UserAccount>>();
        var dora = await users.CreateAsync($"dora-{Guid.NewGuid():N}@example.com", null, UserRole.Analyst);
        await users.SetPasswordHashAsync(dora.Id, hasher.HashPassword(dora, Password));
        using var admin = await App.ClientAsync(UserRole.Admin);
        using var browser = App.Browser();
        await (await browser.PostAsJsonAsync("/api/auth/login", new { email = dora.Email, password = Password })).ExpectAsync(HttpStatusCode.OK);

        await (await admin.PutAsJsonAsync($"/api/users/{dora.Id}/role", new { role = "viewer" })).ExpectAsync(HttpStatusCode.OK);
        var me = await (await browser.GetAsync("/api/auth/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("viewer", me.GetProperty("role").GetString());

        await (await admin.PutAsJsonAsync($"/api/users/{dora.Id}/password", new { password = "second password of dora" })).ExpectAsync(HttpStatusCode.NoContent);
        await (await browser.GetAsync("/api/auth/me")).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        using var again = App.Browser();
        await (await again.PostAsJsonAsync("/api/auth/login", new { email = dora.Email, password = Password })).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await again.PostAsJsonAsync("/api/auth/login", new { email = dora.Email, password = "second password of dora" })).ExpectAsync(HttpStatusCode.OK);
        await (await again.GetAsync("/api/auth/me")).ExpectAsync(HttpStatusCode.OK);
    }
}

/// <summary>What the host says when it starts.</summary>
public sealed class StartMessageTests
{
    [Fact]
    public async Task FirstStart_NamesTheDatabase_AndHowToResetTheAdminPassword()
    {
        var path = Path.Combine(Path.GetTempPath(), $"calminer-first-start-{Guid.NewGuid():N}.db");
        var logs = new CapturingLoggerProvider();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("DATABASE_DRIVER", "sqlite");
            builder.UseSetting("DATABASE_PATH", path);
            builder.UseSetting("REDIS_URL", "");
            builder.UseSetting("CalMiner:RunSimulationsInProcess", "false");
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });

        using var client = factory.CreateClient();

        Assert.Contains($"Database: sqlite {path}", logs.Messages);
        var admin = Assert.Single(logs.Messages, m => m.StartsWith("Created the first admin", StringComparison.Ordinal));
        Assert.Contains("calminer user set-password --email admin@calminer.local", admin, StringComparison.Ordinal);
        Assert.Contains(logs.Messages, m => m.Contains("unencrypted, as environment Development allows", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("No XML encryptor configured", StringComparison.Ordinal));
    }
}
