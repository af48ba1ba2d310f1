using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>Workspaces: who sees and changes which scenarios and runs, soft deletes, and the audit log of every write.</summary>
[Collection(WebAppCollection.Name)]
public sealed class WorkspaceTests(CalMinerWebApp app)
{
    [Fact]
    public async Task UserOfWorkspaceA_Gets404_ForEverythingOfWorkspaceB()
    {
        var a = await NewWorkspaceAsync();
        var b = await NewWorkspaceAsync();
        using var alice = await MemberAsync(a, WorkspaceRole.Owner);
        using var bob = await MemberAsync(b, WorkspaceRole.Owner);
        var (id, etag) = await bob.CreateScenarioAsync(TestApi.HundredPeriodGold());
        var run = await (await bob.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2_000_000, seed = 1 })).ExpectAsync(HttpStatusCode.Accepted);
        var runId = run.GetProperty("id").GetInt64();
        var entry = await (await bob.PostAsJsonAsync($"/api/scenarios/{id}/maintenance", MaintenanceEntry())).ExpectAsync(HttpStatusCode.Created);
        var entryId = entry.GetProperty("id").GetInt64();

        string[] reads =
        [
            $"/api/scenarios/{id}", $"/api/scenarios/{id}/document", $"/api/scenarios/{id}/cashflow", $"/api/scenarios/{id}/products",
            $"/api/scenarios/{id}/versions", $"/api/scenarios/{id}/versions/1", $"/api/scenarios/{id}/maintenance", $"/api/scenarios/{id}/maintenance/{entryId}",
            $"/api/scenarios/{id}/simulations", $"/api/simulations/{runId}", $"/api/simulations/{runId}/results", $"/api/simulations/{runId}/samples",
            $"/api/compare?ids={id}", $"/api/workspaces/{b}", $"/api/workspaces/{b}/audit", $"/api/workspaces/{b}/deleted-scenarios",
        ];
        foreach (var path in reads)
        {
            var problem = await (await alice.GetAsync(path)).ExpectProblemAsync(HttpStatusCode.NotFound);
            Assert.DoesNotContain("workspace " + b, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await (await alice.PostAsync($"/api/simulations/{runId}/cancel", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await alice.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 100 })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await SendAsync(alice, HttpMethod.Put, $"/api/scenarios/{id}", etag, TestApi.GoldJson())).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await SendAsync(alice, HttpMethod.Delete, $"/api/scenarios/{id}", etag)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await alice.PostAsJsonAsync($"/api/scenarios/{id}/clone", new { })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await alice.PostAsync($"/api/scenarios?workspace={b}", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.NotFound);
        var list = await (await alice.GetAsync("/api/scenarios?limit=50")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetInt64() == id);
        var workspaces = await (await alice.GetAsync("/api/workspaces")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([a], workspaces.EnumerateArray().Select(w => w.GetProperty("id").GetInt64()));

        // The run is still bob's to cancel, and nothing alice tried touched it.
        var cancelled = await (await bob.PostAsync($"/api/simulations/{runId}/cancel", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        await (await bob.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ViewerInAWorkspace_Reads_ButCannotWriteThere()
    {
        var a = await NewWorkspaceAsync();
        using var analyst = await MemberAsync(a, WorkspaceRole.Analyst);
        // An analyst by global role, but a viewer in this workspace: the workspace role decides here.
        using var viewer = await MemberAsync(a, WorkspaceRole.Viewer);
        var (id, etag) = await analyst.CreateScenarioAsync(TestApi.HundredPeriodGold());
        var run = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2_000_000, seed = 1 })).ExpectAsync(HttpStatusCode.Accepted);
        var runId = run.GetProperty("id").GetInt64();

        await (await viewer.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        await (await viewer.GetAsync($"/api/simulations/{runId}")).ExpectAsync(HttpStatusCode.OK);
        await (await SendAsync(viewer, HttpMethod.Put, $"/api/scenarios/{id}", etag, TestApi.GoldJson())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await SendAsync(viewer, HttpMethod.Delete, $"/api/scenarios/{id}", etag)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostAsync($"/api/scenarios?workspace={a}", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostAsJsonAsync($"/api/scenarios/{id}/maintenance", MaintenanceEntry())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 100 })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostAsync($"/api/simulations/{runId}/cancel", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.GetAsync($"/api/workspaces/{a}/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("queued", await StatusAsync(analyst, runId) is "queued" or "running" ? "queued" : "ended");
        await (await analyst.PostAsync($"/api/simulations/{runId}/cancel", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, (await (await analyst.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Delete_NeedsIfMatchAndIsSoft_AndAnOwnerRestoresIt()
    {
        var a = await NewWorkspaceAsync();
        using var owner = await MemberAsync(a, WorkspaceRole.Owner);
        using var analyst = await MemberAsync(a, WorkspaceRole.Analyst);
        var (id, etag) = await analyst.CreateScenarioAsync();
        await (await analyst.PostAsJsonAsync($"/api/scenarios/{id}/maintenance", MaintenanceEntry())).ExpectAsync(HttpStatusCode.Created);

        await (await analyst.DeleteAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await SendAsync(analyst, HttpMethod.Delete, $"/api/scenarios/{id}", new EntityTagHeaderValue("\"7\""))).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await analyst.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        await (await SendAsync(analyst, HttpMethod.Delete, $"/api/scenarios/{id}", etag)).ExpectAsync(HttpStatusCode.NoContent);

        foreach (var path in new[] { $"/api/scenarios/{id}", $"/api/scenarios/{id}/versions", $"/api/scenarios/{id}/maintenance", $"/api/scenarios/{id}/document" })
        {
            await (await owner.GetAsync(path)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        var listed = await (await owner.GetAsync($"/api/scenarios?workspace={a}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, listed.GetProperty("totalCount").GetInt32());
        await (await SendAsync(analyst, HttpMethod.Delete, $"/api/scenarios/{id}", etag)).ExpectProblemAsync(HttpStatusCode.NotFound);

        // Analysts may delete but not see or restore what was deleted.
        await (await analyst.GetAsync($"/api/workspaces/{a}/deleted-scenarios")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.PostAsync($"/api/workspaces/{a}/deleted-scenarios/{id}/restore", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var deleted = await (await owner.GetAsync($"/api/workspaces/{a}/deleted-scenarios")).ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(deleted.EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetInt64());
        var deletedAt = item.GetProperty("deletedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(30), item.GetProperty("purgeAfter").GetDateTimeOffset() - deletedAt);
        Assert.StartsWith("analyst-", item.GetProperty("deletedBy").GetString(), StringComparison.Ordinal);

        var restored = await (await owner.PostAsync($"/api/workspaces/{a}/deleted-scenarios/{id}/restore", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, restored.GetProperty("version").GetInt32());
        await (await analyst.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single((await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await (await owner.GetAsync($"/api/workspaces/{a}/deleted-scenarios")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray());
        await (await owner.PostAsync($"/api/workspaces/{a}/deleted-scenarios/{id}/restore", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NewScenario_GoesToTheOnlyWorkspace_OrMustNameOne()
    {
        var a = await NewWorkspaceAsync();
        var b = await NewWorkspaceAsync();
        var (account, secret) = await app.NewUserWithKeyAsync(UserRole.Analyst, a, WorkspaceRole.Analyst);
        using var client = app.ClientWithKey(secret);
        var (id, _) = await client.CreateScenarioAsync();
        Assert.Equal(a, await WorkspaceOfAsync(client, id));

        await app.Get<WorkspaceRepository>().SetMemberAsync(b, account.Id, WorkspaceRole.Analyst);
        var problem = await (await client.PostAsync("/api/scenarios", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["workspace"], problem.ErrorPaths());
        await (await client.PostAsync("/api/scenarios?workspace=x", TestApi.Json(TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        var created = await (await client.PostAsync($"/api/scenarios?workspace={b}", TestApi.Json(TestApi.GoldJson()))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(b, await WorkspaceOfAsync(client, created.GetProperty("id").GetInt64()));
        var imported = await (await client.PostAsync($"/api/scenarios/import?workspace={b}", TestApi.Json(TestApi.GoldJson()))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(b, await WorkspaceOfAsync(client, imported.GetProperty("id").GetInt64()));
        var onlyA = await (await client.GetAsync($"/api/scenarios?workspace={a}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([id], onlyA.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Admins_ManageWorkspacesAndMembers_AndOthersMayNot()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var name = $"Study {Guid.NewGuid():N}";
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name })).ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        await (await admin.PostAsJsonAsync("/api/workspaces", new { name })).ExpectProblemAsync(HttpStatusCode.Conflict);
        var blank = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "  " })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["name"], blank.ErrorPaths());
        await (await analyst.PostAsJsonAsync("/api/workspaces", new { name = name + " 2" })).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var renamed = await (await admin.PutAsJsonAsync($"/api/workspaces/{id}", new { name = name + " renamed" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(name + " renamed", renamed.GetProperty("name").GetString());

        var (member, secret) = await app.NewUserWithKeyAsync(UserRole.Analyst);
        using var memberClient = app.ClientWithKey(secret);
        await (await memberClient.GetAsync($"/api/workspaces/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var set = await (await admin.PutAsJsonAsync($"/api/workspaces/{id}/members/{member.Id}", new { role = "viewer" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("viewer", set.GetProperty("role").GetString());
        Assert.Equal("viewer", (await (await memberClient.GetAsync($"/api/workspaces/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("role").GetString());
        await (await admin.PutAsJsonAsync($"/api/workspaces/{id}/members/{member.Id}", new { role = "owner" })).ExpectAsync(HttpStatusCode.OK);
        var members = await (await memberClient.GetAsync($"/api/workspaces/{id}/members")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("owner", Assert.Single(members.EnumerateArray()).GetProperty("role").GetString());
        await (await memberClient.PutAsJsonAsync($"/api/workspaces/{id}/members/{member.Id}", new { role = "viewer" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PutAsJsonAsync($"/api/workspaces/{id}/members/987654321", new { role = "viewer" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PutAsJsonAsync($"/api/workspaces/{id}/members/{member.Id}", new { role = "boss" })).ExpectProblemAsync(HttpStatusCode.BadRequest);

        await (await admin.DeleteAsync($"/api/workspaces/{id}/members/{member.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await memberClient.GetAsync($"/api/workspaces/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/api/workspaces/{id}/members/{member.Id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await analyst.GetAsync("/api/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task EveryWrite_LeavesAnAuditRecord_SayingWhoWhatAndFromWhere()
    {
        var a = await NewWorkspaceAsync();
        using var owner = await MemberAsync(a, WorkspaceRole.Owner);
        owner.DefaultRequestHeaders.UserAgent.ParseAdd("audit-test/1.0");
        var (id, etag) = await owner.CreateScenarioAsync();
        var replaced = await SendAsync(owner, HttpMethod.Put, $"/api/scenarios/{id}", etag, TestApi.GoldJson().Replace("Gold open pit - base case", "Gold v2", StringComparison.Ordinal));
        await replaced.ExpectAsync(HttpStatusCode.OK);
        var products = await (await owner.GetAsync($"/api/scenarios/{id}/products")).ExpectAsync(HttpStatusCode.OK);
        var section = await SendAsync(owner, HttpMethod.Put, $"/api/scenarios/{id}/products", replaced.Headers.ETag, products.GetRawText());
        await section.ExpectAsync(HttpStatusCode.OK);
        await (await SendAsync(owner, HttpMethod.Post, $"/api/scenarios/{id}/versions/1/restore", section.Headers.ETag)).ExpectAsync(HttpStatusCode.OK);
        var clone = await (await owner.PostAsJsonAsync($"/api/scenarios/{id}/clone", new { })).ExpectAsync(HttpStatusCode.Created);
        await (await owner.PostAsync($"/api/scenarios/import?workspace={a}", TestApi.Json(TestApi.GoldJson()))).ExpectAsync(HttpStatusCode.Created);
        var entry = await (await owner.PostAsJsonAsync($"/api/scenarios/{id}/maintenance", MaintenanceEntry())).ExpectAsync(HttpStatusCode.Created);
        var entryId = entry.GetProperty("id").GetInt64();
        await (await owner.PutAsJsonAsync($"/api/scenarios/{id}/maintenance/{entryId}", MaintenanceEntry())).ExpectAsync(HttpStatusCode.OK);
        await (await owner.DeleteAsync($"/api/scenarios/{id}/maintenance/{entryId}")).ExpectAsync(HttpStatusCode.NoContent);
        var run = await (await owner.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2_000_000, seed = 1 })).ExpectAsync(HttpStatusCode.Accepted);
        await (await owner.PostAsync($"/api/simulations/{run.GetProperty("id").GetInt64()}/cancel", null)).ExpectAsync(HttpStatusCode.OK);
        var cloneId = clone.GetProperty("id").GetInt64();
        var cloneTag = (await owner.GetAsync($"/api/scenarios/{cloneId}")).Headers.ETag;
        await (await SendAsync(owner, HttpMethod.Delete, $"/api/scenarios/{cloneId}", cloneTag)).ExpectAsync(HttpStatusCode.NoContent);
        await (await owner.PostAsync($"/api/workspaces/{a}/deleted-scenarios/{cloneId}/restore", null)).ExpectAsync(HttpStatusCode.OK);

        var log = await (await owner.GetAsync($"/api/workspaces/{a}/audit?limit=50")).ExpectAsync(HttpStatusCode.OK);
        var entries = log.GetProperty("items").EnumerateArray().ToList();
        string[] expected =
        [
            "scenario.create", "scenario.update", "scenario.restore-version", "scenario.clone", "scenario.import",
            "maintenance.add", "maintenance.update", "maintenance.delete", "run.submit", "run.cancel", "scenario.delete", "scenario.restore", "member.set", "workspace.create",
        ];
        Assert.Equal(expected.Order(), entries.Select(e => e.GetProperty("action").GetString()!).Distinct().Order());
        Assert.Equal(2, entries.Count(e => e.GetProperty("action").GetString() == "scenario.update"));
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "scenario.update" && e.GetProperty("summary").GetString()!.Contains("name", StringComparison.Ordinal));
        foreach (var record in entries.Where(e => e.GetProperty("action").GetString() is not ("member.set" or "workspace.create")))
        {
            Assert.StartsWith("owner-", record.GetProperty("actor").GetString(), StringComparison.Ordinal);
            Assert.Equal("127.0.0.1", record.GetProperty("remoteAddress").GetString());
            Assert.Equal("audit-test/1.0", record.GetProperty("userAgent").GetString());
            Assert.Equal(a, record.GetProperty("workspaceId").GetInt64());
        }

        var deletes = await (await owner.GetAsync($"/api/workspaces/{a}/audit?action=scenario.delete")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(cloneId, Assert.Single(deletes.GetProperty("items").EnumerateArray()).GetProperty("targetId").GetInt64());
        var scenarioActions = await (await owner.GetAsync($"/api/workspaces/{a}/audit?action=scenario.&limit=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(8, scenarioActions.GetProperty("totalCount").GetInt32());
        var future = await (await owner.GetAsync($"/api/workspaces/{a}/audit?since=2100-01-01T00:00:00Z")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, future.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task UserKeyWorkspaceAndMembershipChanges_AreInTheAdminsAuditLog()
    {
        using var admin = await app.ClientAsync(UserRole.Admin);
        var email = $"audited-{Guid.NewGuid():N}@example.com";
        var user = await (await admin.PostAsJsonAsync("/api/users", new { email, role = "analyst" })).ExpectAsync(HttpStatusCode.Created);
        var userId = user.GetProperty("id").GetInt64();
        await (await admin.PutAsJsonAsync($"/api/users/{userId}/role", new { role = "viewer" })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync($"/api/users/{userId}/password", new { password = "correct horse battery staple" })).ExpectAsync(HttpStatusCode.NoContent);
        var key = await (await admin.PostAsJsonAsync($"/api/users/{userId}/keys", new { name = "ci" })).ExpectAsync(HttpStatusCode.Created);
        var keyId = key.GetProperty("id").GetInt64();
        await (await admin.DeleteAsync($"/api/users/{userId}/keys/{keyId}")).ExpectAsync(HttpStatusCode.NoContent);
        var workspace = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = $"Audited {Guid.NewGuid():N}" })).ExpectAsync(HttpStatusCode.Created);
        var workspaceId = workspace.GetProperty("id").GetInt64();
        await (await admin.PutAsJsonAsync($"/api/workspaces/{workspaceId}", new { name = $"Audited {Guid.NewGuid():N}" })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync($"/api/workspaces/{workspaceId}/members/{userId}", new { role = "analyst" })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"/api/workspaces/{workspaceId}/members/{userId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync($"/api/users/{userId}")).ExpectAsync(HttpStatusCode.NoContent);

        var me = await (await admin.GetAsync("/api/auth/me")).ExpectAsync(HttpStatusCode.OK);
        var log = await (await admin.GetAsync($"/api/audit?user={me.GetProperty("id").GetInt64()}&limit=50")).ExpectAsync(HttpStatusCode.OK);
        var actions = log.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(
            ["user.delete", "member.remove", "member.set", "workspace.rename", "workspace.create", "apikey.revoke", "apikey.create", "user.set-password", "user.set-role", "user.create"],
            actions);
        var ofWorkspace = await (await admin.GetAsync($"/api/audit?workspace={workspaceId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, ofWorkspace.GetProperty("totalCount").GetInt32());
        await (await admin.GetAsync("/api/audit?user=me")).ExpectProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task FailedWrite_LeavesNoAuditRecord()
    {
        var a = await NewWorkspaceAsync();
        using var owner = await MemberAsync(a, WorkspaceRole.Owner);
        var (id, _) = await owner.CreateScenarioAsync();
        await (await SendAsync(owner, HttpMethod.Put, $"/api/scenarios/{id}", new EntityTagHeaderValue("\"5\""), TestApi.GoldJson())).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await SendAsync(owner, HttpMethod.Delete, $"/api/scenarios/{id}", new EntityTagHeaderValue("\"5\""))).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await owner.PostAsync($"/api/scenarios?workspace={a}", TestApi.Json("{\"name\": 1}"))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        var log = await (await owner.GetAsync($"/api/workspaces/{a}/audit")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["scenario.create", "member.set", "workspace.create"], log.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    private async Task<long> NewWorkspaceAsync() =>
        (await app.Get<WorkspaceRepository>().CreateAsync($"Team {Guid.NewGuid():N}")).Id;

    /// <summary>A client of a new user, an analyst by global role, who is a member of <paramref name="workspaceId"/> only, with <paramref name="role"/>.</summary>
    private async Task<HttpClient> MemberAsync(long workspaceId, WorkspaceRole role)
    {
        var account = await app.Get<UserRepository>().CreateAsync($"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.com", null, UserRole.Analyst);
        await app.Get<WorkspaceRepository>().SetMemberAsync(workspaceId, account.Id, role);
        var key = await app.Get<ApiKeyRepository>().CreateAsync(account.Id, "tests");
        return app.ClientWithKey(key.Secret);
    }

    private static async Task<long> WorkspaceOfAsync(HttpClient client, long scenarioId)
    {
        var list = await (await client.GetAsync("/api/scenarios?limit=50")).ExpectAsync(HttpStatusCode.OK);
        return list.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == scenarioId).GetProperty("workspaceId").GetInt64();
    }

    private static async Task<string> StatusAsync(HttpClient client, long runId) =>
        (await (await client.GetAsync($"/api/simulations/{runId}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("status").GetString()!;

    private static Dictionary<string, object> MaintenanceEntry() => new()
    {
        ["equipment"] = "Haul truck 220 t",
        ["start"] = "2028-03-01T00:00:00Z",
        ["end"] = "2028-03-02T00:00:00Z",
        ["kind"] = "planned",
        ["cost"] = 1000,
    };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, EntityTagHeaderValue? ifMatch, string? json = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = json is null ? null : TestApi.Json(json) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        return client.SendAsync(request);
    }
}
