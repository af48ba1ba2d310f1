using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalMiner.Web.Tests;

/// <summary>Settings are checked when the app starts: a bad one stops it with a message naming it, before anything is served or stored.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("CalMiner:MaxPageSize", "0", "MaxPageSize")]
    [InlineData("CalMiner:MaxRequestBytes", "10", "MaxRequestBytes")]
    [InlineData("CalMiner:InlineIterationLimit", "50000000", "InlineIterationLimit")]
    [InlineData("CALMINER_ADMIN_EMAIL", "admin@example.com", "CALMINER_ADMIN_PASSWORD")]
    [InlineData("CALMINER_ADMIN_PASSWORD", "short", "AdminPassword")]
    [InlineData("DATABASE_DRIVER", "oracle", "DATABASE_DRIVER")]
    [InlineData("CalMiner:SignInFreeAttempts", "0", "SignInFreeAttempts")]
    [InlineData("CalMiner:FailedAuthenticationsPerMinute", "0", "FailedAuthenticationsPerMinute")]
    [InlineData("CalMiner:SignInPermitsPerMinute", "0", "SignInPermitsPerMinute")]
    [InlineData("CalMiner:SimulationRunsPerMinute", "0", "SimulationRunsPerMinute")]
    [InlineData("CalMiner:MaxRequestBytes", "lots", "MaxRequestBytes")]
    [InlineData("CalMiner:RunSimulationsInProcess", "maybe", "RunSimulationsInProcess")]
    [InlineData("DATA_PROTECTION_CERTIFICATE_PATH", "/no/such/certificate.pfx", "DATA_PROTECTION_CERTIFICATE_PATH")]
    public void BadSetting_StopsTheStart_NamingIt(string key, string value, string named)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("DATABASE_DRIVER", "sqlite");
            builder.UseSetting("DATABASE_PATH", Path.Combine(Path.GetTempPath(), $"calminer-startup-{Guid.NewGuid():N}.db"));
            builder.UseSetting(key, value);
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }
}
