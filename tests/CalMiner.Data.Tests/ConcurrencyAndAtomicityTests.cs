using CalMiner.Data.Tests.Infrastructure;
using CalMiner.Scenarios;

namespace CalMiner.Data.Tests;

public sealed class ConcurrencyAndAtomicityTests
{
    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AStaleUpdate_RaisesAConcurrencyError_AndWritesNothing(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var created = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var alices = Samples.Gold with { DiscountRate = 0.06 };
        await host.Scenarios.UpdateAsync(created.Id, 1, alices, "alice");

        var error = await Assert.ThrowsAsync<ScenarioConcurrencyException>(
            () => host.Scenarios.UpdateAsync(created.Id, 1, Samples.Gold with { DiscountRate = 0.09 }, "bob"));

        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(2, error.CurrentVersion);
        var read = await host.Scenarios.GetAsync(created.Id);
        Assert.Equal(2, read!.Version);
        Assert.Equal(alices, read.Document);
        Assert.Equal(2, (await host.History.ListAsync(created.Id)).Count);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task TwoConcurrentUpdatesOfTheSameVersion_OneWinsAndTheOtherConflicts(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var created = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var documents = Enumerable.Range(0, 4).Select(i => Samples.Gold with { Name = $"Edit {i}" }).ToArray();

        var attempts = documents.Select(d => Task.Run(async () =>
        {
            try
            {
                await host.Scenarios.UpdateAsync(created.Id, 1, d, d.Name);
                return d;
            }
            catch (ScenarioConcurrencyException)
            {
                return null;
            }
        })).ToArray();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r is not null);
        var read = await host.Scenarios.GetAsync(created.Id);
        Assert.Equal(2, read!.Version);
        Assert.Equal(winner, read.Document);
        Assert.Equal(winner!.Name, read.SavedBy);
        Assert.Equal([2, 1], (await host.History.ListAsync(created.Id)).Select(v => v.Version));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task UpdateOrDelete_OfAMissingScenario_SaysSo(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);

        var update = await Assert.ThrowsAsync<ScenarioConcurrencyException>(() => host.Scenarios.UpdateAsync(404, 1, Samples.Gold, "bob"));

        Assert.Null(update.CurrentVersion);
        Assert.False(await host.Scenarios.DeleteAsync(404));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AStaleDelete_RaisesAConcurrencyError_AndDeletesNothing(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var created = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        await host.Scenarios.UpdateAsync(created.Id, 1, Samples.Gold with { Name = "v2" }, "alice");

        await Assert.ThrowsAsync<ScenarioConcurrencyException>(() => host.Scenarios.DeleteAsync(created.Id, expectedVersion: 1));

        Assert.NotNull(await host.Scenarios.GetAsync(created.Id));
        Assert.True(await host.Scenarios.DeleteAsync(created.Id, expectedVersion: 2));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ACreateThatFailsMidway_LeavesNothingBehind(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        await FailInsertsOfRoyaltyAsync(host, "Failing royalty");
        var document = Samples.Gold with { Royalties = [.. Samples.Gold.Royalties, new Royalty("Failing royalty", 0.01)] };

        await Assert.ThrowsAnyAsync<Exception>(() => host.Scenarios.CreateAsync(document, "alice"));

        foreach (var table in new[] { "scenario", "parameter", "product", "schedule_period", "schedule_grade", "consumable", "equipment", "capital_item", "royalty", "correlation", "scenario_version" })
        {
            Assert.Equal(0, await host.ScalarAsync($"SELECT count(*) FROM {table}"));
        }
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AnUpdateThatFailsMidway_LeavesThePreviousVersionIntact(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var created = await host.Scenarios.CreateAsync(Samples.EveryField, "alice");
        await FailInsertsOfRoyaltyAsync(host, "Failing royalty");
        var document = Samples.Gold with { Royalties = [new Royalty("Failing royalty", 0.01)] };

        await Assert.ThrowsAnyAsync<Exception>(() => host.Scenarios.UpdateAsync(created.Id, 1, document, "bob"));

        var read = await host.Scenarios.GetAsync(created.Id);
        Assert.Equal(1, read!.Version);
        Assert.Equal(Samples.EveryField, read.Document);
        Assert.Single(await host.History.ListAsync(created.Id));
    }

    /// <summary>A trigger that makes the database refuse one royalty: a real failure after the scenario row and most children are written.</summary>
    private static Task FailInsertsOfRoyaltyAsync(DataHost host, string name) =>
        host.Options.Driver == DatabaseDriver.PostgreSql
            ? host.ExecuteAsync($"""
                CREATE FUNCTION refuse_royalty() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.name = '{name}' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_royalty BEFORE INSERT ON royalty FOR EACH ROW EXECUTE FUNCTION refuse_royalty();
                """)
            : host.ExecuteAsync($"""
                CREATE TRIGGER refuse_royalty BEFORE INSERT ON royalty
                WHEN NEW.name = '{name}'
                BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END;
                """);
}
