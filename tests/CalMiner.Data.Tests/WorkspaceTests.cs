using CalMiner.Data.Migrations;
using CalMiner.Data.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CalMiner.Data.Tests;

public sealed class WorkspaceTests
{
    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Migration0005_MovesADatabaseAtVersion4_IntoTheDefaultWorkspace_WithEveryUserAMember(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine, migrate: false);
        var atVersion4 = new DatabaseMigrator(host.Database, [.. Migration.All.Take(4)], TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);
        await atVersion4.MigrateAsync();
        var now = engine == Engine.PostgreSql ? "now()" : "'2026-01-01 00:00:00+00:00'";
        await host.ExecuteAsync(
            "INSERT INTO app_user (email, password_hash, role, created_at) VALUES "
            + $"('ann@example.com', 'hash-a', 'admin', {now}), ('bob@example.com', NULL, 'analyst', {now}), ('cy@example.com', NULL, 'viewer', {now})");
        var scenarioId = await OldSchema.CreateScenarioAsync(host, Samples.Gold);
        await host.ExecuteAsync(
            "INSERT INTO simulation_run (scenario_id, scenario_version, status, iterations, seed, sampling, progress, attempts, queued_at, requested_by) "
            + $"VALUES ({scenarioId}, 1, 'queued', 1000, 1, 'latinHypercube', 0, 0, '2026-01-01 00:00:00+00:00', 'bob')");
        var runId = await host.ScalarAsync("SELECT max(id) FROM simulation_run");

        var result = await host.Migrator.MigrateAsync();

        Assert.Equal(4, result.PreviousVersion);
        Assert.Equal("0005_workspaces", result.Applied[0]);
        var workspace = Assert.Single(await host.Workspaces.ListAsync());
        Assert.Equal((WorkspaceRepository.DefaultId, "Default"), (workspace.Id, workspace.Name));
        var members = await host.Workspaces.ListMembersAsync(workspace.Id);
        Assert.Equal(
            [("ann@example.com", WorkspaceRole.Owner), ("bob@example.com", WorkspaceRole.Analyst), ("cy@example.com", WorkspaceRole.Viewer)],
            members.Select(m => (m.Email, m.Role)));
        var bob = members[1].UserId;
        Assert.Equal(new WorkspaceAccess(workspace.Id, WorkspaceRole.Analyst), await host.Workspaces.ScenarioAccessAsync(scenarioId, bob));
        Assert.Equal(new WorkspaceAccess(workspace.Id, WorkspaceRole.Analyst), await host.Workspaces.RunAccessAsync(runId, bob));
        Assert.Equal(Samples.Gold, (await host.Scenarios.GetAsync(scenarioId))!.Document);
        Assert.Equal([scenarioId], (await host.Scenarios.ListAsync(workspaceIds: [workspace.Id])).Items.Select(s => s.Id));
        Assert.Equal(0, (await host.Audit.ListAsync()).TotalCount);

        // What is written afterwards lands in the default workspace unless told otherwise, and is audited.
        var created = await host.Scenarios.CreateAsync(Samples.Gold, "bob");
        Assert.Equal(workspace.Id, (await host.Workspaces.ScenarioAccessAsync(created.Id, bob))!.WorkspaceId);
        Assert.Equal(AuditActions.ScenarioCreate, Assert.Single((await host.Audit.ListAsync()).Items).Action);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ADeletedScenario_IsRestorableUntilItIsPurgedAfterTheRetentionPeriod(Engine engine)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var team = await host.Workspaces.CreateAsync("Copper");
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice", team.Id);
        var run = await host.Runs.QueueAsync(scenario.Id, 1, scenario.Document.Simulation, "alice");

        using (AuditActor.Use(new AuditActor(3, "ann@example.com", "10.1.2.3", "tests")))
        {
            Assert.True(await host.Scenarios.DeleteAsync(scenario.Id, expectedVersion: 1));
        }

        Assert.Null(await host.Workspaces.ScenarioAccessAsync(scenario.Id, 3));
        Assert.Null(await host.Workspaces.RunAccessAsync(run.Id, 3));
        var deleted = Assert.Single(await host.Scenarios.ListDeletedAsync(team.Id));
        Assert.Equal((scenario.Id, "ann@example.com", clock.GetUtcNow()), (deleted.Id, deleted.DeletedBy, deleted.DeletedAt));
        Assert.Null(await host.Scenarios.RestoreDeletedAsync(WorkspaceRepository.DefaultId, scenario.Id));
        Assert.Equal(1, await host.Scenarios.RestoreDeletedAsync(team.Id, scenario.Id));
        Assert.NotNull(await host.Scenarios.GetAsync(scenario.Id));

