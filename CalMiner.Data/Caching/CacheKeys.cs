using System.Globalization;

namespace CalMiner.Data.Caching;

/// <summary>
/// Cache keys. Each carries the scenario's id and version (or a finished run's id, whose summary
/// never changes), so an entry can never be served for a newer version than it was made from.
/// </summary>
internal static class CacheKeys
{
    public static string Scenario(long id, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"calminer:scenario:{id}:v{version}");

    public static string Evaluation(string kind, long scenarioId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"calminer:{kind}:{scenarioId}:v{version}");

    public static string Summary(long runId) =>
        string.Create(CultureInfo.InvariantCulture, $"calminer:simulation-summary:{runId}");

    /// <summary>The tag on every entry made from a scenario, removed when the scenario changes.</summary>
    public static string ScenarioTag(long id) =>
        string.Create(CultureInfo.InvariantCulture, $"calminer:scenario:{id}");
}
