using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace CalMiner.Scenarios.Json;

/// <summary>Turns System.Text.Json's exceptions into messages about the document, not about .NET types.</summary>
internal static partial class JsonErrors
{
    /// <summary>The error of a document with no JSON in it at all.</summary>
    public static ScenarioError Empty { get; } = new("", "the document is empty: a scenario is a JSON object") { Line = 1, Position = 1 };

    /// <summary>Whether the text is empty or only white space.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> utf8Json) => utf8Json.TrimStart(" \t\r\n"u8).IsEmpty;

    /// <summary>The problem <paramref name="exception"/> reports about <paramref name="utf8Json"/>, the text that was read.</summary>
    public static ScenarioError Describe(JsonException exception, ReadOnlySpan<byte> utf8Json)
    {
        var path = Relative(exception.Path);
        var message = exception.Message;
        (long Line, long Position) at = ((exception.LineNumber ?? 0) + 1, (exception.BytePositionInLine ?? 0) + 1);
        string detail;
        if (RequiredPattern().Match(message) is { Success: true } required)
        {
            var fields = required.Groups[1].Value.Replace("'", "", StringComparison.Ordinal);
            detail = $"{(path.Length == 0 ? "the document " : "")}is missing required field{(fields.Contains(',', StringComparison.Ordinal) ? "s" : "")} {fields}";
            // The reader notices at the object's end; the object's start is where one looks for it.
            at = StartOf(utf8Json, path) ?? at;
        }
        else
        {
            detail = UnmappedPattern().Match(message) is { Success: true } unmapped
                ? Unknown(ref path, unmapped.Groups[1].Value)
                : message.Contains("could not be converted", StringComparison.Ordinal)
                    ? $"must be {Expected(path)}"
                    : message.Contains("doesn't allow", StringComparison.Ordinal) || message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("not", StringComparison.Ordinal)
                        ? "must not be null"
                        : message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                            ? "is given more than once"
                            : Syntax(message);
        }

        return new ScenarioError(path, detail) { Line = at.Line, Position = at.Position };
    }

    private static string Relative(string? path) =>
        path is null or "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Unknown(ref string path, string field)
    {
        // The reported path may or may not already end in the unknown field; make it name the field.
        var parent = path;
        if (path.EndsWith(field, StringComparison.Ordinal))
        {
            parent = path[..^field.Length].TrimEnd('.');
        }
        else
        {
            path = path.Length == 0 ? field : $"{path}.{field}";
        }

        return Nearest(field, InfoAt(parent)) is { } suggestion
            ? $"is not a field of the scenario format; did you mean {suggestion}?"
            : "is not a field of the scenario format";
    }

    /// <summary>The field of <paramref name="info"/> that <paramref name="field"/> most likely misspells: a case or a few letters apart.</summary>
    private static string? Nearest(string field, JsonTypeInfo? info)
    {
        if (info is not { Kind: JsonTypeInfoKind.Object })
        {
            return null;
        }

        var allowed = Math.Max(1, field.Length / 4);
        return info.Properties
            .Select(p => (p.Name, Distance: EditDistance(field.ToUpperInvariant(), p.Name.ToUpperInvariant())))
            .Where(p => p.Distance <= allowed)
            .OrderBy(p => p.Distance)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name)
            .FirstOrDefault();
    }

    /// <summary>Levenshtein distance: the fewest insertions, deletions and substitutions that turn one into the other.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>Where the object at <paramref name="path"/> (relative, e.g. <c>products[0]</c>; empty for the document) starts in the text.</summary>
    private static (long Line, long Position)? StartOf(ReadOnlySpan<byte> utf8Json, string path)
    {
        var reader = new Utf8JsonReader(utf8Json);
        var containers = new Stack<(bool IsArray, int Count, string Path)>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        continue;
                }

                var here = "";
                if (containers.TryPop(out var container))
                {
                    here = container.IsArray ? $"{container.Path}[{container.Count}]" : container.Path.Length == 0 ? property! : $"{container.Path}.{property}";
                    containers.Push(container with { Count = container.Count + 1 });
                }

                if (reader.TokenType == JsonTokenType.StartObject && here == path)
                {
                    var before = utf8Json[..(int)reader.TokenStartIndex];
                    var lineStart = before.LastIndexOf((byte)'\n') + 1;
                    return (before.Count((byte)'\n') + 1, before.Length - lineStart + 1);
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    containers.Push((reader.TokenType == JsonTokenType.StartArray, 0, here));
                }
            }
        }
        catch (JsonException)
        {
            // The text breaks off before the object: keep the position the reader gave.
        }

        return null;
    }

    private static string Syntax(string message)
    {
        // A converter's own message is already about the document; the reader's loses its position suffix.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut >= 0 ? message[..cut] : message;
        cut = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        text = (cut >= 0 ? text[..cut] : text).TrimEnd('.', ' ');
        // The reader speaks of its own state ("when isFinalBlock is true"), not of the document.
        cut = text.IndexOf(", when isFinalBlock", StringComparison.Ordinal);
        text = cut >= 0 ? text[..cut] : text;
        if (text.StartsWith("Expected depth to be zero", StringComparison.Ordinal))
        {
            text = "the text ends before every object and array in it is closed";
        }

        return text.StartsWith("must", StringComparison.Ordinal) ? text : $"is not valid JSON: {text}";
    }

    /// <summary>The JSON contract of the value at <paramref name="path"/>, found by walking the document's contract along the path; null when it has none.</summary>
    private static JsonTypeInfo? InfoAt(string path)
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

        return info;

        static JsonTypeInfo? Info(Type? type) => type is null ? null : ScenarioJsonContext.Default.GetTypeInfo(type);
    }

    /// <summary>What the field at <paramref name="path"/> holds, in words.</summary>
    private static string Expected(string path)
    {
        var info = InfoAt(path);
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
