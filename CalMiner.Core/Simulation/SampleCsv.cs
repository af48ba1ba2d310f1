using System.Globalization;
using System.Text;

namespace CalMiner.Simulation;

/// <summary>
/// The CSV form of a simulation's per-iteration values, shared by every host so that the CLI and
/// the API give the same file: RFC 4180 (comma-separated, CRLF line ends, fields quoted where they
/// must be), a header <c>iteration,&lt;column&gt;…</c>, then one row per iteration numbered from 1.
/// Numbers in the invariant culture, round-trippable (<c>"R"</c>, unrounded: the samples are data for
/// statistics); a value that does not exist (NaN: no IRR, no payback) or is infinite is an empty cell.
/// A column name that a spreadsheet would run as a formula is neutralised (see <see cref="Csv.Text"/>).
/// </summary>
public static class SampleCsv
{
    // Text is handed to the writer in pieces of about this many characters.
    private const int FlushChars = 1 << 15;

    /// <summary>Writes columns of per-iteration values as CSV, then flushes <paramref name="writer"/>, which is left open.</summary>
    /// <param name="writer">Where to write, e.g. a <see cref="StreamWriter"/> with UTF-8 without a byte order mark.</param>
    /// <param name="columns">Name → one value per iteration, in the order of the columns; every column the same length.</param>
    /// <param name="cancellationToken">Stops the writing between pieces.</param>
    /// <exception cref="ArgumentException">A column is unnamed, null, or of another length than the first.</exception>
    public static Task WriteAsync(TextWriter writer, IReadOnlyList<KeyValuePair<string, double[]>> columns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(columns);
        for (var c = 0; c < columns.Count; c++)
        {
            var (name, values) = columns[c];
            if (string.IsNullOrEmpty(name) || values is null || values.Length != columns[0].Value?.Length)
            {
                ThrowHelper.ThrowArgument(nameof(columns), $"columns[{c}] must have a name and as many values as columns[0].");
            }
        }

        return WriteUncheckedAsync(writer, columns, cancellationToken);
    }

    /// <summary>
    /// Writes a simulation's samples as CSV: the sampled uncertain inputs in the scenario's order,
    /// then the outputs in report order (<c>npvAfterTax</c> … <c>aiscPerUnit</c>). Flushes
    /// <paramref name="writer"/>, which is left open.
    /// </summary>
    /// <param name="samples">The samples, from a run with <see cref="SimulationOptions.KeepSamples"/>.</param>
    /// <param name="writer">Where to write, e.g. a <see cref="StreamWriter"/> with UTF-8 without a byte order mark.</param>
    /// <param name="cancellationToken">Stops the writing between pieces.</param>
    public static Task WriteCsvAsync(this SimulationSamples samples, TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return WriteAsync(writer, [.. samples.Inputs, .. samples.Outputs], cancellationToken);
    }

    private static async Task WriteUncheckedAsync(TextWriter writer, IReadOnlyList<KeyValuePair<string, double[]>> columns, CancellationToken cancellationToken)
    {
        var rows = columns.Count == 0 ? 0 : columns[0].Value.Length;
        var text = new StringBuilder(FlushChars * 2);
        text.Append("iteration");
        foreach (var (name, _) in columns)
        {
            text.Append(',').Append(Csv.Text(name));
        }

        text.Append(Csv.LineEnd);
        var number = new char[32];
        for (var i = 0; i < rows; i++)
        {
            (i + 1).TryFormat(number, out var digits, provider: CultureInfo.InvariantCulture);
            text.Append(number, 0, digits);
            foreach (var (_, values) in columns)
            {
                text.Append(',');
                var value = values[i];
                if (double.IsFinite(value) && value.TryFormat(number, out var written, "R", CultureInfo.InvariantCulture))
                {
                    text.Append(number, 0, written);
                }
            }

            text.Append(Csv.LineEnd);
            if (text.Length > FlushChars)
            {
                await writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
                text.Clear();
            }
        }

        await writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
