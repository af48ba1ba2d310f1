using System.Diagnostics;
using System.Runtime.InteropServices;
using CalMiner.Data.Tests.Infrastructure;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Data.Tests;

public sealed class SimulationRunProcessorTests
{
    /// <summary>Short timings, so that a cancelled run is noticed within a tenth of a second.</summary>
    private static readonly SimulationRunProcessorOptions Fast = new()
    {
        Lease = TimeSpan.FromSeconds(30),
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        IdleWait = TimeSpan.FromMilliseconds(500),
    };

    private static readonly SimulationSettings Small = new(Iterations: 3000, Seed: 11, Sampling: SamplingMethod.LatinHypercube);

    /// <summary>A run of a minute or more on one thread: each iteration is a 100-period mine.</summary>
    private static readonly SimulationSettings Large = new(Iterations: 2_000_000, Seed: 5, Sampling: SamplingMethod.MonteCarlo);

    /// <summary>How soon a stopped run must end: generous, because the test machine may be busy.</summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(10);

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AQueuedRun_IsCompleted_WithTheEnginesSummaryAndSamples(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        // The run's settings, not the document's own, convergence rule included.
        var settings = new SimulationSettings(20_000, 99, SamplingMethod.MonteCarlo, new ConvergenceRule("npvAfterTax.mean", 0.02));
        var run = await host.Runs.QueueAsync(scenario.Id, 1, settings, "alice");
        var processor = host.Get<SimulationRunProcessor>();

        Assert.True(await processor.ProcessNextAsync("worker-1"));
        var done = await host.Runs.GetAsync(run.Id);
        var expected = Expected(Samples.Gold, settings);

        Assert.Equal(SimulationRunStatus.Succeeded, done!.Status);
        Assert.Equal(1.0, done.Progress);
        Assert.Equal("worker-1", done.WorkerId);
        Assert.True(expected.StoppedEarly, "The convergence rule of the run's settings should stop it early.");
        AssertSummary(expected, await host.Runs.GetSummaryAsync(run.Id));
        AssertSameSamples(expected, (await host.Runs.GetSamplesAsync(run.Id))!);
        Assert.False(await processor.ProcessNextAsync("worker-1"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task RunNow_ProcessesThatRun_AndReturnsItsFinalRecord(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var older = await host.Runs.QueueAsync(scenario.Id, 1, Small, "alice");
        var inline = await host.Runs.QueueAsync(scenario.Id, 1, Small with { Seed = 12 }, "bob");

        var done = await Processor(host).RunNowAsync(inline.Id, "web-1");

        Assert.Equal(inline.Id, done.Id);
        Assert.Equal(SimulationRunStatus.Succeeded, done.Status);
        Assert.Equal("web-1", done.WorkerId);
        AssertSummary(Expected(Samples.Gold, Small with { Seed = 12 }), await host.Runs.GetSummaryAsync(inline.Id));
        Assert.Equal(SimulationRunStatus.Queued, (await host.Runs.GetAsync(older.Id))!.Status);
        Assert.Equal(done, await Processor(host).RunNowAsync(inline.Id, "web-2"));
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => Processor(host).RunNowAsync(inline.Id + 100, "web-1"));
        Assert.Equal("runId", missing.ParamName);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task RunNow_OfARunAnotherWorkerClaimedFirst_WaitsForThatWorkersResult(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, Small, "alice");
        Assert.NotNull(await host.Runs.ClaimAsync("background", Fast.Lease));

        var waiting = Processor(host).RunNowAsync(run.Id, "web-1");
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);
        Assert.Null(await host.Runs.ClaimRunAsync(run.Id, "web-2", Fast.Lease));
        Assert.True(await host.Runs.CompleteAsync(run.Id, "background", 1, "{}", null));
        var done = await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(SimulationRunStatus.Succeeded, done.Status);
        Assert.Equal("background", done.WorkerId);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Cancel_DuringARun_StopsItPromptly_AndLeavesNoResults(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.LongGold(100), "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, Large, "alice");

        var processing = Processor(host, threads: 1).ProcessNextAsync("worker-1");
        await UntilRunning(host, run.Id, processing);
        var clock = Stopwatch.StartNew();
        Assert.True(await host.Runs.CancelAsync(run.Id), "The run ended before it could be cancelled: make it larger.");
        Assert.True(await processing.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(clock.Elapsed < Promptly, $"The run stopped {clock.Elapsed} after it was cancelled.");
        var cancelled = await host.Runs.GetAsync(run.Id);
        Assert.Equal(SimulationRunStatus.Cancelled, cancelled!.Status);
        Assert.True(cancelled.Progress < 1);
        Assert.Null(await host.Runs.GetSummaryAsync(run.Id));
        Assert.Null(await host.Runs.GetSamplesAsync(run.Id));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM simulation_sample"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Shutdown_DuringARun_GivesItBackToTheQueue(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.LongGold(100), "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, Large, "alice");
        using var shutdown = new CancellationTokenSource();

        var processing = Processor(host, threads: 1).ProcessNextAsync("worker-1", shutdown.Token);
        await UntilRunning(host, run.Id, processing);
        var clock = Stopwatch.StartNew();
        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processing.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(clock.Elapsed < Promptly, $"The run stopped {clock.Elapsed} after shutdown began.");
        var released = await host.Runs.GetAsync(run.Id);
        Assert.Equal(SimulationRunStatus.Queued, released!.Status);
        Assert.Null(released.WorkerId);
        Assert.Null(released.LeaseExpiresAt);
        Assert.Equal(0, released.Attempts);
        Assert.Null(await host.Runs.GetSummaryAsync(run.Id));
        Assert.Equal(run.Id, (await host.Runs.ClaimAsync("worker-2", Fast.Lease))!.Id);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ARunThatCannotBeSimulated_FailsWithAMessage(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        // Each pair is valid alone, but together they are no correlation matrix: the engine's validation refuses it.
        var impossible = Samples.Gold with
        {
            Correlations =
            [
                new Correlation("goldPrice", "dieselPrice", 0.9),
                new Correlation("goldPrice", "miningCost", -0.9),
                new Correlation("dieselPrice", "miningCost", 0.6),
            ],
        };
        var scenario = await host.Scenarios.CreateAsync(impossible, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, Small, "alice");

        Assert.True(await Processor(host).ProcessNextAsync("worker-1"));
        var failed = await host.Runs.GetAsync(run.Id);

        Assert.Equal(SimulationRunStatus.Failed, failed!.Status);
        Assert.StartsWith("The scenario is invalid: correlations", failed.Error, StringComparison.Ordinal);
        Assert.Null(await host.Runs.GetSummaryAsync(run.Id));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task TwoProcessors_NeverRunTheSameRun(Engine engine)
    {
        const int Runs = 12;
        var options = DataHost.NewDatabase(engine);
        await using var first = await DataHost.StartAsync(options, ownsStorage: true);
        await using var second = await DataHost.StartAsync(options, migrate: false);
        var scenario = await first.Scenarios.CreateAsync(Samples.Gold, "alice");
        var queued = new List<long>();
        for (var i = 0; i < Runs; i++)
        {
            queued.Add((await first.Runs.QueueAsync(scenario.Id, 1, Small with { Iterations = 500, Seed = i }, "alice")).Id);
        }

        async Task<int> Work(DataHost host, string worker)
        {
            var processed = 0;
            while (await Processor(host).ProcessNextAsync(worker))
            {
                processed++;
            }

            return processed;
        }

        var processed = await Task.WhenAll(Task.Run(() => Work(first, "worker-1")), Task.Run(() => Work(second, "worker-2")));

        Assert.Equal(Runs, processed.Sum());
        foreach (var id in queued)
        {
            var run = await first.Runs.GetAsync(id);
            Assert.Equal(SimulationRunStatus.Succeeded, run!.Status);
            Assert.Equal(1, run.Attempts);
            Assert.Contains(run.WorkerId, new[] { "worker-1", "worker-2" });
        }

        Assert.Equal(Runs, await first.ScalarAsync("SELECT count(*) FROM simulation_result"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task RunAsync_PicksUpARunQueuedWhileItWaits_AndReturnsAtShutdown(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        using var shutdown = new CancellationTokenSource();
        var loop = Processor(host).RunAsync("worker-1", shutdown.Token);
        await Task.Delay(1000);
        Assert.False(loop.IsCompleted);

        var run = await host.Runs.QueueAsync(scenario.Id, 1, Small, "alice");
        var clock = Stopwatch.StartNew();
        while (await host.Runs.GetStatusAsync(run.Id) != SimulationRunStatus.Succeeded && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await shutdown.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SimulationRunStatus.Succeeded, await host.Runs.GetStatusAsync(run.Id));
        AssertSummary(Expected(Samples.Gold, Small), await host.Runs.GetSummaryAsync(run.Id));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ARunOnContradictoryCorrelations_FailsNamingThem_UnlessItWasQueuedToRepairThem(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var contradictory = Samples.Gold with
        {
            Correlations =
            [
                new Correlation("goldPrice", "dieselPrice", 0.9),
                new Correlation("dieselPrice", "miningCost", 0.9),
                new Correlation("goldPrice", "miningCost", -0.9),
            ],
        };
        var scenario = await host.Scenarios.CreateAsync(contradictory, "alice");
        var plain = await host.Runs.QueueAsync(scenario.Id, 1, Small, "alice");
        var repairing = await host.Runs.QueueAsync(scenario.Id, 1, Small, "alice", repairCorrelations: true);

        var failed = await Processor(host).RunNowAsync(plain.Id, "web-1");
        var repaired = await Processor(host).RunNowAsync(repairing.Id, "web-1");

        Assert.False(plain.RepairCorrelations);
        Assert.True((await host.Runs.GetAsync(repairing.Id))!.RepairCorrelations);
        Assert.Equal(SimulationRunStatus.Failed, failed.Status);
        Assert.Contains("correlations contradict one another", failed.Error, StringComparison.Ordinal);
        Assert.Equal(SimulationRunStatus.Succeeded, repaired.Status);
        AssertSummary(MonteCarlo.Run(contradictory with { Simulation = Small }, new SimulationOptions { RepairCorrelations = true }), await host.Runs.GetSummaryAsync(repairing.Id));
    }

    [Fact]
    public void Options_OutOfRange_AreRejectedByName()
    {
        Assert.Equal("HeartbeatInterval", Assert.Throws<ArgumentException>(() => (Fast with { HeartbeatInterval = Fast.Lease }).Validate()).ParamName);
        Assert.Equal("HeartbeatInterval", Assert.Throws<ArgumentException>(() => (Fast with { HeartbeatInterval = TimeSpan.Zero }).Validate()).ParamName);
        Assert.Equal("IdleWait", Assert.Throws<ArgumentException>(() => (Fast with { IdleWait = TimeSpan.Zero }).Validate()).ParamName);
        Assert.Equal("MaxDegreeOfParallelism", Assert.Throws<ArgumentException>(() => (Fast with { MaxDegreeOfParallelism = 0 }).Validate()).ParamName);
        new SimulationRunProcessorOptions().Validate();
    }

    private static SimulationRunProcessor Processor(DataHost host, int threads = -1) =>
        new(host.Runs, host.Cache, Fast with { MaxDegreeOfParallelism = threads }, TimeProvider.System, null);

    /// <summary>What the engine gives for the same document and settings.</summary>
    /// <summary>The stored summary is the engine's JSON, with the run's wall time as <c>seconds</c>, as <c>calminer simulate</c> writes it.</summary>
    private static void AssertSummary(SimulationResult expected, string? stored)
    {
        Assert.NotNull(stored);
        var seconds = System.Text.Json.Nodes.JsonNode.Parse(stored)!["seconds"]!.GetValue<double>();
        Assert.InRange(seconds, 0.0, 120.0);
        Assert.Equal(expected.ToJson(seconds), stored);
    }

    private static SimulationResult Expected(ScenarioDocument document, SimulationSettings settings) =>
        MonteCarlo.Run(document with { Simulation = settings }, new SimulationOptions { KeepSamples = true });

    /// <summary>Waits until a heartbeat has recorded progress: the engine is evaluating iterations.</summary>
    private static async Task UntilRunning(DataHost host, long runId, Task processing)
    {
        var clock = Stopwatch.StartNew();
        while (!processing.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await host.Runs.GetAsync(runId) is { Status: SimulationRunStatus.Running, Progress: > 0 })
            {
                return;
            }

            await Task.Delay(20);
        }

        await processing;
        Assert.Fail($"Run {runId} did not report progress within {clock.Elapsed}.");
    }

    private static void AssertSameSamples(SimulationResult expected, SimulationSamples stored)
    {
        var engine = expected.Samples!;
        Assert.Equal(engine.Outputs.Keys.Order(StringComparer.Ordinal), stored.Outputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(engine.Inputs.Keys.Order(StringComparer.Ordinal), stored.Inputs.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, values) in engine.Outputs.Concat(engine.Inputs))
        {
            var read = engine.Outputs.ContainsKey(name) ? stored.Outputs[name] : stored.Inputs[name];
            // Bit for bit: NaN (no IRR, no payback) included.
            Assert.True(MemoryMarshal.Cast<double, long>(values).SequenceEqual(MemoryMarshal.Cast<double, long>(read)), $"Column {name} differs.");
        }
    }
}
