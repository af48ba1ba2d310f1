using System.Text.Json;
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
                : ConvertPattern().Match(message) is { Success: true } convert
                    ? $"must be {Expected(convert.Groups[1].Value)}"
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

    private static string Expected(string dotnetType) => dotnetType switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Nullable`1[System.Double]" => "a number",
        "System.String" => "a string",
        "System.Boolean" => "true or false",
        _ when dotnetType.EndsWith(nameof(Discounting), StringComparison.Ordinal) => "one of \"endOfPeriod\", \"midPeriod\"",
        _ when dotnetType.EndsWith(nameof(GradeUnit), StringComparison.Ordinal) => "one of \"g/t\", \"ppm\", \"%\"",
        _ when dotnetType.EndsWith(nameof(PayableUnit), StringComparison.Ordinal) => "one of \"oz\", \"g\", \"kg\", \"t\", \"lb\"",
        _ when dotnetType.EndsWith(nameof(ConsumableDriver), StringComparison.Ordinal) => "one of \"tonneMined\", \"tonneProcessed\", \"operatingPeriod\"",
        _ when dotnetType.EndsWith(nameof(CapitalCategory), StringComparison.Ordinal) => "one of \"initial\", \"sustaining\", \"closure\"",
        _ when dotnetType.EndsWith(nameof(RoyaltyBasis), StringComparison.Ordinal) => "one of \"nsr\", \"grossRevenue\"",
        _ when dotnetType.EndsWith(nameof(SamplingMethod), StringComparison.Ordinal) => "one of \"monteCarlo\", \"latinHypercube\"",
        _ when dotnetType.EndsWith(nameof(DistributionType), StringComparison.Ordinal) => "one of \"constant\", \"normal\", \"lognormal\", \"uniform\", \"triangular\", \"pert\", \"discrete\", \"empirical\"",
        _ when dotnetType.Contains("IReadOnlyList", StringComparison.Ordinal) => "an array",
        _ => "an object",
    };

    [GeneratedRegex("missing required properties including: (.+?)\\.?(?: Path:|$)")]
    private static partial Regex RequiredPattern();

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedPattern();

    [GeneratedRegex("could not be converted to ([^ .][^ ]*?)\\.? Path:")]
    private static partial Regex ConvertPattern();
}
