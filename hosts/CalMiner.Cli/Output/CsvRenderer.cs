using System.Globalization;
using System.Text;
using CalMiner.Economics;

namespace CalMiner.Cli.Output;

/// <summary>
/// Writes an evaluation as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted where they
/// must be): a header, one row per period, then a totals row whose <c>period</c> is <c>total</c>.
/// Numbers in the invariant culture, round-trippable, unscaled (currency units and tonnes).
/// </summary>
internal static class CsvRenderer
{
    private const string LineEnd = "\r\n";

    public static string Render(EvaluationResult result)
    {
        var columns = CashFlowColumns.Of(result);
        var csv = new StringBuilder();

        csv.Append("period,year");
        foreach (var column in columns)
        {
            csv.Append(',').Append(Field(column.Name));
        }

        csv.Append(LineEnd);
        foreach (var line in result.Periods)
        {
            AppendRow(csv, Number(line.Period), Number(line.Year), line, columns);
        }

        AppendRow(csv, "total", "", result.Totals, columns);
        return csv.ToString();
    }

    private static void AppendRow(StringBuilder csv, string period, string year, CashFlowLine line, IReadOnlyList<CashFlowColumn> columns)
    {
        csv.Append(period).Append(',').Append(year);
        foreach (var column in columns)
        {
            csv.Append(',').Append(column.Value(line).ToString("R", CultureInfo.InvariantCulture));
        }

        csv.Append(LineEnd);
    }

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>A field as RFC 4180 wants it: quoted, with quotes doubled, when it holds a comma, a quote or a line break.</summary>
    internal static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
