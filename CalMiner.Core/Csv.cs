using System.Globalization;

namespace CalMiner;

/// <summary>The CSV conventions of every CSV form: RFC 4180 (comma-separated, CRLF line ends, fields quoted where they must be).</summary>
internal static class Csv
{
    public const string LineEnd = "\r\n";

    /// <summary>A field as RFC 4180 wants it: quoted, with quotes doubled, when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>
    /// A text field (a name the user chose) that no spreadsheet runs as a formula: text starting with
    /// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return gets a leading <c>'</c> and quotes
    /// (OWASP, CSV injection). Numbers never pass through here, so a negative number stays a number.
    /// </summary>
    public static string Text(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            ? $"\"'{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : Field(value);

    /// <summary>
    /// <paramref name="value"/> rounded to <paramref name="decimals"/> places, half away from zero, in its
    /// shortest invariant form; −0 is written 0, a value that is not finite as an empty field.
    /// </summary>
    public static string Rounded(double value, int decimals) =>
        double.IsFinite(value)
            ? (Math.Round(value, decimals, MidpointRounding.AwayFromZero) + 0.0).ToString("R", CultureInfo.InvariantCulture)
            : "";
}
