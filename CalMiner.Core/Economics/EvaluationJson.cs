using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalMiner.Economics;

/// <summary>
/// The JSON form of an <see cref="EvaluationResult"/>, shared by every host so that the CLI and the
/// API give the same document: <c>{"currency", "metrics", "totals", "periods"}</c>, camelCase names
/// (<c>npvAfterTax</c>, <c>irrAfterTax</c>, <c>afterTaxCashFlow</c> …), a metric that does not exist
/// written as <c>null</c>, rates and fractions as fractions (0.178, not 17.8).
/// </summary>
public static class EvaluationJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, IndentSize = 2 };

    /// <summary>The evaluation as indented JSON text.</summary>
    /// <param name="result">The evaluation to write.</param>
    public static string ToJson(this EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        Write(result, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the evaluation as indented UTF-8 JSON to <paramref name="utf8Json"/>.</summary>
    /// <param name="result">The evaluation to write.</param>
    /// <param name="utf8Json">The stream to write to; it is left open.</param>
    public static void WriteJson(this EvaluationResult result, Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(utf8Json);
        Write(result, utf8Json);
    }

    // Written member by member so the order reads top-down, headline figures first, without
    // putting serialization attributes on the result types.
    private static void Write(EvaluationResult result, Stream utf8Json)
    {
        using var writer = new Utf8JsonWriter(utf8Json, WriterOptions);
        var context = EvaluationJsonContext.Default;
        writer.WriteStartObject();
        writer.WriteString("currency", result.Currency);
        writer.WritePropertyName("metrics");
        JsonSerializer.Serialize(writer, result.Metrics, context.EconomicMetrics);
        writer.WritePropertyName("totals");
        JsonSerializer.Serialize(writer, result.Totals, context.CashFlowLine);
        writer.WritePropertyName("periods");
        JsonSerializer.Serialize(writer, result.Periods, context.IReadOnlyListCashFlowLine);
        writer.WriteEndObject();
    }
}

/// <summary>Source-generated JSON contract of the evaluation types: camelCase, nulls written, numbers strict.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(EconomicMetrics))]
[JsonSerializable(typeof(CashFlowLine))]
[JsonSerializable(typeof(IReadOnlyList<CashFlowLine>))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
