using System.Globalization;
using CalMiner.Data.Database;

namespace CalMiner.Data.Caching;

/// <summary>
/// Cache keys. Each carries the scenario's id and version (or a finished run's id, whose summary
/// never changes), so an entry can never be served for a newer version than it was made from.
/// </summary>
internal static class CacheKeys
{
    /// <summary>
    /// The prefix of every key in Redis: one per database (server, database and schema, or SQLite
    /// file), because ids and versions repeat across databases that share a Redis server.
    /// </summary>
    public static string Namespace(CalMinerDataOptions options) => $"calminer:{CalMinerDatabase.IdOf(options)}:";

    public static string Scenario(long id, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"scenario:{id}:v{version}");

    public static string Evaluation(string kind, long scenarioId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"result:{kind}:{scenarioId}:v{version}");

    public static string Summary(long runId) =>
        string.Create(CultureInfo.InvariantCulture, $"simulation-summary:{runId}");

    /// <summary>The tag on every entry made from a scenario, removed when the scenario changes.</summary>
    public static string ScenarioTag(long id) =>
        string.Create(CultureInfo.InvariantCulture, $"scenario:{id}");
}
