using CalMiner.Scenarios;

namespace CalMiner.Data.Tests.Infrastructure;

/// <summary>The sample scenarios: the test data's, and the project's own samples/*.json.</summary>
internal static class Samples
{
    /// <summary>The example of the design documents, as given.</summary>
    public static ScenarioDocument Gold => Load("example-gold-open-pit.json");

    public static ScenarioDocument EveryField => Load("every-field.json");

    /// <summary>The gold example stretched to <paramref name="periods"/> periods (at most 100), so that each iteration costs more without more memory.</summary>
    public static ScenarioDocument LongGold(int periods)
    {
        var gold = Gold;
        var schedule = new List<SchedulePeriod> { gold.Schedule[0] };
        for (var t = 1; t < periods - 1; t++)
        {
            schedule.Add(gold.Schedule[1] with { Period = t, Grades = new Dictionary<string, double> { ["Au"] = 1.6 - 0.01 * t } });
        }

        var capital = gold.Capital
            .Where(c => c.Category == CapitalCategory.Initial)
            .Append(new CapitalItem("Closure", CapitalCategory.Closure, periods - 1, 35_000_000))
            .ToList();
        return gold with { Name = $"Gold open pit, {periods} periods", Periods = periods, Schedule = schedule, Capital = capital };
    }

    /// <summary>File name → path of every sample scenario.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = Find();

    public static ScenarioDocument Load(string name) => ScenarioDocument.Load(All[name]);

    private static Dictionary<string, string> Find()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData"), "*.json"))
        {
            found[Path.GetFileName(file)] = file;
        }

        // The repository's own samples, when the tests run from a build inside it.
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CalMiner.sln")))
            {
                var samples = Path.Combine(folder.FullName, "samples");
                if (Directory.Exists(samples))
                {
                    foreach (var file in Directory.GetFiles(samples, "*.json"))
                    {
                        found[Path.GetFileName(file)] = file;
                    }
                }

                break;
            }
        }

        return found;
    }
}
