using CalMiner.Data.Tests.Infrastructure;
using CalMiner.Scenarios;

namespace CalMiner.Data.Tests;

public sealed class ScenarioRepositoryTests
{
    public static TheoryData<Engine, string> EverySampleOnBothEngines()
    {
        var data = new TheoryData<Engine, string>();
        foreach (var engine in Enum.GetValues<Engine>())
        {
            foreach (var sample in Samples.All.Keys.Order(StringComparer.Ordinal))
            {
                data.Add(engine, sample);
            }
        }

        return data;
    }

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(EverySampleOnBothEngines))]
    public async Task Get_RebuildsTheSavedDocument_ForEverySample(Engine engine, string sample)
    {
        var document = Samples.Load(sample);
        await using var host = await DataHost.StartAsync(engine);

        var created = await host.Scenarios.CreateAsync(document, "alice");
        var read = await host.Scenarios.GetAsync(created.Id);

        Assert.NotNull(read);
        Assert.Equal(1, read.Version);
        Assert.Equal(document, read.Document);
        Assert.Equal(document.ToJson(), read.Document.ToJson());
        Assert.Equal("alice", read.SavedBy);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Update_StoresTheNewDocument_AsTheNextVersion(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var created = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var changed = Samples.EveryField with { Name = "Renamed" };

        var updated = await host.Scenarios.UpdateAsync(created.Id, 1, changed, "bob");
        var read = await host.Scenarios.GetAsync(created.Id);

        Assert.Equal(2, updated.Version);
        Assert.NotNull(read);
        Assert.Equal(2, read.Version);
        Assert.Equal(changed, read.Document);
        Assert.Equal("bob", read.SavedBy);
        Assert.Equal(2, await host.Scenarios.GetVersionAsync(created.Id));
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM scenario WHERE id = {created.Id} AND created_by = 'alice' AND updated_by = 'bob'"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Create_RejectsAnInvalidDocument_NamingTheField(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var invalid = Samples.Gold with { Periods = 0 };

        var error = await Assert.ThrowsAsync<InvalidScenarioException>(() => host.Scenarios.CreateAsync(invalid, "alice"));

        Assert.Contains(error.Errors, e => e.Path == "periods");
        Assert.Equal(0, (await host.Scenarios.ListAsync()).TotalCount);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task List_PagesAndSearches_IgnoringCase(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        foreach (var name in new[] { "Delta copper", "alpha gold", "Charlie GOLD", "bravo zinc" })
        {
            await host.Scenarios.CreateAsync(Samples.Gold with { Name = name, Description = null }, "alice");
        }

        var all = await host.Scenarios.ListAsync(limit: 3);
        var rest = await host.Scenarios.ListAsync(offset: 3, limit: 3);
        var gold = await host.Scenarios.ListAsync("gold");

        Assert.Equal(4, all.TotalCount);
        Assert.Equal(["alpha gold", "bravo zinc", "Charlie GOLD"], all.Items.Select(i => i.Name));
        Assert.Equal(["Delta copper"], rest.Items.Select(i => i.Name));
        Assert.Equal(["alpha gold", "Charlie GOLD"], gold.Items.Select(i => i.Name));
        Assert.Equal(2, gold.TotalCount);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task List_SortsByNameOrByLastSave_EitherWay(Engine engine)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in new[] { "bravo", "Charlie", "alpha" })
        {
            ids[name] = (await host.Scenarios.CreateAsync(Samples.Gold with { Name = name }, "alice")).Id;
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        // A later save moves bravo to the end of the updatedAt order.
        await host.Scenarios.UpdateAsync(ids["bravo"], 1, Samples.Gold with { Name = "bravo", Description = "changed" }, "bob");

        async Task<string[]> NamesAsync(ScenarioSort sort) => [.. (await host.Scenarios.ListAsync(sort: sort)).Items.Select(i => i.Name)];
        Assert.Equal(["alpha", "bravo", "Charlie"], await NamesAsync(ScenarioSort.Name));
        Assert.Equal(["Charlie", "bravo", "alpha"], await NamesAsync(ScenarioSort.NameDescending));
        Assert.Equal(["Charlie", "alpha", "bravo"], await NamesAsync(ScenarioSort.UpdatedAt));
        Assert.Equal(["bravo", "alpha", "Charlie"], await NamesAsync(ScenarioSort.UpdatedAtDescending));
        Assert.Equal(["alpha"], (await host.Scenarios.ListAsync(offset: 1, limit: 1, sort: ScenarioSort.UpdatedAtDescending)).Items.Select(i => i.Name));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Scenarios.ListAsync(sort: (ScenarioSort)99));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Clone_CopiesTheLatestVersion_AsANewScenario(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var original = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        await host.Scenarios.UpdateAsync(original.Id, 1, Samples.Gold with { DiscountRate = 0.07 }, "alice");

        var copy = await host.Scenarios.CloneAsync(original.Id, "Gold at 7 %", "bob");
        var read = await host.Scenarios.GetAsync(copy!.Id);

        Assert.NotEqual(original.Id, copy.Id);
        Assert.Equal(1, read!.Version);
        Assert.Equal(Samples.Gold with { DiscountRate = 0.07, Name = "Gold at 7 %" }, read.Document);
        Assert.Null(await host.Scenarios.CloneAsync(original.Id + 1000, null, "bob"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Delete_HidesTheScenario_AndAPurgeRemovesItWithItsHistoryAndRuns(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var kept = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var doomed = await host.Scenarios.CreateAsync(Samples.EveryField, "alice");
        await host.Runs.QueueAsync(doomed.Id, 1, doomed.Document.Simulation, "alice");
        await host.Maintenance.AddAsync(doomed.Id, "Loader", new Maintenance.MaintenanceEvent(new DateTimeOffset(2031, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2031, 3, 2, 0, 0, 0, TimeSpan.Zero), Maintenance.MaintenanceKind.Planned));

        Assert.True(await host.Scenarios.DeleteAsync(doomed.Id));

        Assert.Null(await host.Scenarios.GetAsync(doomed.Id));
        Assert.Null(await host.Scenarios.GetVersionAsync(doomed.Id));
        Assert.False(await host.Scenarios.DeleteAsync(doomed.Id));
        Assert.Equal([kept.Id], (await host.Scenarios.ListAsync()).Items.Select(s => s.Id));
        Assert.Single(await host.History.ListAsync(doomed.Id));

        Assert.Equal(1, await host.Scenarios.PurgeDeletedAsync(DateTimeOffset.UtcNow.AddMinutes(1)));

        Assert.Empty(await host.Scenarios.ListDeletedAsync());
        Assert.Empty(await host.History.ListAsync(doomed.Id));
        Assert.Empty(await host.Runs.ListAsync(doomed.Id));
        Assert.Equal(0, await host.ScalarAsync($"SELECT count(*) FROM parameter WHERE scenario_id = {doomed.Id}"));
        Assert.Equal(0, await host.ScalarAsync($"SELECT count(*) FROM maintenance_log WHERE scenario_id = {doomed.Id}"));
        Assert.Equal(Samples.Gold, (await host.Scenarios.GetAsync(kept.Id))!.Document);
    }
}
