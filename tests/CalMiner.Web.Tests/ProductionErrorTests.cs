using System.Net;
using System.Net.Http.Headers;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Web.Tests;

/// <summary>Outside Development a failure of the server's own is a plain 500 problem: no exception, no stack trace.</summary>
public sealed class ProductionErrorTests
{
    [Fact]
    public async Task BrokenDatabase_GivesA500Problem_WithoutInternals()
    {
        var path = Path.Combine(Path.GetTempPath(), $"calminer-production-{Guid.NewGuid():N}.db");
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("DATABASE_DRIVER", "sqlite");
            builder.UseSetting("DATABASE_PATH", path);
            builder.UseSetting("REDIS_URL", "");
            builder.UseSetting("CALMINER_ADMIN_EMAIL", CalMinerWebApp.AdminEmail);
            builder.UseSetting("CALMINER_ADMIN_PASSWORD", CalMinerWebApp.AdminPassword);
            builder.UseSetting("CalMiner:RunSimulationsInProcess", "false");
            foreach (var (key, value) in TestCertificate.Settings)
            {
                builder.UseSetting(key, value);
            }
        });
        using var client = factory.CreateClient();
        var admin = (await factory.Services.GetRequiredService<UserRepository>().FindByEmailAsync(CalMinerWebApp.AdminEmail))!;
        var key = await factory.Services.GetRequiredService<ApiKeyRepository>().CreateAsync(admin.Id, "tests");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        await (await client.GetAsync("/api/scenarios")).ExpectAsync(HttpStatusCode.OK);

        // The database file disappears under the running app (the key's user is still in memory).
        SqliteConnection.ClearAllPools();
        File.Delete(path);

        var response = await client.GetAsync("/api/scenarios");
        var problem = await response.ExpectProblemAsync(HttpStatusCode.InternalServerError);
        var body = problem.GetRawText();
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("no such table", body, StringComparison.OrdinalIgnoreCase);
        SqliteConnection.ClearAllPools();
        File.Delete(path);
    }
}
