using System.Globalization;
using System.Text;
using CalMiner.Simulation;

namespace CalMiner.Cli.Output;

/// <summary>
/// Writes every iteration of a simulation as CSV (RFC 4180, CRLF line ends): a header
/// <c>iteration,&lt;input&gt;…,&lt;output&gt;…</c>, then one row per iteration numbered from 1, with
/// the sampled uncertain inputs in the scenario's order and the outputs in report order. Numbers
/// in the invariant culture, round-trippable; an absent value (no IRR, no payback) is an empty cell.
/// </summary>
internal static class SamplesCsv
{
    private const string LineEnd = "\r\n";

    public static async Task WriteAsync(string path, SimulationSamples samples, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
        await WriteAsync(writer, samples, cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteAsync(TextWriter writer, SimulationSamples samples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var names = samples.Inputs.Keys.Concat(samples.Outputs.Keys).ToArray();
        var columns = samples.Inputs.Values.Concat(samples.Outputs.Values).ToArray();
        var rows = columns.Length == 0 ? 0 : columns.Min(c => c.Length);

        var text = new StringBuilder(1 << 16);
        text.Append("iteration");
        foreach (var name in names)
        {
            text.Append(',').Append(CsvRenderer.Field(name));
        }

        text.Append(LineEnd);
        var number = new char[32];
        for (var i = 0; i < rows; i++)
        {
            (i + 1).TryFormat(number, out var digits, provider: CultureInfo.InvariantCulture);
            text.Append(number, 0, digits);
            foreach (var column in columns)
            {
                text.Append(',');
                var value = column[i];
                if (double.IsFinite(value) && value.TryFormat(number, out var written, "R", CultureInfo.InvariantCulture))
                {
                    text.Append(number, 0, written);
                }
            }

            text.Append(LineEnd);
            if (text.Length > 1 << 15)
            {
                await writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
                text.Clear();
            }
        }

        await writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
