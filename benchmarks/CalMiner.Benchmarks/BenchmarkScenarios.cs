using CalMiner.Scenarios;

namespace CalMiner.Benchmarks;

/// <summary>The scenarios the benchmarks run: the project's samples and larger synthetic ones built from them.</summary>
public static class BenchmarkScenarios
{
    public static ScenarioDocument Gold() => ScenarioDocument.Load(SamplePath("gold-open-pit.json"));

    /// <summary>The gold sample stretched to <paramref name="periods"/> periods: construction, production with a declining grade, closure.</summary>
    public static ScenarioDocument LongGold(int periods)
    {
        var gold = Gold();
        var schedule = new List<SchedulePeriod> { gold.Schedule[0] };
        for (var t = 1; t < periods - 1; t++)
        {
            schedule.Add(gold.Schedule[1] with { Period = t, Grades = new Dictionary<string, double> { ["Au"] = 1.6 - 0.01 * t } });
        }

        var capital = gold.Capital
            .Where(c => c.Category == CapitalCategory.Initial)
            .Concat(Enumerable.Range(2, periods - 3).Select(t => new CapitalItem($"Sustaining Y{t}", CapitalCategory.Sustaining, t, 10_000_000, DepreciationYears: 5)))
            .Append(new CapitalItem("Closure", CapitalCategory.Closure, periods - 1, 35_000_000))
            .ToList();
        return gold with { Name = $"Gold open pit, {periods} periods", Periods = periods, Schedule = schedule, Capital = capital };
    }

    private static string SamplePath(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "samples", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"No samples/{name} above {AppContext.BaseDirectory}.");
    }
}