        Assert.True(await host.Scenarios.DeleteAsync(scenario.Id));
        clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await host.Scenarios.PurgeDeletedAsync(clock.GetUtcNow() - TimeSpan.FromDays(30)));
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await host.Scenarios.PurgeDeletedAsync(clock.GetUtcNow() - TimeSpan.FromDays(30)));

        Assert.Null(await host.Scenarios.RestoreDeletedAsync(team.Id, scenario.Id));
        Assert.Null(await host.Runs.GetAsync(run.Id));
        Assert.Equal(0, await host.ScalarAsync($"SELECT count(*) FROM scenario_version WHERE scenario_id = {scenario.Id}"));
        var log = await host.Audit.ListAsync(new AuditFilter(WorkspaceId: team.Id));
        Assert.Equal(
            [AuditActions.ScenarioPurge, AuditActions.ScenarioDelete, AuditActions.ScenarioRestore, AuditActions.ScenarioDelete, AuditActions.RunSubmit, AuditActions.ScenarioCreate, AuditActions.WorkspaceCreate],
            log.Items.Select(e => e.Action));
        var byAnn = log.Items[3];
        Assert.Equal((3L, "ann@example.com", "10.1.2.3", "tests"), (byAnn.UserId!.Value, byAnn.Actor, byAnn.RemoteAddress, byAnn.UserAgent));
        Assert.Equal("system", log.Items[0].Actor);
    }

    [Fact]
    public async Task AnAuditRecord_IsRolledBackWithAWriteThatFailsAtCommit()
    {
        await using var host = await DataHost.StartAsync(Engine.PostgreSql);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        // A check that fails only at commit, after the delete wrote its audit record in the same transaction.
        await host.ExecuteAsync("""
            CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
            CREATE CONSTRAINT TRIGGER refuse_delete AFTER UPDATE OF deleted_at ON scenario DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.deleted_at IS NOT NULL) EXECUTE FUNCTION refuse_delete();
            """);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.Scenarios.DeleteAsync(scenario.Id, expectedVersion: 1));

        Assert.Contains("refused at commit", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await host.Scenarios.GetAsync(scenario.Id));
        Assert.Equal([AuditActions.ScenarioCreate], (await host.Audit.ListAsync()).Items.Select(e => e.Action));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Memberships_DecideWhatAUserSees_AndTheirChangesAreAudited(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var user = await host.Users.CreateAsync("dee@example.com", null, UserRole.Analyst);
        var team = await host.Workspaces.CreateAsync("  Nickel  ");
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "dee", team.Id);

        Assert.Equal("Nickel", team.Name);
        await Assert.ThrowsAsync<DuplicateWorkspaceNameException>(() => host.Workspaces.CreateAsync("Nickel"));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Scenarios.CreateAsync(Samples.Gold, "dee", 987654));
        Assert.Equal(new WorkspaceAccess(team.Id, null), await host.Workspaces.ScenarioAccessAsync(scenario.Id, user.Id));
        Assert.Equal(new WorkspaceAccess(team.Id, null), await host.Workspaces.WorkspaceAccessAsync(team.Id, user.Id));
        Assert.Null(await host.Workspaces.WorkspaceAccessAsync(987654, user.Id));
        Assert.True(await host.Workspaces.SetMemberAsync(team.Id, user.Id, WorkspaceRole.Viewer));
        Assert.Equal(new WorkspaceAccess(team.Id, WorkspaceRole.Viewer), await host.Workspaces.WorkspaceAccessAsync(team.Id, user.Id));
        Assert.True(await host.Workspaces.SetMemberAsync(team.Id, user.Id, WorkspaceRole.Owner));
        Assert.False(await host.Workspaces.SetMemberAsync(team.Id, 987654, WorkspaceRole.Owner));
        Assert.Equal(new WorkspaceAccess(team.Id, WorkspaceRole.Owner), await host.Workspaces.ScenarioAccessAsync(scenario.Id, user.Id));
        Assert.Equal([("Nickel", WorkspaceRole.Owner)], (await host.Workspaces.ListMembershipsAsync(user.Id)).Select(m => (m.Workspace.Name, m.Role)));
        Assert.Equal("Nickel 2027", (await host.Workspaces.RenameAsync(team.Id, "Nickel 2027"))!.Name);
        Assert.True(await host.Workspaces.RemoveMemberAsync(team.Id, user.Id));
        Assert.False(await host.Workspaces.RemoveMemberAsync(team.Id, user.Id));
        Assert.Empty(await host.Workspaces.ListMembershipsAsync(user.Id));

        var log = await host.Audit.ListAsync(new AuditFilter(WorkspaceId: team.Id, Action: "member."));
        Assert.Equal([AuditActions.MemberRemove, AuditActions.MemberSet, AuditActions.MemberSet], log.Items.Select(e => e.Action));
        Assert.Contains("dee@example.com is owner in 'Nickel'", log.Items[1].Summary, StringComparison.Ordinal);
        Assert.Equal(2, (await host.Audit.ListAsync(new AuditFilter(Action: "workspace."))).TotalCount);
    }
}
