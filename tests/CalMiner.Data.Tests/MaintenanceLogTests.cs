using CalMiner.Data.Tests.Infrastructure;

namespace CalMiner.Data.Tests;

public sealed class MaintenanceLogTests
{
    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    private static MaintenanceEvent Event(string equipment, int year, int month, bool planned, double cost, double hours = 12) => new()
    {
        EquipmentName = equipment,
        Start = new DateTimeOffset(year, month, 3, 6, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(year, month, 3, 6, 0, 0, TimeSpan.Zero).AddHours(hours),
        Planned = planned,
        Cost = cost,
        Description = planned ? "250 h service" : "Hydraulic hose burst",
    };

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Events_AreAddedEditedDeletedAndListedPerEquipmentAndPeriod(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var truck = "Haul truck 220 t";
        var shovel = "Hydraulic shovel";

        var service = await host.Maintenance.AddAsync(scenario.Id, Event(truck, 2028, 2, planned: true, 18_000));
        var breakdown = await host.Maintenance.AddAsync(scenario.Id, Event(truck, 2028, 1, planned: false, 42_500.5, hours: 30));
        var later = await host.Maintenance.AddAsync(scenario.Id, Event(truck, 2029, 6, planned: true, 19_000));
        await host.Maintenance.AddAsync(scenario.Id, Event(shovel, 2028, 5, planned: false, 90_000));

        var trucks2028 = await host.Maintenance.ListAsync(scenario.Id, truck, period: 1);
        Assert.Equal([breakdown!.Id, service!.Id], trucks2028.Select(e => e.Id));
        Assert.Equal(1, breakdown.Period);
        Assert.Equal(2, later!.Period);
        Assert.Equal(Event(truck, 2028, 1, planned: false, 42_500.5, hours: 30), trucks2028[0].Event);
        Assert.Equal(TimeSpan.FromHours(30), trucks2028[0].Event.Downtime);
        Assert.Equal(4, (await host.Maintenance.ListAsync(scenario.Id)).Count);
        Assert.Single(await host.Maintenance.ListAsync(scenario.Id, shovel));

        var edited = await host.Maintenance.UpdateAsync(service.Id, Event(truck, 2030, 2, planned: true, 21_000) with { Description = "500 h service" });
        Assert.Equal(3, edited!.Period);
        Assert.Equal("500 h service", (await host.Maintenance.GetAsync(service.Id))!.Event.Description);
        Assert.Equal([breakdown.Id], (await host.Maintenance.ListAsync(scenario.Id, truck, period: 1)).Select(e => e.Id));

        Assert.True(await host.Maintenance.DeleteAsync(breakdown.Id));
        Assert.False(await host.Maintenance.DeleteAsync(breakdown.Id));
        Assert.Null(await host.Maintenance.GetAsync(breakdown.Id));
        Assert.Empty(await host.Maintenance.ListAsync(scenario.Id, truck, period: 1));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AnEvent_MustNameAFleetOfTheScenario_AndFallWithinItsPeriods(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Event("Dozer", 2028, 1, true, 1)));
        var tooLate = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Event("Hydraulic shovel", 2040, 1, true, 1)));
        var backwards = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Event("Hydraulic shovel", 2028, 1, true, 1, hours: -1)));
        var negative = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Event("Hydraulic shovel", 2028, 1, true, -5)));

        Assert.Contains("equipmentName", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("start", tooLate.Message, StringComparison.Ordinal);
        Assert.Contains("end", backwards.Message, StringComparison.Ordinal);
        Assert.Contains("cost", negative.Message, StringComparison.Ordinal);
        Assert.Null(await host.Maintenance.AddAsync(scenario.Id + 99, Event("Hydraulic shovel", 2028, 1, true, 1)));
        Assert.Empty(await host.Maintenance.ListAsync(scenario.Id));
    }
}
