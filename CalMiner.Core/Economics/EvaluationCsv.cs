using System.Globalization;
using CalMiner.Economics.Internal;

namespace CalMiner.Economics;

/// <summary>
/// The CSV form of an <see cref="EvaluationResult"/>, shared by every host so that the CLI and the
/// API give the same file: RFC 4180 (comma-separated, CRLF line ends, fields quoted where they
/// must be), a header <c>period,year,oreMined,…</c> with one column per numeric line of the JSON form
/// (a product's lines as <c>Au.payable</c> etc.), one row per period, then a totals row whose
/// <c>period</c> is <c>total</c> and whose <c>year</c> is empty. Numbers in the invariant culture,
/// unscaled (currency units, tonnes, payable units) and rounded as a spreadsheet user expects: amounts
/// of money to 2 decimals, quantities (tonnes, payable units, t CO2e) to 3, half away from zero, in
/// their shortest form (<c>3520000</c>, not <c>3520000.0000000005</c>; never <c>-0</c>). The JSON form keeps
/// every bit. A text field that a spreadsheet would run as a formula is neutralised (see <see cref="Csv.Text"/>).
/// </summary>
public static class EvaluationCsv
{
    /// <summary>The evaluation as CSV text.</summary>
    /// <param name="result">The evaluation to write.</param>
    public static string ToCsv(this EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(result, writer);
        return writer.ToString();
    }

    /// <summary>Writes the evaluation as CSV to <paramref name="writer"/>, which is left open and not flushed.</summary>
    /// <param name="result">The evaluation to write.</param>
    /// <param name="writer">Where to write, e.g. a <see cref="StreamWriter"/> with UTF-8 without a byte order mark.</param>
    public static void WriteCsv(this EvaluationResult result, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(writer);
        Write(result, writer);
    }

    /// <summary>
    /// The table of the CSV form as columns, for other tabular formats (e.g. a spreadsheet): each
    /// holds one unrounded value per period followed by the total, in the order of the CSV's columns
    /// after <c>period</c> and <c>year</c>.
    /// </summary>
    /// <param name="result">The evaluation to flatten.</param>
    public static IReadOnlyList<CashFlowTableColumn> ToColumns(this EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = result.Periods.Append(result.Totals).ToArray();
        return [.. CashFlowColumns.Of(result).Select(column =>
            new CashFlowTableColumn(column.Name, column.Product, column.Line, column.Unit, Array.ConvertAll(lines, line => column.Value(line))))];
    }

    /// <summary>The decimals a CSV cell of <paramref name="unit"/> keeps: 2 for money, 3 for quantities.</summary>
    internal static int Decimals(CashFlowUnit unit) => unit == CashFlowUnit.Currency ? 2 : 3;

    private static void Write(EvaluationResult result, TextWriter writer)
    {
        var columns = CashFlowColumns.Of(result);
        writer.Write("period,year");
        foreach (var column in columns)
        {
            writer.Write(',');
            writer.Write(Csv.Text(column.Name));
        }

        writer.Write(Csv.LineEnd);
        foreach (var line in result.Periods)
        {
            WriteRow(writer, Number(line.Period), Number(line.Year), line, columns);
        }

        WriteRow(writer, "total", "", result.Totals, columns);
    }

    private static void WriteRow(TextWriter writer, string period, string year, CashFlowLine line, IReadOnlyList<CashFlowColumn> columns)
    {
        writer.Write(period);
        writer.Write(',');
        writer.Write(year);
        foreach (var column in columns)
        {
            writer.Write(',');
            writer.Write(Csv.Rounded(column.Value(line), Decimals(column.Unit)));
        }

        writer.Write(Csv.LineEnd);
    }

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
