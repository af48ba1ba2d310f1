using System.Buffers;
using System.Text.Json;
using CalMiner.Scenarios;
using Microsoft.Extensions.Caching.Hybrid;

namespace CalMiner.Data.Caching;

/// <summary>A cached scenario as JSON: its id, version and audit fields around the scenario document.</summary>
internal sealed class StoredScenarioSerializer : IHybridCacheSerializer<StoredScenario>
{
    public StoredScenario Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        using var json = JsonDocument.ParseValue(ref reader);
        var root = json.RootElement;
        return new StoredScenario(
            root.GetProperty("id").GetInt64(),
            root.GetProperty("version").GetInt32(),
            ScenarioDocument.Parse(root.GetProperty("document").GetRawText()),
            root.GetProperty("savedAt").GetDateTimeOffset(),
            root.GetProperty("savedBy").GetString() ?? "");
    }

    public void Serialize(StoredScenario value, IBufferWriter<byte> target) => value.WriteJson(target);
}
