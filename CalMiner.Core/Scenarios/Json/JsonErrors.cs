using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace CalMiner.Scenarios.Json;

/// <summary>Turns System.Text.Json's exceptions into messages about the document, not about .NET types.</summary>
internal static partial class JsonErrors
{
    public static ScenarioError Describe(JsonException exception)
    {
        var path = Relative(exception.Path);
        var message = exception.Message;
        var detail = RequiredPattern().Match(message) is { Success: true } required
            ? $"is missing required field{(required.Groups[1].Value.Contains(',', StringComparison.Ordinal) ? "s" : "")} {required.Groups[1].Value.Replace("'", "", StringComparison.Ordinal)}"
            : UnmappedPattern().Match(message) is { Success: true } unmapped
                ? Unknown(ref path, unmapped.Groups[1].Value)
                : message.Contains("could not be converted", StringComparison.Ordinal)
                    ? $"must be {Expected(path)}"
                    : message.Contains("doesn't allow", StringComparison.Ordinal) || message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("not", StringComparison.Ordinal)
                        ? "must not be null"
                        : message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                            ? "is given more than once"
                            : Syntax(message);

        return new ScenarioError(path, detail)
        {
            Line = exception.LineNumber + 1,
            Position = exception.BytePositionInLine + 1,
        };
    }

    private static string Relative(string? path) =>
        path is null or "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Unknown(ref string path, string field)
    {
        // The reported path may or may not already end in the unknown field; make it name the field.
        if (!path.EndsWith(field, StringComparison.Ordinal))
        {
            path = path.Length == 0 ? field : $"{path}.{field}";
        }

        return "is not a field of the scenario format";
    }

    private static string Syntax(string message)
    {
        // A converter's own message is already about the document; the reader's loses its position suffix.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut >= 0 ? message[..cut] : message;
        cut = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        text = (cut >= 0 ? text[..cut] : text).TrimEnd('.', ' ');
        return text.StartsWith("must", StringComparison.Ordinal) ? text : $"is not valid JSON: {text}";
    }

    /// <summary>What the field at <paramref name="path"/> holds, found by walking the JSON contract along the path.</summary>
    private static string Expected(string path)
    {
        JsonTypeInfo? info = ScenarioJsonContext.Default.ScenarioDocument;
        foreach (Match segment in SegmentPattern().Matches(path))
        {
            var name = segment.Groups["name"].Value;
            info = info switch
            {
                null => null,
                { Kind: JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary } => Info(info.ElementType),
                _ => info.Properties.FirstOrDefault(p => p.Name == name) is { } property ? Info(property.PropertyType) : null,
            };
        }

        var type = info?.Type;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "of another type",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) => "a number",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(Bindable) => "a finite number or the name of a parameter",
            _ when type.IsEnum => $"one of {EnumNames(type)}",
            _ when info!.Kind == JsonTypeInfoKind.Enumerable => "an array",
            _ => "an object",
        };

        static JsonTypeInfo? Info(Type? type) => type is null ? null : ScenarioJsonContext.Default.GetTypeInfo(type);
    }

    private static string EnumNames(Type type) => type.Name switch
    {
        nameof(Discounting) => "\"endOfPeriod\", \"midPeriod\"",
        nameof(GradeUnit) => "\"g/t\", \"ppm\", \"%\"",
        nameof(PayableUnit) => "\"oz\", \"g\", \"kg\", \"t\", \"lb\"",
        nameof(ConsumableDriver) => "\"tonneMined\", \"tonneProcessed\", \"operatingPeriod\"",
        nameof(CapitalCategory) => "\"initial\", \"sustaining\", \"closure\"",
        nameof(RoyaltyBasis) => "\"nsr\", \"grossRevenue\"",
        nameof(SamplingMethod) => "\"monteCarlo\", \"latinHypercube\"",
        nameof(DistributionType) => "\"constant\", \"normal\", \"lognormal\", \"uniform\", \"triangular\", \"pert\", \"discrete\", \"empirical\"",
        _ => "the allowed values",
    };

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex("missing required properties including: (.+?)\\.?(?: Path:|$)")]
    private static partial Regex RequiredPattern();

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedPattern();
}
