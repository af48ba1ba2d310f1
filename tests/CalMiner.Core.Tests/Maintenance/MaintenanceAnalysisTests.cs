using CalMiner.Maintenance;

namespace CalMiner.Core.Tests.Maintenance;

public sealed class MaintenanceAnalysisTests
{
    private static readonly DateTimeOffset January = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset February = January.AddDays(31);

    private static MaintenanceEvent Stop(double startHour, double hours, MaintenanceKind kind, double cost = 0) =>
        new(January.AddHours(startHour), January.AddHours(startHour + hours), kind, cost);

    [Fact]
    public void Kpis_OfAMonthWithTwoBreakdownsAndAService()
    {
        // 744 h in January; breakdowns of 10 h and 6 h, a 24 h service: 40 h down, 704 h operating.
        MaintenanceEvent[] events =
        [
            Stop(100, 10, MaintenanceKind.Unplanned, 12_000),
            Stop(300, 24, MaintenanceKind.Planned, 30_000),
            Stop(500, 6, MaintenanceKind.Unplanned, 6_000),
        ];

        var kpis = MaintenanceAnalysis.Calculate(events, January, February);

        Assert.Equal(744, kpis.CalendarHours);
        Assert.Equal(40, kpis.DowntimeHours);
        Assert.Equal(16, kpis.UnplannedDowntimeHours);
        Assert.Equal(704, kpis.OperatingHours);
        Assert.Equal(2, kpis.Failures);
        Assert.Equal(704.0 / 744, kpis.Availability, 12);
        Assert.Equal(352, kpis.MtbfHours);
        Assert.Equal(8, kpis.MttrHours);
        Assert.Equal(48_000, kpis.MaintenanceCost);
        Assert.Equal(48_000.0 / 704, kpis.CostPerOperatingHour!.Value, 12);
    }

    [Fact]
    public void OverlappingStops_AreCountedOnce_AndClippedToThePeriod()
    {
        MaintenanceEvent[] events =
        [
            Stop(-5, 10, MaintenanceKind.Planned),
            Stop(100, 10, MaintenanceKind.Unplanned),
            Stop(105, 10, MaintenanceKind.Planned),
            Stop(740, 10, MaintenanceKind.Unplanned),
        ];

        var kpis = MaintenanceAnalysis.Calculate(events, January, February);

        Assert.Equal(5 + 15 + 4, kpis.DowntimeHours, 12);
        Assert.Equal(10 + 4, kpis.UnplannedDowntimeHours, 12);
        Assert.Equal(2, kpis.Failures);
    }

    [Fact]
    public void WithoutFailures_MtbfAndMttrAreAbsent()
    {
        var kpis = MaintenanceAnalysis.Calculate([], January, February);

        Assert.Equal(1, kpis.Availability);
        Assert.Null(kpis.MtbfHours);
        Assert.Null(kpis.MttrHours);
        Assert.Equal(0, kpis.CostPerOperatingHour);
    }

    [Fact]
    public void InvalidEvents_AreRejectedNamingTheField()
    {
        var backwards = new MaintenanceEvent(January.AddHours(5), January.AddHours(1), MaintenanceKind.Planned);

        var error = Assert.Throws<ArgumentException>(() => MaintenanceAnalysis.Calculate([backwards], January, February));
        Assert.Contains("events[0].end must be after its start", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MaintenanceAnalysis.Calculate([Stop(1, 1, MaintenanceKind.Planned, -1)], January, February));
        Assert.Throws<ArgumentException>(() => MaintenanceAnalysis.Calculate([], February, January));
    }

    [Theory]
    [InlineData(1e308)]
    [InlineData(1.7e308)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    [InlineData(1.0000001e15)]
    public void Cost_IsRejected_WhenOutside0To1e15SoThatNoSumOverflows(double cost)
    {
        var error = Assert.Throws<ArgumentException>(() => MaintenanceAnalysis.Calculate([Stop(1, 1, MaintenanceKind.Planned, 0), Stop(2, 1, MaintenanceKind.Planned, cost)], January, February));
        Assert.Contains("events[1].cost must be a number in 0..1e15", error.Message, StringComparison.Ordinal);
        Assert.False(MaintenanceEvent.IsValidCost(cost));
    }

    [Fact]
    public void LargestCosts_SumToAFiniteCost()
    {
        var stops = Enumerable.Range(1, 20).Select(day => Stop(day, 1, MaintenanceKind.Unplanned, MaintenanceEvent.MaxCost));
        var kpis = MaintenanceAnalysis.Calculate(stops, January, February);
        Assert.Equal(20 * MaintenanceEvent.MaxCost, kpis.MaintenanceCost);
        Assert.True(double.IsFinite(kpis.CostPerOperatingHour!.Value));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("Haul truck 220 t\ttab\r\n", true)]
    [InlineData("a\0b", false)]
    [InlineData("\0", false)]
    public void Text_BreaksTheTextRules_WhenItHoldsANul(string text, bool fine)
    {
        Assert.Equal(fine, TextRules.Problem(text) is null);
    }
}
