using System.Diagnostics;
using CalMiner.Data.Caching;
using CalMiner.Data.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CalMiner.Data.Tests;

/// <summary>Tests that share the real Redis server, one at a time: one of them stops and restarts it.</summary>
[CollectionDefinition(nameof(RedisCollection), DisableParallelization = true)]
public sealed class RedisCollection;

[Collection(nameof(RedisCollection))]
public sealed class CacheTests
{
    [Fact]
    public async Task ACachedRead_IsNeverStale_WhenAnotherProcessSavesANewVersion()
    {
        var options = DataHost.NewDatabase(Engine.PostgreSql) with { RedisUrl = DataHost.RedisUrl() };
        await using var reader = await DataHost.StartAsync(options, ownsStorage: true);
        await using var writer = await DataHost.StartAsync(options, migrate: false);
        var created = await writer.Scenarios.CreateAsync(Samples.Gold, "alice");
        var v1 = await reader.Cache.GetScenarioAsync(created.Id);

        var changed = Samples.Gold with { DiscountRate = 0.1 };
        await writer.Scenarios.UpdateAsync(created.Id, 1, changed, "bob");
        var v2 = await reader.Cache.GetScenarioAsync(created.Id);
        var stillV1 = await reader.Cache.GetScenarioVersionAsync(created.Id, 1);

        Assert.Equal(Samples.Gold, v1!.Document);
        Assert.Equal(2, v2!.Version);
        Assert.Equal(changed, v2.Document);
        Assert.Equal(Samples.Gold, stillV1!.Document);
        Assert.Null(await reader.Cache.GetScenarioVersionAsync(created.Id, 3));
        await writer.Scenarios.DeleteAsync(created.Id);
        Assert.Null(await reader.Cache.GetScenarioAsync(created.Id));
    }

    [Fact]
    public async Task AScenarioRead_IsStoredInRedis_AndEvictedWhenTheScenarioChanges()
    {
        await using var host = await DataHost.StartAsync(Engine.PostgreSql, redis: true);
        var created = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var key = CacheKeys.Namespace(host.Options) + CacheKeys.Scenario(created.Id, 1);

        await host.Cache.GetScenarioAsync(created.Id);
        await RedisServer.WaitUntilAsync(() => RedisServer.KeyExistsAsync(key), "the scenario in Redis");
        await host.Scenarios.UpdateAsync(created.Id, 1, Samples.EveryField, "bob");

        Assert.False(await RedisServer.KeyExistsAsync(key));
    }

    [Fact]
    public async Task GetOrCreate_ComputesOncePerScenarioVersion_AcrossProcesses()
    {
        var options = DataHost.NewDatabase(Engine.PostgreSql) with { RedisUrl = DataHost.RedisUrl() };
        await using var first = await DataHost.StartAsync(options, ownsStorage: true);
        await using var second = await DataHost.StartAsync(options, migrate: false);
        var created = await first.Scenarios.CreateAsync(Samples.Gold, "alice");
        var computed = 0;
        ValueTask<double[]> Evaluate(int version) => ValueTask.FromResult<double[]>([Interlocked.Increment(ref computed), version]);

        var a = await first.Cache.GetOrCreateAsync("evaluation", created.Id, 1, _ => Evaluate(1));
        var b = await first.Cache.GetOrCreateAsync("evaluation", created.Id, 1, _ => Evaluate(1));
        var key = CacheKeys.Namespace(options) + CacheKeys.Evaluation("evaluation", created.Id, 1);
        await RedisServer.WaitUntilAsync(() => RedisServer.KeyExistsAsync(key), "the evaluation in Redis");
        var fromRedis = await second.Cache.GetOrCreateAsync("evaluation", created.Id, 1, _ => Evaluate(1));
        await first.Scenarios.UpdateAsync(created.Id, 1, Samples.EveryField, "bob");
        var v2 = await first.Cache.GetOrCreateAsync("evaluation", created.Id, 2, _ => Evaluate(2));

        Assert.Equal([1.0, 1.0], a);
        Assert.Equal(a, b);
        Assert.Equal(a, fromRedis);
        Assert.Equal([2.0, 2.0], v2);
        Assert.Equal(2, computed);
        await Assert.ThrowsAsync<ArgumentException>(async () => await first.Cache.GetOrCreateAsync("Bad Kind", created.Id, 1, _ => Evaluate(1)));
    }

