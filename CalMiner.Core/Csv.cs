namespace CalMiner;

/// <summary>The CSV conventions of every CSV form: RFC 4180 (comma-separated, CRLF line ends, fields quoted where they must be).</summary>
internal static class Csv
{
    public const string LineEnd = "\r\n";

    /// <summary>A field as RFC 4180 wants it: quoted, with quotes doubled, when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
