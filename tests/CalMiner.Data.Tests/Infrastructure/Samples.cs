using CalMiner.Scenarios;

namespace CalMiner.Data.Tests.Infrastructure;

/// <summary>The sample scenarios: the test data's, and the project's own samples/*.json.</summary>
internal static class Samples
{
    /// <summary>The example of the design documents, as given.</summary>
    public static ScenarioDocument Gold => Load("example-gold-open-pit.json");

    public static ScenarioDocument EveryField => Load("every-field.json");

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
