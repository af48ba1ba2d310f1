using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class ApiKeyEndpointTests(CalMinerWebApp app)
{
    [Fact]
    public async Task NewKey_WorksAtOnce_AndStopsWorkingTheMomentItIsRevoked()
    {
        using var owner = await app.ClientAsync(UserRole.Viewer);
        var created = await (await owner.PostAsJsonAsync("/api/keys", new { name = "laptop" })).ExpectAsync(HttpStatusCode.Created);
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("id").GetInt64();
        Assert.StartsWith("cm_", secret, StringComparison.Ordinal);
        Assert.Equal("laptop", created.GetProperty("name").GetString());
        Assert.Equal(secret.Substring(3, 8), created.GetProperty("prefix").GetString());

        using var keyClient = app.Anonymous();
        keyClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        await (await keyClient.GetAsync("/api/scenarios")).ExpectAsync(HttpStatusCode.OK);

        // The lookup is cached now; revoking must still shut the key out at once.
        await (await owner.DeleteAsync($"/api/keys/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await keyClient.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await owner.GetAsync("/api/scenarios")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersKeys_AndNeverASecret()
    {
        using var owner = await app.ClientAsync(UserRole.Analyst);
        var created = await (await owner.PostAsJsonAsync("/api/keys", new { name = "ci" })).ExpectAsync(HttpStatusCode.Created);
        var secret = created.GetProperty("secret").GetString()!;

        var response = await owner.GetAsync("/api/keys");
        var list = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(["tests", "ci"], list.EnumerateArray().Select(k => k.GetProperty("name").GetString()));
        Assert.All(list.EnumerateArray(), k => Assert.False(k.TryGetProperty("secret", out _)));
        Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_IsRefused_ForSomeoneElsesKey()
    {
        using var other = await app.ClientAsync(UserRole.Analyst);
        var theirs = await (await other.PostAsJsonAsync("/api/keys", new { name = "theirs" })).ExpectAsync(HttpStatusCode.Created);

        using var intruder = await app.ClientAsync(UserRole.Analyst);
        await (await intruder.DeleteAsync($"/api/keys/{theirs.GetProperty("id").GetInt64()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, (await (await other.GetAsync("/api/keys")).ExpectAsync(HttpStatusCode.OK)).GetArrayLength());
    }

    [Theory]
    [InlineData("{\"name\":\"\"}", "name")]
    [InlineData("{\"name\":\"   \"}", "name")]
    [InlineData("{}", "$")]
    public async Task Create_Is400NamingTheName_WhenTheNameIsBad(string body, string path)
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        var problem = await (await client.PostAsync("/api/keys", TestApi.Json(body))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.ErrorPaths(), p => p.StartsWith(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_Is400_WhenTheNameIsOver100Characters()
    {
        using var client = await app.ClientAsync(UserRole.Viewer);
        var problem = await (await client.PostAsJsonAsync("/api/keys", new { name = new string('k', 101) })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], problem.ErrorPaths());
    }
}
