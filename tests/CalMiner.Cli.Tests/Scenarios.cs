using System.Text.Json.Nodes;

namespace CalMiner.Cli.Tests;

/// <summary>Scenario files for the tests: the repository's gold sample, and variants of it written to a temporary folder.</summary>
public sealed class Scenarios : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("calminer-cli-tests-").FullName;

    /// <summary>The repository's gold sample, <c>samples/gold-open-pit.json</c>.</summary>
    public static string GoldOpenPit { get; } = Path.Combine(CalMiner.Tests.RepositoryRoot.Path, "samples", "gold-open-pit.json");

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
}
