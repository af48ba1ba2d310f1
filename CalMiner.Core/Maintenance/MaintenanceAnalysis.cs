namespace CalMiner.Maintenance;

/// <summary>Derives availability, MTBF, MTTR and maintenance cost per operating hour from maintenance events.</summary>
public static class MaintenanceAnalysis
{
    /// <summary>The indicators of the period [<paramref name="periodStart"/>, <paramref name="periodEnd"/>).</summary>
    /// <param name="events">The item's maintenance events; the parts outside the period are ignored.</param>
    /// <param name="periodStart">Start of the period.</param>
    /// <param name="periodEnd">End of the period, after <paramref name="periodStart"/>.</param>
    /// <exception cref="ArgumentException">The period is empty, or an event ends before it starts or has a cost outside 0..<see cref="MaintenanceEvent.MaxCost"/>.</exception>
    public static MaintenanceKpis Calculate(IEnumerable<MaintenanceEvent> events, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (periodEnd <= periodStart)
        {
            ThrowHelper.ThrowArgument(nameof(periodEnd), "periodEnd must be after periodStart.");
        }

        var list = events.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].End <= list[i].Start)
            {
                ThrowHelper.ThrowArgument(nameof(events), $"events[{i}].end must be after its start.");
            }

            if (!MaintenanceEvent.IsValidCost(list[i].Cost))
            {
                ThrowHelper.ThrowArgument(nameof(events), $"events[{i}].cost must be a number in 0..1e15.");
            }
        }

        var calendar = (periodEnd - periodStart).TotalHours;
        var downtime = MergedHours(list, periodStart, periodEnd);
        var unplanned = MergedHours(list.Where(e => e.Kind == MaintenanceKind.Unplanned), periodStart, periodEnd);
        var started = list.Where(e => e.Start >= periodStart && e.Start < periodEnd).ToList();
        var failures = started.Count(e => e.Kind == MaintenanceKind.Unplanned);
        var cost = started.Sum(e => e.Cost);
        var operating = calendar - downtime;
        return new MaintenanceKpis(
            calendar,
            downtime,
            unplanned,
            operating,
            failures,
            operating / calendar,
            failures > 0 ? operating / failures : null,
            failures > 0 ? unplanned / failures : null,
            cost,
            operating > 0 ? cost / operating : null);
    }

    /// <summary>Hours covered by the events inside the period, overlapping stops counted once.</summary>
    private static double MergedHours(IEnumerable<MaintenanceEvent> events, DateTimeOffset start, DateTimeOffset end)
    {
        var hours = 0.0;
        DateTimeOffset? runStart = null, runEnd = null;
        foreach (var e in events.Where(e => e.End > start && e.Start < end).OrderBy(e => e.Start))
        {
            var (from, to) = (e.Start < start ? start : e.Start, e.End > end ? end : e.End);
            if (runEnd is { } current && from <= current)
            {
                runEnd = to > current ? to : current;
                continue;
            }

            if (runStart is { } open && runEnd is { } close)
            {
                hours += (close - open).TotalHours;
            }

            (runStart, runEnd) = (from, to);
        }

        if (runStart is { } last && runEnd is { } lastEnd)
        {
            hours += (lastEnd - last).TotalHours;
        }

        return hours;
    }
}
