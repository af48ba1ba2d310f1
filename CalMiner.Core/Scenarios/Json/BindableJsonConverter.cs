using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalMiner.Scenarios.Json;

/// <summary>Reads and writes a <see cref="Bindable"/> as a JSON number or a parameter name string.</summary>
internal sealed class BindableJsonConverter : JsonConverter<Bindable>
{
    public override Bindable Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetDouble(out var number) && double.IsFinite(number) => number,
            JsonTokenType.String when reader.GetString() is { Length: > 0 } name && !string.IsNullOrWhiteSpace(name) => Bindable.Of(name),
            _ => ThrowHelper.ThrowJson<Bindable>("must be a finite number or the name of a parameter"),
        };

    public override void Write(Utf8JsonWriter writer, Bindable value, JsonSerializerOptions options)
    {
        if (value.IsParameter)
        {
            writer.WriteStringValue(value.Parameter);
        }
        else
        {
            writer.WriteNumberValue(value.Number);
        }
    }
}
