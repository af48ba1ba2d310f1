using CalMiner.Data.Database;
using CalMiner.Data.Migrations;
using CalMiner.Data.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CalMiner.Data.Tests;

public sealed class MigrationTests
{
    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Migrate_AppliesEveryMigrationOnce_AndRunningItAgainIsANoOp(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine, migrate: false);

        var before = await host.Migrator.GetCurrentVersionAsync();
        var first = await host.Migrator.MigrateAsync();
        var second = await host.Migrator.MigrateAsync();

        Assert.Equal(0, before);
        Assert.Equal(0, first.PreviousVersion);
        Assert.Equal(host.Migrator.LatestVersion, first.CurrentVersion);
        Assert.Equal(Migration.All.Select(m => m.Id), first.Applied);
        Assert.Equal(new MigrationResult(first.CurrentVersion, first.CurrentVersion, []), second with { Applied = [] });
        Assert.Empty(second.Applied);
        Assert.Equal(Migration.All.Count, await host.ScalarAsync("SELECT count(*) FROM schema_migration"));
        Assert.Equal(host.Migrator.LatestVersion, await host.Migrator.GetCurrentVersionAsync());
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task TwoMigratorsAtOnce_ApplyEachMigrationExactlyOnce(Engine engine)
    {
        var options = DataHost.NewDatabase(engine);
        // Two separate service providers, as two processes starting at the same time would have.
        await using var a = await DataHost.StartAsync(options, migrate: false, ownsStorage: true);
        await using var b = await DataHost.StartAsync(options, migrate: false);

        var results = await Task.WhenAll(Task.Run(() => a.Migrator.MigrateAsync()), Task.Run(() => b.Migrator.MigrateAsync()));

        Assert.Equal(Migration.All.Count, results.Sum(r => r.Applied.Count));
        Assert.All(results, r => Assert.Equal(a.Migrator.LatestVersion, r.CurrentVersion));
        Assert.Equal(Migration.All.Count, await a.ScalarAsync("SELECT count(*) FROM schema_migration"));
        var created = await b.Scenarios.CreateAsync(Samples.Gold, "alice");
        Assert.Equal(Samples.Gold, (await a.Scenarios.GetAsync(created.Id))!.Document);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task RunExclusive_FromTwoProcessesAtOnce_RunsOneAtATime(Engine engine)
    {
        var options = DataHost.NewDatabase(engine);
        // Two separate service providers, as two hosts starting at the same time would have.
        await using var a = await DataHost.StartAsync(options, migrate: true, ownsStorage: true);
        await using var b = await DataHost.StartAsync(options, migrate: false);
        var inside = 0;
        var most = 0;
        var created = 0;

        async Task SetUpAsync(CancellationToken token)
        {
            most = Math.Max(most, Interlocked.Increment(ref inside));
            // What hosts do in turn: look, and create only what is not there yet.
            if ((await a.Scenarios.ListAsync(limit: 1, cancellationToken: token)).TotalCount == 0)
            {
                await Task.Delay(200, token);
                await b.Scenarios.CreateAsync(Samples.Gold, "samples", cancellationToken: token);
                Interlocked.Increment(ref created);
            }

            Interlocked.Decrement(ref inside);
        }

        await Task.WhenAll(Task.Run(() => a.Migrator.RunExclusiveAsync(SetUpAsync)), Task.Run(() => b.Migrator.RunExclusiveAsync(SetUpAsync)));

        Assert.Equal(1, most);
        Assert.Equal(1, created);
        Assert.Equal(1, (await a.Scenarios.ListAsync()).TotalCount);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AFailingMigration_IsRolledBackWhole_AndLeavesTheVersionUnchanged(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine, migrate: true);
        var broken = new Migration(
            Migration.All[^1].Version + 1,
            "broken",
            "CREATE TABLE half_done (id integer); ALTER TABLE scenario ADD COLUMN half_done_column integer; SELECT no_such_function();",
            "CREATE TABLE half_done (id integer); ALTER TABLE scenario ADD COLUMN half_done_column integer; INSERT INTO no_such_table VALUES (1);");
        var migrator = new DatabaseMigrator(host.Database, [.. Migration.All, broken], TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync());

        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
        Assert.Equal(Migration.All[^1].Version, await migrator.GetCurrentVersionAsync());
        var halfDone = host.Options.Driver == DatabaseDriver.PostgreSql
            ? "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND (table_name = 'half_done' OR column_name = 'half_done_column')"
            : "SELECT (SELECT count(*) FROM sqlite_master WHERE name = 'half_done') + (SELECT count(*) FROM pragma_table_info('scenario') WHERE name = 'half_done_column')";
        Assert.Equal(0, await host.ScalarAsync(halfDone));
        Assert.NotNull(await host.Scenarios.CreateAsync(Samples.Gold, "alice"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Migration0002_AddsTheAccountTables_ToADatabaseAtVersion1_KeepingItsData(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine, migrate: false);
        var atVersion1 = new DatabaseMigrator(host.Database, [Migration.All[0]], TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);
        await atVersion1.MigrateAsync();
        var scenarioId = await OldSchema.CreateScenarioAsync(host, Samples.Gold);
        var toVersion2 = new DatabaseMigrator(host.Database, [.. Migration.All.Take(2)], TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);

        var result = await toVersion2.MigrateAsync();

        Assert.Equal(1, result.PreviousVersion);
        Assert.Equal("0002_accounts", Assert.Single(result.Applied));
        Assert.Equal(2, result.CurrentVersion);
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM scenario_version WHERE scenario_id = {scenarioId}"));
        var tables = host.Options.Driver == DatabaseDriver.PostgreSql
            ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('app_user', 'api_key')"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('app_user', 'api_key')";
        Assert.Equal(2, await host.ScalarAsync(tables));
        await host.Migrator.MigrateAsync();
        Assert.Equal(Samples.Gold, (await host.Scenarios.GetAsync(scenarioId))!.Document);
        var user = await host.Users.CreateAsync("alice@example.com", null, UserRole.Admin);
        Assert.Equal(user, await host.ApiKeys.AuthenticateAsync((await host.ApiKeys.CreateAsync(user.Id, "ci")).Secret));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Migration0003_GivesEveryUserASecurityStampOfTheirOwn_AndAddsTheKeyRingTable(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine, migrate: false);
        var atVersion2 = new DatabaseMigrator(host.Database, [.. Migration.All.Take(2)], TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);
        await atVersion2.MigrateAsync();
        var now = engine == Engine.PostgreSql ? "now()" : "'2030-01-01'";
        await host.ExecuteAsync($"INSERT INTO app_user (email, password_hash, role, created_at) VALUES ('ann@example.com', 'hash-a', 'admin', {now}), ('bob@example.com', NULL, 'viewer', {now})");

        var result = await host.Migrator.MigrateAsync();

        Assert.Equal(2, result.PreviousVersion);
        Assert.Equal("0003_sessions", result.Applied[0]);
        var ann = (await host.Users.GetCredentialsAsync("ann@example.com"))!;
        var bob = (await host.Users.GetCredentialsAsync("bob@example.com"))!;
        Assert.Equal(("hash-a", UserRole.Admin), (ann.PasswordHash, ann.Account.Role));
        Assert.Equal(32, ann.SecurityStamp.Length);
        Assert.Equal(32, bob.SecurityStamp.Length);
        Assert.NotEqual(ann.SecurityStamp, bob.SecurityStamp);
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM data_protection_key"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Migration0004_KeepsTheRunsOfADatabaseAtVersion3_WhichDoNotRepairCorrelations(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine, migrate: false);
        var atVersion3 = new DatabaseMigrator(host.Database, [.. Migration.All.Take(3)], TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);
        await atVersion3.MigrateAsync();
        var scenarioId = await OldSchema.CreateScenarioAsync(host, Samples.Gold);
        await host.ExecuteAsync(
            "INSERT INTO simulation_run (scenario_id, scenario_version, status, iterations, seed, sampling, progress, attempts, queued_at, requested_by) "
            + $"VALUES ({scenarioId}, 1, 'queued', 1000, 1, 'latinHypercube', 0, 0, '2026-01-01 00:00:00+00:00', 'alice')");

        var result = await host.Migrator.MigrateAsync();

        Assert.Equal(3, result.PreviousVersion);
        Assert.Equal("0004_correlation_repair", result.Applied[0]);
        var run = Assert.Single(await host.Runs.ListAsync(scenarioId));
        Assert.False(run.RepairCorrelations);
        var repairing = await host.Runs.QueueAsync(scenarioId, 1, new CalMiner.Scenarios.SimulationSettings(1000), "alice", repairCorrelations: true);
        Assert.True((await host.Runs.GetAsync(repairing.Id))!.RepairCorrelations);
    }

    [Fact]
    public async Task DatabaseSchema_KeepsTwoSchemasApart()
    {
        await using var first = await DataHost.StartAsync(Engine.PostgreSql);
        await using var second = await DataHost.StartAsync(Engine.PostgreSql);

        var a = await first.Scenarios.CreateAsync(Samples.Gold with { Name = "In the first schema" }, "alice");
        var b = await second.Scenarios.CreateAsync(Samples.EveryField with { Name = "In the second schema" }, "bob");

        Assert.NotEqual(first.Options.Schema, second.Options.Schema);
        Assert.Equal(["In the first schema"], (await first.Scenarios.ListAsync()).Items.Select(i => i.Name));
        Assert.Equal(["In the second schema"], (await second.Scenarios.ListAsync()).Items.Select(i => i.Name));
        Assert.Equal(1, await first.ScalarAsync($"SELECT count(*) FROM \"{first.Options.Schema}\".scenario"));
        Assert.Equal(1, await first.ScalarAsync($"SELECT count(*) FROM \"{second.Options.Schema}\".scenario"));
        Assert.Equal("In the first schema", (await first.Scenarios.GetAsync(a.Id))!.Document.Name);
        Assert.Equal("In the second schema", (await second.Scenarios.GetAsync(b.Id))!.Document.Name);
    }

    [Fact]
    public async Task TheTables_AreInTheConfiguredSchema_NotInPublic()
    {
        await using var host = await DataHost.StartAsync(Engine.PostgreSql);

        var tables = await host.ScalarAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{host.Options.Schema}'");

        Assert.Equal(24, tables);
    }
}

public sealed class SqliteStatementSplitterTests
{
    [Fact]
    public void Split_CutsAtStatementEnds_NotAtSemicolonsInQuotesOrTriggers()
    {
        const string Script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x TEXT CHECK (x <> ';'));
            CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;

            -- trailing comment
            """;

        var statements = DatabaseMigrator.SqliteStatements(Script).Select(s => s.Trim()).ToList();

        Assert.Equal(2, statements.Count);
        Assert.EndsWith("CREATE TABLE a (x TEXT CHECK (x <> ';'));", statements[0], StringComparison.Ordinal);
        Assert.Equal("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;", statements[1]);
    }
}
