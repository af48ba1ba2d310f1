using System.Text.Json.Serialization;

namespace CalMiner.Data;

/// <summary>Source-generated JSON for the small values the data library stores as text.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class DataJsonContext : JsonSerializerContext;
