namespace CalMiner.Scenarios;

/// <summary>One problem in a scenario document.</summary>
/// <param name="Path">Where the problem is, as a JSON path without the leading <c>$.</c>, e.g. <c>capital[3].period</c>; empty for the whole document.</param>
/// <param name="Message">The rule that is broken, e.g. <c>must be within 0..9</c>.</param>
public sealed record ScenarioError(string Path, string Message)
{
    /// <summary>1-based line of the problem in the JSON text, when it was found while reading.</summary>
    public long? Line { get; init; }

    /// <summary>1-based byte position of the problem in its line, when it was found while reading.</summary>
    public long? Position { get; init; }

    /// <summary>The path and the rule, and the position in the text when known, e.g. <c>capital[3].period must be within 0..9</c>.</summary>
    public override string ToString()
    {
        var text = Path.Length == 0 ? Message : $"{Path} {Message}";
        return Line is { } line ? $"{text} (line {line}, position {Position})" : text;
    }
}
