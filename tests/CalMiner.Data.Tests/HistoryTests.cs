using CalMiner.Data.Tests.Infrastructure;
using CalMiner.Scenarios;

namespace CalMiner.Data.Tests;

public sealed class HistoryTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task EverySavedVersion_IsKept_WithWhoWhenAndWhatChanged(Engine engine)
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var v1 = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        clock.Advance(TimeSpan.FromHours(1));
        var cheaper = Samples.Gold with
        {
            Products = [Samples.Gold.Products[0] with { Price = 2100 }],
            Capital = [.. Samples.Gold.Capital.Take(9)],
        };
        await host.Scenarios.UpdateAsync(v1.Id, 1, cheaper, "bob");

        var versions = await host.History.ListAsync(v1.Id);

        Assert.Equal([2, 1], versions.Select(v => v.Version));
        Assert.Equal(["bob", "alice"], versions.Select(v => v.SavedBy));
        Assert.Equal([Start.AddHours(1), Start], versions.Select(v => v.SavedAt));
        Assert.Equal(["products[0].price", "capital[9]"], versions[0].ChangedPaths);
        Assert.Empty(versions[1].ChangedPaths);
        Assert.Equal(Samples.Gold, (await host.History.GetAsync(v1.Id, 1))!.Document);
        Assert.Equal(cheaper, (await host.History.GetAsync(v1.Id, 2))!.Document);
        Assert.Null(await host.History.GetAsync(v1.Id, 3));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Compare_ListsEveryChangedField_WithItsValuesBeforeAndAfter(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var created = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var gold = Samples.Gold.Parameters["goldPrice"];
        var changed = Samples.Gold with
        {
            Description = null,
            Products = [Samples.Gold.Products[0] with { Price = 2100 }],
            Parameters = new Dictionary<string, Parameter>(Samples.Gold.Parameters)
            {
                ["goldPrice"] = gold with { Distribution = gold.Distribution! with { Sd = 300 } },
                ["silverPrice"] = new Parameter(28),
            },
        };
        await host.Scenarios.UpdateAsync(created.Id, 1, changed, "bob");

        var changes = await host.History.CompareAsync(created.Id, 1, 2);

        // In the order of the document's JSON form.

        Assert.Equal(
            [
                new ScenarioChange("products[0].price", "\"goldPrice\"", "2100"),
                new ScenarioChange("description", "\"Conventional open pit and CIL plant, 3 Mt/y, 8 years of production after one year of construction.\"", null),
                new ScenarioChange("parameters.goldPrice.distribution.sd", "250", "300"),
                new ScenarioChange("parameters.silverPrice", null, """{"value":28}"""),
            ],
            changes);
        Assert.Empty((await host.History.CompareAsync(created.Id, 2, 2))!);
        Assert.Null(await host.History.CompareAsync(created.Id, 1, 3));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Restore_SavesAnOldVersion_AsTheNextOne(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var created = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        await host.Scenarios.UpdateAsync(created.Id, 1, Samples.EveryField, "bob");

        var restored = await host.History.RestoreAsync(created.Id, 1, expectedVersion: 2, "carol");

        Assert.Equal(3, restored!.Version);
        var read = await host.Scenarios.GetAsync(created.Id);
        Assert.Equal(3, read!.Version);
        Assert.Equal(Samples.Gold, read.Document);
        Assert.Equal("carol", read.SavedBy);
        Assert.Empty((await host.History.CompareAsync(created.Id, 1, 3))!);
        Assert.NotEmpty((await host.History.ListAsync(created.Id))[0].ChangedPaths);
        await Assert.ThrowsAsync<ScenarioConcurrencyException>(() => host.History.RestoreAsync(created.Id, 2, expectedVersion: 2, "dave"));
        Assert.Null(await host.History.RestoreAsync(created.Id, 9, expectedVersion: 3, "dave"));
    }
}
