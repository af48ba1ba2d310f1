using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalMiner.Scenarios.Json;

/// <summary>
/// Source-generated JSON contract of the scenario document: camelCase, unknown fields and duplicate
/// fields rejected, enums only by name, nulls omitted on write.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    IndentSize = 2,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.Strict,
    Converters =
    [
        typeof(NamedEnumConverter<Discounting>),
        typeof(NamedEnumConverter<GradeUnit>),
        typeof(NamedEnumConverter<PayableUnit>),
        typeof(NamedEnumConverter<ConsumableDriver>),
        typeof(NamedEnumConverter<CapitalCategory>),
        typeof(NamedEnumConverter<RoyaltyBasis>),
        typeof(NamedEnumConverter<SamplingMethod>),
        typeof(NamedEnumConverter<DistributionType>),
    ])]
[JsonSerializable(typeof(ScenarioDocument))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;

/// <summary>An enum written by its <see cref="JsonStringEnumMemberNameAttribute"/> name; numbers are refused.</summary>
internal sealed class NamedEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
