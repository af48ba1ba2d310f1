using System.Globalization;
using System.Text.Json.Nodes;
using CalMiner.Scenarios;

namespace CalMiner.Data.Scenarios;

/// <summary>Field-by-field differences of two scenario documents, through their JSON form.</summary>
internal static class ScenarioDiff
{
    public static List<ScenarioChange> Compare(ScenarioDocument before, ScenarioDocument after) =>
        Compare(before.ToJson(), after.ToJson());

    public static List<ScenarioChange> Compare(string beforeJson, string afterJson)
    {
        var changes = new List<ScenarioChange>();
        Walk("", JsonNode.Parse(beforeJson), JsonNode.Parse(afterJson), changes);
        return changes;
    }

    private static void Walk(string path, JsonNode? a, JsonNode? b, List<ScenarioChange> changes)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var (key, value) in x)
                {
                    Walk(Member(path, key), value, y[key], changes);
                }

                foreach (var (key, value) in y)
                {
                    if (!x.ContainsKey(key))
                    {
                        Walk(Member(path, key), null, value, changes);
                    }
                }

                break;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
                {
                    Walk(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), i < x.Count ? x[i] : null, i < y.Count ? y[i] : null, changes);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(a, b))
                {
                    changes.Add(new ScenarioChange(path, a?.ToJsonString(), b?.ToJsonString()));
                }

                break;
        }
    }

    private static string Member(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
