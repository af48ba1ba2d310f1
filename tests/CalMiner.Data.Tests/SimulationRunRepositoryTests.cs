using System.Collections.Concurrent;
using CalMiner.Data.Tests.Infrastructure;
using CalMiner.Scenarios;

namespace CalMiner.Data.Tests;

public sealed class SimulationRunRepositoryTests
{
    private static readonly DateTimeOffset Start = new(2027, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Fact]
    public void EveryStatus_HasTheNameClientsSee() =>
        Assert.Equal(["queued", "running", "succeeded", "failed", "cancelled"], Enum.GetValues<SimulationRunStatus>().Select(SimulationRunStatusNames.Name));

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task EveryStatus_IsStoredUnderItsSchemaName(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var settings = new SimulationSettings { Iterations = 10, Seed = 1 };
        var succeeded = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");
        await host.Runs.ClaimRunAsync(succeeded.Id, "worker-1", Lease);
        await host.Runs.CompleteAsync(succeeded.Id, "worker-1", 10, "{}", null);
        var failed = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");
        await host.Runs.ClaimRunAsync(failed.Id, "worker-1", Lease);
        await host.Runs.FailAsync(failed.Id, "worker-1", "broken");
        var cancelled = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");
        await host.Runs.CancelAsync(cancelled.Id);
        var running = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");
        await host.Runs.ClaimRunAsync(running.Id, "worker-1", Lease);
        var queued = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");

        foreach (var (run, stored) in new[] { (queued, "queued"), (running, "running"), (succeeded, "completed"), (failed, "failed"), (cancelled, "cancelled") })
        {
            Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM simulation_run WHERE id = {run.Id} AND status = '{stored}'"));
            Assert.Equal(stored == "completed" ? SimulationRunStatus.Succeeded : Enum.Parse<SimulationRunStatus>(stored, ignoreCase: true), await host.Runs.GetStatusAsync(run.Id));
        }
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ARun_GoesFromQueuedToCompleted_WithItsSummaryAndSamples(Engine engine)
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var settings = new SimulationSettings { Iterations = 1000, Seed = 42, Sampling = SamplingMethod.MonteCarlo, Convergence = new ConvergenceRule("npvAfterTax.mean", 0.01) };

        var queued = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");
        clock.Advance(TimeSpan.FromSeconds(5));
        var claimed = await host.Runs.ClaimAsync("worker-1", Lease);
        Assert.True(await host.Runs.HeartbeatAsync(queued.Id, "worker-1", Lease, 0.5));
        var running = await host.Runs.GetAsync(queued.Id);
        var samples = Columns(1000, "npvAfterTax", "irrAfterTax");
        Assert.True(await host.Runs.CompleteAsync(queued.Id, "worker-1", 1000, """{"npvAfterTax":{"mean":1.5}}""", samples));
        var done = await host.Runs.GetAsync(queued.Id);

        Assert.Equal(SimulationRunStatus.Queued, queued.Status);
        Assert.Equal(settings, queued.Settings);
        Assert.Equal(1, queued.ScenarioVersion);
        Assert.Equal(queued.Id, claimed!.Id);
        Assert.Equal(SimulationRunStatus.Running, claimed.Status);
        Assert.Equal("worker-1", claimed.WorkerId);
        Assert.Equal(Start.AddSeconds(5) + Lease, claimed.LeaseExpiresAt);
        Assert.Equal(1, claimed.Attempts);
        Assert.Equal(0.5, running!.Progress);
        Assert.Equal(SimulationRunStatus.Succeeded, done!.Status);
        Assert.Equal(1.0, done.Progress);
        Assert.Equal(Start.AddSeconds(5), done.FinishedAt);
        Assert.Equal("""{"npvAfterTax":{"mean":1.5}}""", await host.Runs.GetSummaryAsync(queued.Id));
        AssertSameSamples(samples, (await host.Runs.GetSamplesAsync(queued.Id))!);
        Assert.Equal([queued.Id], (await host.Runs.ListAsync(scenario.Id)).Select(r => r.Id));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Claim_GivesTheOldestQueuedRun_AndNothingWhenTheQueueIsEmpty(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var first = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
        var second = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");

        Assert.Equal(first.Id, (await host.Runs.ClaimAsync("w", Lease))!.Id);
        Assert.Equal(second.Id, (await host.Runs.ClaimAsync("w", Lease))!.Id);
        Assert.Null(await host.Runs.ClaimAsync("w", Lease));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task TwoClaimers_NeverGetTheSameRun(Engine engine)
    {
        const int Runs = 40;
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var queued = new HashSet<long>();
        for (var i = 0; i < Runs; i++)
        {
            queued.Add((await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice")).Id);
        }

        var claims = new ConcurrentBag<(string Worker, long Run)>();
        async Task Claimer(string worker)
        {
            while (await host.Runs.ClaimAsync(worker, Lease) is { } run)
            {
                claims.Add((worker, run.Id));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Claimer($"worker-{i}"))));

        Assert.Equal(Runs, claims.Count);
        Assert.Equal(queued, claims.Select(c => c.Run).ToHashSet());
        foreach (var (worker, run) in claims)
        {
            Assert.Equal(worker, (await host.Runs.GetAsync(run))!.WorkerId);
        }
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AnExpiredLease_IsQueuedAgain_AndItsWorkerCanNoLongerComplete(Engine engine)
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
        await host.Runs.ClaimAsync("dead-worker", Lease);

        clock.Advance(Lease - TimeSpan.FromMilliseconds(1));
        var beforeExpiry = await host.Runs.RequeueExpiredAsync(3);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        var afterExpiry = await host.Runs.RequeueExpiredAsync(3);
        var requeued = await host.Runs.GetAsync(run.Id);
        var reclaimed = await host.Runs.ClaimAsync("live-worker", Lease);

        Assert.Equal(0, beforeExpiry);
        Assert.Equal(1, afterExpiry);
        Assert.Equal(SimulationRunStatus.Queued, requeued!.Status);
        Assert.Null(requeued.WorkerId);
        Assert.Equal(run.Id, reclaimed!.Id);
        Assert.Equal(2, reclaimed.Attempts);
        Assert.False(await host.Runs.HeartbeatAsync(run.Id, "dead-worker", Lease));
        Assert.False(await host.Runs.CompleteAsync(run.Id, "dead-worker", 1, "{}", null));
        Assert.Null(await host.Runs.GetSummaryAsync(run.Id));
        Assert.True(await host.Runs.CompleteAsync(run.Id, "live-worker", 1, "{}", null));
    }

    public static TheoryData<Engine, int> BothEnginesAndCaps() => new() { { Engine.PostgreSql, 1 }, { Engine.PostgreSql, 3 }, { Engine.Sqlite, 2 } };

    [Theory]
    [MemberData(nameof(BothEnginesAndCaps))]
    public async Task ARunWhoseLeaseExpiresTooOften_FailsAfterTheConfiguredAttempts_WithTheReason(Engine engine, int maxAttempts)
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");

        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            Assert.Equal(run.Id, (await host.Runs.ClaimAsync($"worker-{attempt}", Lease))!.Id);
            clock.Advance(Lease * 2);
            Assert.Equal(1, await host.Runs.RequeueExpiredAsync(maxAttempts));
            var after = (await host.Runs.GetAsync(run.Id))!;
            if (attempt < maxAttempts)
            {
                // Queued again, saying why the last attempt ended.
                Assert.Equal(SimulationRunStatus.Queued, after.Status);
                Assert.Equal($"Attempt {attempt} ended when its worker stopped without finishing it (its lease expired); the run is queued again.", after.Error);
            }
        }

        var failed = await host.Runs.GetAsync(run.Id);
        Assert.Equal(SimulationRunStatus.Failed, failed!.Status);
        Assert.Contains("lease expired", failed.Error, StringComparison.Ordinal);
        Assert.Contains("it is not tried again", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, failed.SampleBytes);
        Assert.Null(await host.Runs.ClaimAsync("worker-x", Lease));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Cancel_StopsAQueuedOrRunningRun_AndFailRecordsTheError(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var queued = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
        var running = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
        var failing = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
        Assert.True(await host.Runs.CancelAsync(queued.Id));
        Assert.Equal(running.Id, (await host.Runs.ClaimAsync("w", Lease))!.Id);
        Assert.Equal(failing.Id, (await host.Runs.ClaimAsync("w", Lease))!.Id);

        Assert.True(await host.Runs.CancelAsync(running.Id));
        Assert.False(await host.Runs.HeartbeatAsync(running.Id, "w", Lease));
        Assert.True(await host.Runs.FailAsync(failing.Id, "w", "NPV diverged"));
        Assert.False(await host.Runs.CancelAsync(failing.Id));

        Assert.Equal(SimulationRunStatus.Cancelled, (await host.Runs.GetAsync(queued.Id))!.Status);
        Assert.Equal(SimulationRunStatus.Cancelled, (await host.Runs.GetAsync(running.Id))!.Status);
        var failed = await host.Runs.GetAsync(failing.Id);
        Assert.Equal(SimulationRunStatus.Failed, failed!.Status);
        Assert.Equal("NPV diverged", failed.Error);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Release_QueuesTheRunAgain_WithoutCountingTheAttempt(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
        await host.Runs.ClaimAsync("stopping-worker", Lease);

        Assert.True(await host.Runs.ReleaseAsync(run.Id, "stopping-worker"));
        var again = await host.Runs.ClaimAsync("next-worker", Lease);

        Assert.Equal(run.Id, again!.Id);
        Assert.Equal(1, again.Attempts);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Queue_RejectsAVersionThatDoesNotExist(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Runs.QueueAsync(scenario.Id, 2, new SimulationSettings(), "alice"));

        Assert.Equal("scenarioVersion", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Complete_WithSamplesOfTheWrongLength_WritesNothing(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
        await host.Runs.ClaimAsync("w", Lease);

        await Assert.ThrowsAsync<ArgumentException>(() => host.Runs.CompleteAsync(run.Id, "w", 10, "{}", Columns(9, "npvAfterTax")));

        Assert.Equal(SimulationRunStatus.Running, (await host.Runs.GetAsync(run.Id))!.Status);
        Assert.Null(await host.Runs.GetSamplesAsync(run.Id));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ACompletionThatFailsWhileWritingSamples_LeavesTheRunRunningWithoutResults(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
        await host.Runs.ClaimAsync("w", Lease);
        // The database refuses the last column, after the status, the result and the other samples are written.
        await host.ExecuteAsync(engine == Engine.PostgreSql
            ? """
              CREATE FUNCTION refuse_sample() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.name = 'refused' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER refuse_sample BEFORE INSERT ON simulation_sample FOR EACH ROW EXECUTE FUNCTION refuse_sample();
              """
            : "CREATE TRIGGER refuse_sample BEFORE INSERT ON simulation_sample WHEN NEW.name = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END;");

        await Assert.ThrowsAnyAsync<Exception>(() => host.Runs.CompleteAsync(run.Id, "w", 100_000, "{}", Columns(100_000, "npvAfterTax", "irrAfterTax", "refused")));

        Assert.Equal(SimulationRunStatus.Running, (await host.Runs.GetAsync(run.Id))!.Status);
        Assert.Null(await host.Runs.GetSummaryAsync(run.Id));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM simulation_sample"));
        Assert.True(await host.Runs.CompleteAsync(run.Id, "w", 10, "{}", Columns(10, "npvAfterTax")));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task SamplesOfAMillionIterations_AreWrittenAndReadBack(Engine engine)
    {
        const int Iterations = 1_000_000;
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings { Iterations = Iterations }, "alice");
        await host.Runs.ClaimAsync("w", Lease);
        var samples = Columns(Iterations, "npvAfterTax", "npvPreTax", "goldPrice");

        Assert.True(await host.Runs.CompleteAsync(run.Id, "w", Iterations, "{}", samples));
        var read = await host.Runs.GetSamplesAsync(run.Id);

        AssertSameSamples(samples, read!);
        Assert.Equal(Iterations, read!.Iterations);
    }

    [Fact]
    public async Task AWaitingWorker_IsWokenWhenAnotherProcessQueuesARun()
    {
        var options = DataHost.NewDatabase(Engine.PostgreSql);
        await using var worker = await DataHost.StartAsync(options, ownsStorage: true);
        await using var web = await DataHost.StartAsync(options, migrate: false);
        await using var otherSchema = await DataHost.StartAsync(Engine.PostgreSql);
        var scenario = await web.Scenarios.CreateAsync(Samples.Gold, "alice");
        var other = await otherSchema.Scenarios.CreateAsync(Samples.Gold, "alice");

        var quiet = await worker.Runs.WaitForQueuedRunAsync(TimeSpan.FromMilliseconds(300));
        var waiting = worker.Runs.WaitForQueuedRunAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        await otherSchema.Runs.QueueAsync(other.Id, 1, new SimulationSettings(), "alice");
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);
        // Queued again each second until the worker wakes: on a busy machine its LISTEN may not be in place yet.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!waiting.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await web.Runs.QueueAsync(scenario.Id, 1, new SimulationSettings(), "alice");
            await Task.WhenAny(waiting, Task.Delay(1000));
        }

        var woken = await waiting;

        Assert.False(quiet);
        Assert.True(woken);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"The worker woke after {clock.Elapsed}.");
        Assert.NotNull(await worker.Runs.ClaimAsync("worker", Lease));
    }

    [Fact]
    public async Task OnSqlite_WaitingForAQueuedRun_IsATimedPause()
    {
        await using var host = await DataHost.StartAsync(Engine.Sqlite);

        Assert.False(await host.Runs.WaitForQueuedRunAsync(TimeSpan.FromMilliseconds(50)));
    }

    /// <summary>Distinct, awkward values (negative, tiny, huge, NaN) in each column.</summary>
    private static SimulationSamples Columns(int iterations, params string[] names)
    {
        var outputs = new Dictionary<string, double[]>();
        var inputs = new Dictionary<string, double[]>();
        for (var c = 0; c < names.Length; c++)
        {
            var values = new double[iterations];
            for (var i = 0; i < iterations; i++)
            {
                values[i] = (i % 1000) switch
                {
                    0 => double.NaN,
                    1 => -0.0,
                    2 => double.Epsilon,
                    3 => double.MaxValue,
                    _ => ((i * 7919L) % 104729 - 52364.5) * Math.Pow(10, c),
                };
            }

            (c == names.Length - 1 && names.Length > 1 ? inputs : outputs).Add(names[c], values);
        }

        return new SimulationSamples(outputs, inputs);
    }

    private static void AssertSameSamples(SimulationSamples expected, SimulationSamples actual)
    {
        Assert.Equal(expected.Outputs.Keys.Order(), actual.Outputs.Keys.Order());
        Assert.Equal(expected.Inputs.Keys.Order(), actual.Inputs.Keys.Order());
        foreach (var (name, values) in expected.Outputs.Concat(expected.Inputs))
        {
            var read = expected.Outputs.ContainsKey(name) ? actual.Outputs[name] : actual.Inputs[name];
            Assert.Equal(values.Length, read.Length);
            // Bit for bit: NaN and -0 included.
            Assert.True(values.AsSpan().SequenceEqual(read), $"Column {name} differs.");
            Assert.Equal(BitConverter.DoubleToInt64Bits(values[1]), BitConverter.DoubleToInt64Bits(read[1]));
        }
    }
}
