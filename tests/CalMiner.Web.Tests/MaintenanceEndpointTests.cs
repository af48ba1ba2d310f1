using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Maintenance;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class MaintenanceEndpointTests(CalMinerWebApp app)
{
    private const string Truck = "Haul truck 220 t";
    private const string Shovel = "Hydraulic shovel";

    [Fact]
    public async Task LogEntries_AreAddedReadFilteredReplacedAndDeleted()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var created = await client.PostAsync($"/api/scenarios/{id}/maintenance", Entry(Truck, "2028-03-01T00:00:00Z", "2028-03-02T00:00:00Z", "unplanned", 5000));
        var entry = await created.ExpectAsync(HttpStatusCode.Created);
        var logId = entry.GetProperty("id").GetInt64();
        Assert.Equal($"/api/scenarios/{id}/maintenance/{logId}", created.Headers.Location?.OriginalString);
        Assert.Equal(1, entry.GetProperty("period").GetInt32());
        Assert.Equal("unplanned", entry.GetProperty("kind").GetString());
        await (await client.PostAsync($"/api/scenarios/{id}/maintenance", Entry(Shovel, "2029-01-10T00:00:00Z", "2029-01-11T00:00:00Z", "planned", 100))).ExpectAsync(HttpStatusCode.Created);

        var all = await (await client.GetAsync($"/api/scenarios/{id}/maintenance")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, all.GetArrayLength());
        var trucks = await (await client.GetAsync($"/api/scenarios/{id}/maintenance?equipment={Uri.EscapeDataString(Truck)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(logId, Assert.Single(trucks.EnumerateArray()).GetProperty("id").GetInt64());
        var period2 = await (await client.GetAsync($"/api/scenarios/{id}/maintenance?period=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Shovel, Assert.Single(period2.EnumerateArray()).GetProperty("equipment").GetString());

        var replaced = await (await client.PutAsync($"/api/scenarios/{id}/maintenance/{logId}", Entry(Truck, "2028-03-01T00:00:00Z", "2028-03-03T00:00:00Z", "planned", 7000))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(7000, replaced.GetProperty("cost").GetDouble());
        var read = await (await client.GetAsync($"/api/scenarios/{id}/maintenance/{logId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("planned", read.GetProperty("kind").GetString());

        await (await client.DeleteAsync($"/api/scenarios/{id}/maintenance/{logId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/scenarios/{id}/maintenance/{logId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/api/scenarios/{id}/maintenance/{logId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BadEntries_AreRefused_NamingEachField()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();

        var problem = await (await client.PostAsync($"/api/scenarios/{id}/maintenance", Entry("Dragline", "2045-01-02T00:00:00Z", "2045-01-01T00:00:00Z", "planned", -1)))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["cost", "end", "equipment", "start"], problem.ErrorPaths().Order(StringComparer.Ordinal));

        var badKind = await (await client.PostAsync($"/api/scenarios/{id}/maintenance", Entry(Truck, "2028-03-01T00:00:00Z", "2028-03-02T00:00:00Z", "broken", 0)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(badKind.ErrorPaths(), p => p.Contains("kind", StringComparison.Ordinal));

        var badFilter = await (await client.GetAsync($"/api/scenarios/{id}/maintenance?equipment=Dragline&period=10")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["equipment", "period"], badFilter.ErrorPaths().Order(StringComparer.Ordinal));

        await (await client.GetAsync("/api/scenarios/999999999/maintenance")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/api/scenarios/999999999/maintenance", Entry(Truck, "2028-03-01T00:00:00Z", "2028-03-02T00:00:00Z", "planned", 0))).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Entry_IsOnlyReachableThroughItsOwnScenario_AndViewersCannotWrite()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();
        var (other, _) = await client.CreateScenarioAsync();
        var entry = await (await client.PostAsync($"/api/scenarios/{id}/maintenance", Entry(Truck, "2028-03-01T00:00:00Z", "2028-03-02T00:00:00Z", "planned", 0))).ExpectAsync(HttpStatusCode.Created);
        var logId = entry.GetProperty("id").GetInt64();

        await (await client.GetAsync($"/api/scenarios/{other}/maintenance/{logId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/api/scenarios/{other}/maintenance/{logId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.PutAsync($"/api/scenarios/{other}/maintenance/{logId}", Entry(Truck, "2028-03-01T00:00:00Z", "2028-03-02T00:00:00Z", "planned", 0))).ExpectProblemAsync(HttpStatusCode.NotFound);

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        await (await viewer.GetAsync($"/api/scenarios/{id}/maintenance/{logId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/scenarios/{id}/maintenance", Entry(Truck, "2028-03-01T00:00:00Z", "2028-03-02T00:00:00Z", "planned", 0))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/scenarios/{id}/maintenance/{logId}")).StatusCode);
    }

    [Fact]
    public async Task Kpis_EqualThoseCoreComputes_FromTheSameEvents()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await client.CreateScenarioAsync();
        (string Start, string End, string Kind, double Cost)[] events =
        [
            ("2028-02-01T00:00:00Z", "2028-02-03T00:00:00Z", "unplanned", 12000),
            ("2028-06-01T00:00:00Z", "2028-06-01T12:00:00Z", "planned", 3000),
            ("2028-09-15T00:00:00Z", "2028-09-16T06:00:00Z", "unplanned", 8000),
            ("2030-01-05T00:00:00Z", "2030-01-06T00:00:00Z", "unplanned", 4000),
        ];
        foreach (var e in events)
        {
            await (await client.PostAsync($"/api/scenarios/{id}/maintenance", Entry(Truck, e.Start, e.End, e.Kind, e.Cost))).ExpectAsync(HttpStatusCode.Created);
        }

        var coreEvents = events.Select(e => new MaintenanceEvent(
            DateTimeOffset.Parse(e.Start, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(e.End, System.Globalization.CultureInfo.InvariantCulture),
            e.Kind == "planned" ? MaintenanceKind.Planned : MaintenanceKind.Unplanned,
            e.Cost)).ToList();
        var year2028 = MaintenanceAnalysis.Calculate(coreEvents, new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var horizon = MaintenanceAnalysis.Calculate(coreEvents, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2037, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var period1 = await (await client.GetAsync($"/api/scenarios/{id}/maintenance/kpis?equipment={Uri.EscapeDataString(Truck)}&period=1")).ExpectAsync(HttpStatusCode.OK);
        AssertKpis(year2028, period1.GetProperty("kpis"));
        Assert.Equal(1, period1.GetProperty("period").GetInt32());
        var whole = await (await client.GetAsync($"/api/scenarios/{id}/maintenance/kpis?equipment={Uri.EscapeDataString(Truck)}")).ExpectAsync(HttpStatusCode.OK);
        AssertKpis(horizon, whole.GetProperty("kpis"));
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("period").ValueKind);

        var noFleet = await (await client.GetAsync($"/api/scenarios/{id}/maintenance/kpis")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["equipment"], noFleet.ErrorPaths());
        var badPeriod = await (await client.GetAsync($"/api/scenarios/{id}/maintenance/kpis?equipment={Uri.EscapeDataString(Truck)}&period=-1")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["period"], badPeriod.ErrorPaths());
        await (await client.GetAsync($"/api/scenarios/999999999/maintenance/kpis?equipment=x")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static void AssertKpis(MaintenanceKpis expected, JsonElement actual)
    {
        Assert.True(expected.Failures > 0);
        Assert.Equal(expected.Availability, actual.GetProperty("availability").GetDouble(), 12);
        Assert.Equal(expected.MtbfHours!.Value, actual.GetProperty("mtbfHours").GetDouble(), 9);
        Assert.Equal(expected.MttrHours!.Value, actual.GetProperty("mttrHours").GetDouble(), 9);
        Assert.Equal(expected.CostPerOperatingHour!.Value, actual.GetProperty("costPerOperatingHour").GetDouble(), 9);
        Assert.Equal(expected.Failures, actual.GetProperty("failures").GetInt32());
        Assert.Equal(expected.MaintenanceCost, actual.GetProperty("maintenanceCost").GetDouble());
    }

    private static JsonContent Entry(string equipment, string start, string end, string kind, double cost) =>
        JsonContent.Create(new Dictionary<string, object> { ["equipment"] = equipment, ["start"] = start, ["end"] = end, ["kind"] = kind, ["cost"] = cost });
}
