using System.Net;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace CalMiner.Web.Tests;

/// <summary>
/// Two hosts on one database and one Redis, as replicas behind a load balancer: a change made on one reaches the
/// sessions the other serves at their very next request.
/// </summary>
public sealed class SessionReplicaTests
{
    [Fact]
    public async Task DemotionNewPasswordAndDeletion_ReachASessionOnAnotherHostAtOnce()
    {
        var schema = $"web_replica_{Guid.NewGuid():N}";
        try
        {
            var first = new CalMinerWebApp(new Dictionary<string, string>(StringComparer.Ordinal), schema, ownsSchema: false);
            var second = new CalMinerWebApp(new Dictionary<string, string>(StringComparer.Ordinal), schema, ownsSchema: false);
            await using (first)
            await using (second)
            {
                await first.InitializeAsync();
                await second.InitializeAsync();
                using var admin = await first.ClientAsync(UserRole.Admin);

                // Eve, an admin, signs in on the first host and works on the second.
                var eve = await NewUserAsync(first, "eve", UserRole.Admin);
                var eveCookie = await SignInAsync(first, eve.Email);
                await ExpectAsync(second, eveCookie, "/api/users", HttpStatusCode.OK);

                await (await admin.PutAsJsonAsync($"/api/users/{eve.Id}/role", new { role = "viewer" })).ExpectAsync(HttpStatusCode.OK);
                await ExpectAsync(second, eveCookie, "/api/users", HttpStatusCode.Forbidden);
                var me = await ExpectAsync(second, eveCookie, "/api/auth/me", HttpStatusCode.OK);
                Assert.Equal("viewer", me.GetProperty("role").GetString());

                await (await admin.DeleteAsync($"/api/users/{eve.Id}")).ExpectAsync(HttpStatusCode.NoContent);
                await ExpectAsync(second, eveCookie, "/api/auth/me", HttpStatusCode.Unauthorized);

                // Mallory's password is changed on the first host: her session on the second ends.
                var mallory = await NewUserAsync(first, "mallory", UserRole.Analyst);
                var malloryCookie = await SignInAsync(first, mallory.Email);
                await ExpectAsync(second, malloryCookie, "/api/auth/me", HttpStatusCode.OK);
                await (await admin.PutAsJsonAsync($"/api/users/{mallory.Id}/password", new { password = "a brand new password" })).ExpectAsync(HttpStatusCode.NoContent);
                await ExpectAsync(second, malloryCookie, "/api/auth/me", HttpStatusCode.Unauthorized);
                await ExpectAsync(first, malloryCookie, "/api/auth/me", HttpStatusCode.Unauthorized);
            }
        }
        finally
        {
            await CalMinerWebApp.DropSchemaAsync(schema);
        }
    }

    private const string Password = "the password of a replica test";

    private static async Task<UserAccount> NewUserAsync(CalMinerWebApp app, string name, UserRole role)
    {
        var users = app.Get<UserRepository>();
        var user = await users.CreateAsync($"{name}-{Guid.NewGuid():N}@example.com", null, role);
        await users.SetPasswordHashAsync(user.Id, app.Get<IPasswordHasher<UserAccount>>().HashPassword(user, Password));
        return user;
    }

    private static async Task<string> SignInAsync(CalMinerWebApp app, string email)
    {
        using var client = app.Anonymous();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        await login.ExpectAsync(HttpStatusCode.OK);
        return Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("calminer.auth=", StringComparison.Ordinal)).Split(';', 2)[0];
    }

    private static async Task<System.Text.Json.JsonElement> ExpectAsync(CalMinerWebApp app, string cookie, string path, HttpStatusCode status)
    {
        using var client = app.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await (await client.SendAsync(request)).ExpectAsync(status);
    }
}
