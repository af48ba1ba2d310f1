using CalMiner.Data.Tests.Infrastructure;
using CalMiner.Maintenance;

namespace CalMiner.Data.Tests;

public sealed class MaintenanceLogTests
{
    private const string Truck = "Haul truck 220 t";
    private const string Shovel = "Hydraulic shovel";

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    private static MaintenanceEvent Event(int year, int month, MaintenanceKind kind, double cost, double hours = 12)
    {
        var start = new DateTimeOffset(year, month, 3, 6, 0, 0, TimeSpan.Zero);
        return new MaintenanceEvent(start, start.AddHours(hours), kind, cost, kind == MaintenanceKind.Planned ? "250 h service" : "Hydraulic hose burst");
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Events_AreAddedEditedDeletedAndListedPerEquipmentAndPeriod(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");

        var service = await host.Maintenance.AddAsync(scenario.Id, Truck, Event(2028, 2, MaintenanceKind.Planned, 18_000));
        var breakdown = await host.Maintenance.AddAsync(scenario.Id, Truck, Event(2028, 1, MaintenanceKind.Unplanned, 42_500.5, hours: 30));
        var later = await host.Maintenance.AddAsync(scenario.Id, Truck, Event(2029, 6, MaintenanceKind.Planned, 19_000));
        await host.Maintenance.AddAsync(scenario.Id, Shovel, Event(2028, 5, MaintenanceKind.Unplanned, 90_000) with { Description = null });

        var trucks2028 = await host.Maintenance.ListAsync(scenario.Id, Truck, period: 1);
        Assert.Equal([breakdown!.Id, service!.Id], trucks2028.Select(e => e.Id));
        Assert.Equal(1, breakdown.Period);
        Assert.Equal(2, later!.Period);
        Assert.Equal(Event(2028, 1, MaintenanceKind.Unplanned, 42_500.5, hours: 30), trucks2028[0].Event);
        Assert.Equal(Truck, trucks2028[0].EquipmentName);
        Assert.Equal(4, (await host.Maintenance.ListAsync(scenario.Id)).Count);
        Assert.Null(Assert.Single(await host.Maintenance.ListAsync(scenario.Id, Shovel)).Event.Description);

        var edited = await host.Maintenance.UpdateAsync(service.Id, Truck, Event(2030, 2, MaintenanceKind.Planned, 21_000) with { Description = "500 h service" });
        Assert.Equal(3, edited!.Period);
        Assert.Equal("500 h service", (await host.Maintenance.GetAsync(service.Id))!.Event.Description);
        Assert.Equal([breakdown.Id], (await host.Maintenance.ListAsync(scenario.Id, Truck, period: 1)).Select(e => e.Id));

        Assert.True(await host.Maintenance.DeleteAsync(breakdown.Id));
        Assert.False(await host.Maintenance.DeleteAsync(breakdown.Id));
        Assert.Null(await host.Maintenance.GetAsync(breakdown.Id));
        Assert.Empty(await host.Maintenance.ListAsync(scenario.Id, Truck, period: 1));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Kpis_AreCoresIndicatorsOfTheStoredEvents_ForAPeriodOrTheWholeHorizon(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");
        var events = new[] { Event(2028, 1, MaintenanceKind.Unplanned, 40_000, hours: 30), Event(2028, 7, MaintenanceKind.Planned, 18_000), Event(2031, 3, MaintenanceKind.Unplanned, 5_000, hours: 4) };
        foreach (var e in events)
        {
            await host.Maintenance.AddAsync(scenario.Id, Truck, e);
        }

        var year2028 = await host.Maintenance.GetKpisAsync(scenario.Id, Truck, period: 1);
        var horizon = await host.Maintenance.GetKpisAsync(scenario.Id, Truck);

        var from2028 = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(MaintenanceAnalysis.Calculate(events, from2028, from2028.AddYears(1)), year2028);
        Assert.Equal(MaintenanceAnalysis.Calculate(events, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2037, 1, 1, 0, 0, 0, TimeSpan.Zero)), horizon);
        Assert.Equal(1, year2028!.Failures);
        Assert.Equal(42, year2028.DowntimeHours, 9);
        Assert.Equal(2, horizon!.Failures);
        Assert.Null(await host.Maintenance.GetKpisAsync(scenario.Id + 99, Truck));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Maintenance.GetKpisAsync(scenario.Id, Truck, period: 10));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AnEvent_MustNameAFleetOfTheScenario_AndFallWithinItsPeriods(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, "Dozer", Event(2028, 1, MaintenanceKind.Planned, 1)));
        var tooLate = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Shovel, Event(2040, 1, MaintenanceKind.Planned, 1)));
        var backwards = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Shovel, Event(2028, 1, MaintenanceKind.Planned, 1, hours: -1)));
        var negative = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Shovel, Event(2028, 1, MaintenanceKind.Planned, -5)));

        Assert.Contains("equipmentName", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("start", tooLate.Message, StringComparison.Ordinal);
        Assert.Contains("end", backwards.Message, StringComparison.Ordinal);
        Assert.Contains("cost", negative.Message, StringComparison.Ordinal);
        var huge = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Shovel, Event(2028, 1, MaintenanceKind.Planned, 1.7e308)));
        Assert.Contains("cost must be a number in 0..1e15", huge.Message, StringComparison.Ordinal);
        var nul = await Assert.ThrowsAsync<ArgumentException>(() => host.Maintenance.AddAsync(scenario.Id, Shovel, Event(2028, 1, MaintenanceKind.Planned, 1) with { Description = "a\0b" }));
        Assert.Contains("description must not contain the NUL character", nul.Message, StringComparison.Ordinal);
        Assert.Null(await host.Maintenance.AddAsync(scenario.Id + 99, Shovel, Event(2028, 1, MaintenanceKind.Planned, 1)));
        Assert.Empty(await host.Maintenance.ListAsync(scenario.Id));
    }
}