    [Fact]
    public async Task ASimulationSummary_IsCachedOnlyOnceTheRunHasCompleted()
    {
        await using var host = await DataHost.StartAsync(Engine.PostgreSql, redis: true);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var run = await host.Runs.QueueAsync(scenario.Id, 1, new CalMiner.Scenarios.SimulationSettings(), "alice");

        var beforeCompletion = await host.Cache.GetSimulationSummaryAsync(run.Id);
        await host.Runs.ClaimAsync("w", TimeSpan.FromMinutes(1));
        await host.Runs.CompleteAsync(run.Id, "w", 10, """{"p50":1}""", null);
        var afterCompletion = await host.Cache.GetSimulationSummaryAsync(run.Id);

        Assert.Null(beforeCompletion);
        Assert.Equal("""{"p50":1}""", afterCompletion);
        await RedisServer.WaitUntilAsync(() => RedisServer.KeyExistsAsync(CacheKeys.Namespace(host.Options) + CacheKeys.Summary(run.Id)), "the summary in Redis");
        Assert.Null(await host.Cache.GetSimulationSummaryAsync(run.Id + 1));
    }

    [Fact]
    public async Task WhenRedisStops_ReadsAreServedFromTheDatabase_AndRedisIsUsedAgainOnceItIsBack()
    {
        await using var host = await DataHost.StartAsync(Engine.PostgreSql, redis: true);
        var prefix = CacheKeys.Namespace(host.Options);
        var before = await host.Scenarios.CreateAsync(Samples.Gold with { Name = "Before the outage" }, "alice");
        await host.Cache.GetScenarioAsync(before.Id);
        await RedisServer.WaitUntilAsync(() => RedisServer.KeyExistsAsync(prefix + CacheKeys.Scenario(before.Id, 1)), "the scenario in Redis");

        await RedisServer.StopAsync();
        try
        {
            var during = await host.Scenarios.CreateAsync(Samples.EveryField with { Name = "During the outage" }, "alice");
            var clock = Stopwatch.StartNew();
            var read = await host.Cache.GetScenarioAsync(during.Id);
            var again = await host.Cache.GetScenarioAsync(during.Id);
            var evaluation = await host.Cache.GetOrCreateAsync("evaluation", during.Id, 1, _ => ValueTask.FromResult(42.0));
            await host.Scenarios.UpdateAsync(during.Id, 1, Samples.Gold, "bob");
            var updated = await host.Cache.GetScenarioAsync(during.Id);
            clock.Stop();

            Assert.Equal("During the outage", read!.Document.Name);
            Assert.Equal(read.Document, again!.Document);
            Assert.Equal(42.0, evaluation);
            Assert.Equal(Samples.Gold, updated!.Document);
            Assert.Equal("Before the outage", (await host.Cache.GetScenarioAsync(before.Id))!.Document.Name);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Reads took {clock.Elapsed} while Redis was down.");
            Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Category.Contains(nameof(ResilientDistributedCache), StringComparison.Ordinal));
        }
        finally
        {
            await RedisServer.StartAsync();
        }

        // Back in use: a new read is written to Redis again, once the cache retries and reconnects.
        var after = await host.Scenarios.CreateAsync(Samples.Gold with { Name = "After the outage" }, "alice");
        var version = 1;
        await RedisServer.WaitUntilAsync(
            async () =>
            {
                var stored = await host.Cache.GetScenarioAsync(after.Id);
                if (await RedisServer.KeyExistsAsync(prefix + CacheKeys.Scenario(after.Id, version)))
                {
                    return true;
                }

                // A fresh version, so that the next read misses the memory cache and goes to Redis.
                version = (await host.Scenarios.UpdateAsync(after.Id, stored!.Version, stored.Document with { DiscountRate = stored.Document.DiscountRate + 0.001 }, "alice")).Version;
                await Task.Delay(250);
                return false;
            },
            "the cache to use Redis again");
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("available again", StringComparison.Ordinal));
    }
}
