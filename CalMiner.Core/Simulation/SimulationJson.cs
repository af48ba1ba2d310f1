using System.Text.Json;
using System.Text.Json.Serialization;
using CalMiner.Scenarios;

namespace CalMiner.Simulation;

/// <summary>
/// The JSON form of a <see cref="SimulationResult"/>, shared by every host so that the CLI and the
/// API give the same document: <c>{"iterations", "seed", "sampling", "seconds", "stoppedEarly",
/// "correlationsRepaired", "correlationsMaxChange", "outputs": {"npvAfterTax": {"mean", "sd", …, "p1" … "p99",
/// "probNegative", "var5", "cvar5", "presentFraction", "histogram": {"min", "binWidth", "counts"},
/// "cdf"}, …}, "sensitivity", "tornado", "spider", "convergence"}</c>; camelCase names, the sampling
/// as in the scenario document (<c>latinHypercube</c>, <c>monteCarlo</c>), and a statistic that does
/// not exist (NaN, e.g. the IRR of a run where no iteration has one) written as <c>null</c>.
/// </summary>
public static class SimulationJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, IndentSize = 2 };

    /// <summary>The simulation result as indented JSON text.</summary>
    /// <param name="result">The result to write.</param>
    /// <param name="seconds">Wall time of the run as the caller measured it, written as <c>"seconds"</c>; left out when null.</param>
    public static string ToJson(this SimulationResult result, double? seconds = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        Write(result, buffer, seconds);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the simulation result as indented UTF-8 JSON to <paramref name="utf8Json"/>.</summary>
    /// <param name="result">The result to write.</param>
    /// <param name="utf8Json">The stream to write to; it is left open.</param>
    /// <param name="seconds">Wall time of the run as the caller measured it, written as <c>"seconds"</c>; left out when null.</param>
    public static void WriteJson(this SimulationResult result, Stream utf8Json, double? seconds = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(utf8Json);
        Write(result, utf8Json, seconds);
    }

    private static void Write(SimulationResult result, Stream utf8Json, double? seconds)
    {
        using var writer = new Utf8JsonWriter(utf8Json, WriterOptions);
        JsonSerializer.Serialize(writer, Document(result, seconds), SimulationJsonContext.Default.SimulationJsonDocument);
    }

    private static SimulationJsonDocument Document(SimulationResult result, double? seconds) => new(
        result.Iterations,
        result.Seed,
        result.Sampling,
        seconds,
        result.StoppedEarly,
        result.CorrelationsRepaired,
        result.CorrelationsMaxChange,
        result.Outputs.ToDictionary(o => o.Key, o => Output(o.Value), StringComparer.Ordinal),
        result.Sensitivity,
        result.Tornado,
        result.Spider,
        result.Convergence);

    private static OutputJson Output(OutputDistribution d)
    {
        // The percentiles in the order of OutputDistribution.StandardPercentiles; a missing one is written as null.
        double P(int index) => index < d.Percentiles.Count ? d.Percentiles[index] : double.NaN;
        var bins = d.Histogram.Count;
        return new OutputJson(
            d.Mean, d.StandardDeviation, d.Min, d.Max,
            P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8),
            d.ProbabilityNegative, d.ValueAtRisk5, d.ConditionalValueAtRisk5, d.PresentFraction,
            new HistogramJson(d.Min, bins == 0 ? double.NaN : (d.Max - d.Min) / bins, d.Histogram),
            d.Cdf);
    }
}

/// <summary>The whole document, in the order it is written.</summary>
internal sealed record SimulationJsonDocument(
    int Iterations,
    long Seed,
    SamplingMethod Sampling,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Seconds,
    bool StoppedEarly,
    bool CorrelationsRepaired,
    double CorrelationsMaxChange,
    IReadOnlyDictionary<string, OutputJson> Outputs,
    IReadOnlyList<InputInfluence> Sensitivity,
    IReadOnlyList<TornadoBar> Tornado,
    IReadOnlyList<SpiderSeries> Spider,
    IReadOnlyList<ConvergenceCheckpoint> Convergence);

/// <summary>One output's statistics, flat.</summary>
internal sealed record OutputJson(
    double Mean, double Sd, double Min, double Max,
    double P1, double P5, double P10, double P25, double P50, double P75, double P90, double P95, double P99,
    double ProbNegative, double Var5, double Cvar5, double PresentFraction,
    HistogramJson Histogram,
    IReadOnlyList<double> Cdf);

/// <summary>Equal-width bins: bin b covers <c>min + b·binWidth</c> up to the next, the maximum in the last.</summary>
internal sealed record HistogramJson(double Min, double BinWidth, IReadOnlyList<int> Counts);

/// <summary>Writes NaN and infinities as <c>null</c> (JSON has no such numbers) and reads <c>null</c> back as NaN.</summary>
internal sealed class NonFiniteAsNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Source-generated JSON contract of the simulation result: camelCase, enums as their document names, non-finite numbers as null.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(NonFiniteAsNullConverter)])]
[JsonSerializable(typeof(SimulationJsonDocument))]
internal sealed partial class SimulationJsonContext : JsonSerializerContext;
