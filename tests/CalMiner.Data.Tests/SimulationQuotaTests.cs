using CalMiner.Data.Tests.Infrastructure;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Data.Tests;

/// <summary>The limits on queued runs and kept samples, the samples' retention, the streamed samples, and runs that fail inside.</summary>
public sealed class SimulationQuotaTests
{
    private static readonly DateTimeOffset Start = new(2027, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task User_MayHaveAtMostTheQuotasRuns_QueuedOrRunning(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var quota = new SimulationQuota { MaxActiveRunsPerUser = 2 };
        var first = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", quota: quota);
        await host.Runs.ClaimAsync("w", Lease);
        await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", quota: quota);

        var refused = await Assert.ThrowsAsync<SimulationQuotaExceededException>(() => host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", quota: quota));
        Assert.Equal((SimulationQuotaLimit.ActiveRuns, 2L, 2L), (refused.Limit, refused.Allowed, refused.InUse));
        Assert.Equal(2, (await host.Runs.ListAsync(scenario.Id)).Count);

        // Another user is not held back, and a finished run frees a place.
        await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "bob", quota: quota);
        Assert.True(await host.Runs.CompleteAsync(first.Id, "w", 1, "{}", null));
        await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", quota: quota);
    }

    [Fact]
    public async Task ConcurrentRequests_NeverPassTheLimitTogether()
    {
        await using var host = await DataHost.StartAsync(Engine.PostgreSql);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var quota = new SimulationQuota { MaxActiveRunsPerUser = 3 };
        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            try
            {
                await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", quota: quota);
                return true;
            }
            catch (SimulationQuotaExceededException)
            {
                return false;
            }
        }));

        Assert.Equal(3, attempts.Count(queued => queued));
        Assert.Equal(3, (await host.Runs.ListAsync(scenario.Id)).Count);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Samples_CountAgainstTheUsersAndTheTotalBudget_UntilDropped(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var quota = new SimulationQuota { SampleBytesPerUser = 1000, SampleBytesTotal = 1500 };
        var queued = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", sampleBytes: 800, quota: quota);
        Assert.Equal(800, queued.SampleBytes);

        var user = await Assert.ThrowsAsync<SimulationQuotaExceededException>(() => host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", sampleBytes: 300, quota: quota));
        Assert.Equal((SimulationQuotaLimit.UserSampleBytes, 1000L, 800L, 300L), (user.Limit, user.Allowed, user.InUse, user.Requested));
        var total = await Assert.ThrowsAsync<SimulationQuotaExceededException>(() => host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "bob", sampleBytes: 800, quota: quota));
        Assert.Equal((SimulationQuotaLimit.TotalSampleBytes, 1500L, 800L), (total.Limit, total.Allowed, total.InUse));

        // A run that keeps no samples takes none; once completed a run counts what it stored; dropped, nothing.
        var noSamples = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", keepSamples: false, sampleBytes: 300, quota: quota);
        Assert.Equal((false, 0L), (noSamples.KeepSamples, noSamples.SampleBytes));
        await host.Runs.ClaimRunAsync(queued.Id, "w", Lease);
        Assert.True(await host.Runs.CompleteAsync(queued.Id, "w", 10, "{}", new SimulationSamples(new Dictionary<string, double[]> { ["npvAfterTax"] = new double[10] }, new Dictionary<string, double[]>())));
        Assert.Equal(80, (await host.Runs.GetAsync(queued.Id))!.SampleBytes);
        await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice", sampleBytes: 900, quota: quota with { MaxActiveRunsPerUser = 10 });
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Retention_DropsTheSamplesOfOlderAndOfOldRuns_KeepingTheirSummaries(Engine engine)
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var gold = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var other = await host.Scenarios.CreateAsync(Samples.Gold with { Name = "Other" }, "alice");
        var old = await CompletedAsync(host, other.Id, 100);
        clock.Advance(TimeSpan.FromDays(10));
        var first = await CompletedAsync(host, gold.Id, 100);
        var second = await CompletedAsync(host, gold.Id, 100);
        var third = await CompletedAsync(host, gold.Id, 70_000);
        var retention = new SampleRetention { RunsPerScenario = 2, MaxAge = TimeSpan.FromDays(7) };

        var dropped = await host.Runs.ApplyRetentionAsync(retention);

        Assert.Equal([old, first], dropped);
        foreach (var id in dropped)
        {
            var run = (await host.Runs.GetAsync(id))!;
            Assert.Equal((SimulationRunStatus.Succeeded, 0L, clock.GetUtcNow()), (run.Status, run.SampleBytes, run.SamplesDroppedAt));
            Assert.NotNull(await host.Runs.GetSummaryAsync(id));
            Assert.False(await host.Runs.WriteSamplesCsvAsync(id, new StringWriter()));
        }

        Assert.Equal(0, await host.ScalarAsync($"SELECT count(*) FROM simulation_sample WHERE run_id IN ({old}, {first})"));
        Assert.Null((await host.Runs.GetAsync(second))!.SamplesDroppedAt);
        Assert.Equal(70_000L * 8 * 2, (await host.Runs.GetAsync(third))!.SampleBytes);
        Assert.Empty(await host.Runs.ApplyRetentionAsync(retention));
        Assert.False(await host.Runs.DropSamplesAsync(first));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task StreamedSamples_AreTheCsvOfTheWholeSamples(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        // More than a chunk of 65 536, not a multiple of the window; NaN and infinities become empty cells.
        var run = await CompletedAsync(host, scenario.Id, 140_001);

        var streamed = new StringWriter();
        Assert.True(await host.Runs.WriteSamplesCsvAsync(run, streamed));
        var whole = new StringWriter();
        var samples = (await host.Runs.GetSamplesAsync(run))!;
        await SampleCsv.WriteAsync(whole, [.. samples.Inputs, .. samples.Outputs]);

        Assert.Equal(140_003, streamed.ToString().Split("\r\n").Length);
        Assert.Equal(whole.ToString(), streamed.ToString());
        Assert.StartsWith("iteration,goldPrice,npvAfterTax\r\n1,,", streamed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Run_FailsWhenClaimedNamingTheEstimateAndTheBudget_WhenOverTheWorkersMemoryBudget(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(2_000_000), "alice");
        var processor = new SimulationRunProcessor(host.Runs, host.Cache, new SimulationRunProcessorOptions { MemoryBudget = 64L << 20 }, TimeProvider.System, null);

        Assert.True(await processor.ProcessNextAsync("worker-1"));

        var failed = (await host.Runs.GetAsync(run.Id))!;
        Assert.Equal(SimulationRunStatus.Failed, failed.Status);
        Assert.StartsWith("This run of 2000000 iterations would need about ", failed.Error, StringComparison.Ordinal);
        Assert.Contains("one run may use 64 MiB here (this worker's memory budget). Ask for at most ", failed.Error, StringComparison.Ordinal);
        Assert.Null(await host.Runs.GetSummaryAsync(run.Id));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Run_FailsWithTheReasonAndTheWorkerGoesOn_WhenItsResultCannotBeStored(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var settings = new SimulationSettings(3000, 11, SamplingMethod.LatinHypercube);
        var refused = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");
        var next = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");
        // The database itself refuses the first run's samples.
        await host.ExecuteAsync(engine == Engine.PostgreSql
            ? $"""
              CREATE FUNCTION refuse_sample() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.run_id = {refused.Id} THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER refuse_sample BEFORE INSERT ON simulation_sample FOR EACH ROW EXECUTE FUNCTION refuse_sample();
              """
            : $"CREATE TRIGGER refuse_sample BEFORE INSERT ON simulation_sample WHEN NEW.run_id = {refused.Id} BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END;");
        var processor = host.Get<SimulationRunProcessor>();

        Assert.True(await processor.ProcessNextAsync("worker-1"));
        Assert.True(await processor.ProcessNextAsync("worker-1"));

        var failed = (await host.Runs.GetAsync(refused.Id))!;
        Assert.Equal(SimulationRunStatus.Failed, failed.Status);
        Assert.StartsWith("The simulation failed: ", failed.Error, StringComparison.Ordinal);
        Assert.Contains("refused by test trigger", failed.Error, StringComparison.Ordinal);
        Assert.Equal(SimulationRunStatus.Succeeded, (await host.Runs.GetAsync(next.Id))!.Status);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Migration0006_CountsTheSamplesRunsAlreadyHold(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine, migrate: false);
        var before = new DatabaseMigrator(host.Database, [.. Migrations.Migration.All.Where(m => m.Name != "run_quotas")], TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance);
        await before.MigrateAsync();
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var bytes = engine == Engine.PostgreSql ? "decode(repeat('00', 80), 'hex')" : "zeroblob(80)";
        await host.ExecuteAsync(
            "INSERT INTO simulation_run (scenario_id, scenario_version, status, iterations, seed, sampling, progress, attempts, queued_at, requested_by, finished_at) "
            + $"VALUES ({scenario.Id}, 1, 'completed', 10, 1, 'latinHypercube', 1, 1, '2026-01-01 00:00:00+00:00', 'alice', '2026-01-01 00:01:00+00:00'), "
            + $"({scenario.Id}, 1, 'queued', 10, 1, 'latinHypercube', 0, 0, '2026-01-01 00:00:00+00:00', 'alice', NULL)");
        var (completed, queued) = (await host.ScalarAsync("SELECT min(id) FROM simulation_run"), await host.ScalarAsync("SELECT max(id) FROM simulation_run"));
        await host.ExecuteAsync($"INSERT INTO simulation_sample (run_id, kind, name, chunk, value_count, data) VALUES ({completed}, 'output', 'npvAfterTax', 0, 10, {bytes}), ({completed}, 'input', 'goldPrice', 0, 10, {bytes})");

        var result = await host.Migrator.MigrateAsync();

        Assert.Equal("0006_run_quotas", Assert.Single(result.Applied));
        var run = (await host.Runs.GetAsync(completed))!;
        Assert.Equal((true, 160L, (DateTimeOffset?)null), (run.KeepSamples, run.SampleBytes, run.SamplesDroppedAt));
        Assert.Equal(0, (await host.Runs.GetAsync(queued))!.SampleBytes);
    }

    [Fact]
    public void QuotaAndRetention_AreRejectedByName_WhenOutOfRange()
    {
        Assert.Equal("MaxActiveRunsPerUser", Assert.Throws<ArgumentOutOfRangeException>(() => new SimulationQuota { MaxActiveRunsPerUser = 0 }.Validate()).ParamName);
        Assert.Equal("RunsPerScenario", Assert.Throws<ArgumentOutOfRangeException>(() => new SampleRetention { RunsPerScenario = 0 }.Validate()).ParamName);
        Assert.Equal("MaxAge", Assert.Throws<ArgumentException>(() => new SampleRetention { MaxAge = TimeSpan.Zero }.Validate()).ParamName);
        Assert.Equal("MaxAttempts", Assert.Throws<ArgumentException>(() => new SimulationRunProcessorOptions { MaxAttempts = 0 }.Validate()).ParamName);
        Assert.Equal("ProgressInterval", Assert.Throws<ArgumentException>(() => new SimulationRunProcessorOptions { ProgressInterval = TimeSpan.Zero }.Validate()).ParamName);
    }

    /// <summary>A completed run of the scenario with an input and an output column of <paramref name="iterations"/> values.</summary>
    private static async Task<long> CompletedAsync(DataHost host, long scenarioId, int iterations)
    {
        var run = await host.Runs.QueueAsync(scenarioId, 1, new SimulationSettings(iterations), "alice", sampleBytes: iterations * 16L);
        Assert.NotNull(await host.Runs.ClaimRunAsync(run.Id, "w", Lease));
        var input = Enumerable.Range(0, iterations).Select(i => i == 0 ? double.NaN : 1000 + (i * 0.37)).ToArray();
        var output = Enumerable.Range(0, iterations).Select(i => i == 2 ? double.PositiveInfinity : -1e6 + (i * 1.1e-3)).ToArray();
        var samples = new SimulationSamples(new Dictionary<string, double[]> { ["npvAfterTax"] = output }, new Dictionary<string, double[]> { ["goldPrice"] = input });
        Assert.True(await host.Runs.CompleteAsync(run.Id, "w", iterations, "{}", samples));
        return run.Id;
    }
}
