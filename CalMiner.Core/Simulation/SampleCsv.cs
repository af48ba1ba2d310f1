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
        var csv = new SampleCsvWriter(writer, [.. columns.Select(c => c.Key)]);
        await csv.WriteRowsUncheckedAsync([.. columns.Select(c => c.Value)], columns.Count == 0 ? 0 : columns[0].Value.Length, cancellationToken).ConfigureAwait(false);
        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Writes the CSV of <see cref="SampleCsv"/> a window of iterations at a time, so that samples read piece by piece (e.g.
/// from a database) are written in memory that does not grow with the run: the header, then the rows of each window in
/// turn, numbered on from the previous window. The file is the one <see cref="SampleCsv.WriteAsync"/> writes.
/// </summary>
public sealed class SampleCsvWriter
{
    // Text is handed to the writer in pieces of about this many characters.
    private const int FlushChars = 1 << 15;

    private readonly TextWriter _writer;
    private readonly int _columns;
    private readonly StringBuilder _text = new(FlushChars * 2);
    private readonly char[] _number = new char[32];
    private long _rows;

    /// <summary>Starts the CSV: its header <c>iteration,&lt;column&gt;…</c>.</summary>
    /// <param name="writer">Where to write, e.g. a <see cref="StreamWriter"/> with UTF-8 without a byte order mark; left open.</param>
    /// <param name="columnNames">The columns' names, in order; none empty.</param>
    /// <exception cref="ArgumentException">A name is null or empty.</exception>
    public SampleCsvWriter(TextWriter writer, IReadOnlyList<string> columnNames)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(columnNames);
        _writer = writer;
        _columns = columnNames.Count;
        _text.Append("iteration");
        for (var c = 0; c < columnNames.Count; c++)
        {
            if (string.IsNullOrEmpty(columnNames[c]))
            {
                ThrowHelper.ThrowArgument(nameof(columnNames), $"columnNames[{c}] must not be empty.");
            }

            _text.Append(',').Append(Csv.Text(columnNames[c]));
        }

        _text.Append(Csv.LineEnd);
    }

    /// <summary>Writes the next <paramref name="count"/> iterations.</summary>
    /// <param name="columns">One array per column, in the order of the names, each holding at least <paramref name="count"/> values.</param>
    /// <param name="count">The iterations of this window, ≥ 0.</param>
    /// <param name="cancellationToken">Stops the writing between pieces.</param>
    /// <exception cref="ArgumentException">The columns are not one per name, or one is shorter than <paramref name="count"/>.</exception>
    public Task WriteRowsAsync(IReadOnlyList<double[]> columns, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (columns.Count != _columns)
        {
            ThrowHelper.ThrowArgument(nameof(columns), $"columns must have one array per column name ({_columns}), not {columns.Count}.");
        }

        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c] is null || columns[c].Length < count)
            {
                ThrowHelper.ThrowArgument(nameof(columns), $"columns[{c}] must hold at least {count} values.");
            }
        }

        return WriteRowsUncheckedAsync(columns, count, cancellationToken);
    }

    /// <summary>Writes what is pending and flushes the writer, which is left open.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WriteAsync(_text, cancellationToken).ConfigureAwait(false);
        _text.Clear();
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async Task WriteRowsUncheckedAsync(IReadOnlyList<double[]> columns, int count, CancellationToken cancellationToken)
    {
        var (text, number) = (_text, _number);
        for (var i = 0; i < count; i++)
        {
            (++_rows).TryFormat(number, out var digits, provider: CultureInfo.InvariantCulture);
            text.Append(number, 0, digits);
            for (var c = 0; c < columns.Count; c++)
            {
                text.Append(',');
                var value = columns[c][i];
                if (double.IsFinite(value) && value.TryFormat(number, out var written, "R", CultureInfo.InvariantCulture))
                {
                    text.Append(number, 0, written);
                }
            }

            text.Append(Csv.LineEnd);
            if (text.Length > FlushChars)
            {
                await _writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
                text.Clear();
            }
        }
    }
}
