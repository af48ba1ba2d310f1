using System.Text.Json.Nodes;

namespace CalMiner.Cli.Tests;

/// <summary>Scenario files for the tests: the shared gold example, and variants of it written to a temporary folder.</summary>
public sealed class Scenarios : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("calminer-cli-tests-").FullName;

    /// <summary>The shared example: the folder holding CalMiner.sln, then <c>../shared/examples</c>.</summary>
    public static string GoldOpenPit { get; } = Path.Combine(RepositoryRoot(), "..", "shared", "examples", "gold-open-pit.json");

    /// <summary>The gold example as a JSON tree, to change before <see cref="Write(JsonNode)"/>.</summary>
    public static JsonObject GoldOpenPitJson() => JsonNode.Parse(File.ReadAllText(GoldOpenPit))!.AsObject();

    /// <summary>Writes <paramref name="document"/> to a new file and returns its path.</summary>
    public string Write(JsonNode document) => Write(document.ToJsonString());

    /// <summary>Writes <paramref name="text"/> to a new file and returns its path.</summary>
    public string Write(string text)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CalMiner.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No CalMiner.sln above {AppContext.BaseDirectory}.");
    }
}
