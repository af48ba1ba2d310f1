using System.Net;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalMiner.Web.Tests;

/// <summary>
/// The data-protection key ring lives in the database: a sign-in cookie one instance issues is accepted by another on
/// the same database (a replica) and after a restart; with a certificate the keys are stored encrypted; outside
/// Development and Testing the host does not start without one.
/// </summary>
public sealed class DataProtectionTests
{
    private static Dictionary<string, string> Settings(bool certificate) =>
        certificate ? TestCertificate.Settings.ToDictionary(StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cookie_IsAcceptedByAReplicaAndAfterARestart_WhenIssuedByOneInstance(bool certificate)
    {
        var schema = $"web_dp_{Guid.NewGuid():N}";
        try
        {
            string cookie;
            var first = new CalMinerWebApp(Settings(certificate), schema, ownsSchema: false);
            var replica = new CalMinerWebApp(Settings(certificate), schema, ownsSchema: false);
            await using (first)
            await using (replica)
            {
                await first.InitializeAsync();
                await replica.InitializeAsync();
                cookie = await SignInAsync(first);

                await ExpectSignedInAsync(replica, cookie);
                await ExpectSignedInAsync(first, cookie);
            }

            var restarted = new CalMinerWebApp(Settings(certificate), schema, ownsSchema: false);
            await using (restarted)
            {
                await restarted.InitializeAsync();
                await ExpectSignedInAsync(restarted, cookie);

                var stored = restarted.Get<DataProtectionKeyRepository>().GetAll();
                var key = Assert.Single(stored, xml => xml.StartsWith("<key ", StringComparison.Ordinal));
                if (certificate)
                {
                    // Encrypted to the certificate: no <value> element holds the master key in the clear.
                    Assert.Contains("EncryptedData", key, StringComparison.Ordinal);
                    Assert.Contains(TestCertificate.Base64, key, StringComparison.Ordinal);
                    Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Contains("<value>", key, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            await CalMinerWebApp.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public void Production_DoesNotStartAndNamesTheSettings_WithoutACertificate()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("DATABASE_DRIVER", "sqlite");
            builder.UseSetting("DATABASE_PATH", Path.Combine(Path.GetTempPath(), $"calminer-dp-{Guid.NewGuid():N}.db"));
            builder.UseSetting("REDIS_URL", "");
            builder.UseSetting("DATA_PROTECTION_CERTIFICATE_PATH", "");
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient()).ToString();

        Assert.Contains("DATA_PROTECTION_CERTIFICATE_PATH", error, StringComparison.Ordinal);
        Assert.Contains("DATA_PROTECTION_CERTIFICATE_PASSWORD", error, StringComparison.Ordinal);
    }

    /// <summary>Signs the first admin in and returns the sign-in cookie as a browser would send it back.</summary>
    private static async Task<string> SignInAsync(CalMinerWebApp app)
    {
        using var client = app.Anonymous();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = CalMinerWebApp.AdminEmail, password = CalMinerWebApp.AdminPassword });
        await login.ExpectAsync(HttpStatusCode.OK);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("calminer.auth=", StringComparison.Ordinal));
        return setCookie.Split(';', 2)[0];
    }

    private static async Task ExpectSignedInAsync(CalMinerWebApp app, string cookie)
    {
        using var client = app.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        var me = await (await client.SendAsync(request)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(CalMinerWebApp.AdminEmail, me.GetProperty("email").GetString());
    }
}
