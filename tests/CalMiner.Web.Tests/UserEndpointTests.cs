using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class UserEndpointTests(CalMinerWebApp app)
{
    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Admin_CreatesAUser_WhoThenSignsInWithThePassword()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        var email = NewEmail();
        var response = await admin.PostAsJsonAsync("/api/users", new { email, password = "a long enough password", role = "analyst" });
        var user = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("analyst", user.GetProperty("role").GetString());
        Assert.Equal($"/api/users/{user.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);

        using var browser = app.Browser();
        var login = await (await browser.PostAsJsonAsync("/api/auth/login", new { email, password = "a long enough password" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("analyst", login.GetProperty("role").GetString());

        var list = await (await admin.GetAsync("/api/users")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), u => u.GetProperty("email").GetString() == email);
        Assert.All(list.EnumerateArray(), u => Assert.False(u.TryGetProperty("passwordHash", out _)));
    }

    [Theory]
    [InlineData("{\"email\":\"x@example.com\",\"password\":\"short\",\"role\":\"viewer\"}", "password")]
    [InlineData("{\"email\":\"x@example.com\",\"password\":\"long enough password\",\"role\":\"superuser\"}", "role")]
    [InlineData("{\"email\":\"not an address\",\"role\":\"viewer\"}", "email")]
    public async Task BadUserFields_Are400_NamingTheField(string body, string field)
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        var problem = await (await admin.PostAsync("/api/users", TestApi.Json(body))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorPaths());
    }

    [Fact]
    public async Task DuplicateEmail_Is409()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        var email = NewEmail();
        await (await admin.PostAsJsonAsync("/api/users", new { email, role = "viewer" })).ExpectAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/users", new { email = email.ToUpperInvariant(), role = "viewer" })).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RoleChange_AppliesToTheUsersCachedApiKey_AtOnce()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        var (account, secret) = await app.NewUserWithKeyAsync(UserRole.Analyst);
        using var user = app.Anonymous();
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        await (await user.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()))).ExpectAsync(HttpStatusCode.Created);

        var changed = await (await admin.PutAsJsonAsync($"/api/users/{account.Id}/role", new { role = "viewer" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("viewer", changed.GetProperty("role").GetString());
        await (await user.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var problem = await (await admin.PutAsJsonAsync($"/api/users/{account.Id}/role", new { role = "root" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["role"], problem.ErrorPaths());
    }

    [Fact]
    public async Task DeletingAUser_ShutsOutTheirCachedApiKey_AtOnce()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        var (account, secret) = await app.NewUserWithKeyAsync(UserRole.Viewer);
        using var user = app.Anonymous();
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        await (await user.GetAsync("/api/scenarios")).ExpectAsync(HttpStatusCode.OK);

        await (await admin.DeleteAsync($"/api/users/{account.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await user.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.DeleteAsync($"/api/users/{account.Id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/users/{account.Id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admin_ManagesAnotherUsersKeys()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        var (account, secret) = await app.NewUserWithKeyAsync(UserRole.Viewer);
        using var user = app.Anonymous();
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        await (await user.GetAsync("/api/scenarios")).ExpectAsync(HttpStatusCode.OK);

        var made = await (await admin.PostAsJsonAsync($"/api/users/{account.Id}/keys", new { name = "issued" })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(account.Id, made.GetProperty("userId").GetInt64());
        var keys = await (await admin.GetAsync($"/api/users/{account.Id}/keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["tests", "issued"], keys.EnumerateArray().Select(k => k.GetProperty("name").GetString()));

        var first = keys[0].GetProperty("id").GetInt64();
        await (await admin.DeleteAsync($"/api/users/{account.Id}/keys/{first}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await user.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.DeleteAsync($"/api/users/{account.Id}/keys/{first}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/users/999999999/keys")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync("/api/users/999999999/keys", new { name = "x" })).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admin_ResetsAPassword()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        var (account, _) = await app.NewUserWithKeyAsync(UserRole.Viewer);
        await (await admin.PutAsJsonAsync($"/api/users/{account.Id}/password", new { password = "short" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PutAsJsonAsync($"/api/users/{account.Id}/password", new { password = "twelve chars or more" })).ExpectAsync(HttpStatusCode.NoContent);

        using var browser = app.Browser();
        await (await browser.PostAsJsonAsync("/api/auth/login", new { email = account.Email, password = "twelve chars or more" })).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(UserRole.Viewer)]
    [InlineData(UserRole.Analyst)]
    public async Task NonAdmins_Get403_OnEveryUserEndpoint(UserRole role)
    {
        using var client = await app.ClientAsync(role);
        var (target, _) = await app.NewUserWithKeyAsync(UserRole.Viewer);
        await (await client.GetAsync("/api/users")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/users", new { email = NewEmail(), role = "admin" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PutAsJsonAsync($"/api/users/{target.Id}/role", new { role = "admin" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PutAsJsonAsync($"/api/users/{target.Id}/password", new { password = "twelve chars or more" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/api/users/{target.Id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync($"/api/users/{target.Id}/keys")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync($"/api/users/{target.Id}/keys", new { name = "stolen" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.NotNull(await app.Get<UserRepository>().GetAsync(target.Id));
    }
}
