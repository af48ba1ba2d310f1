using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CalMiner.Data.Database;

namespace CalMiner.Data.Simulations;

/// <summary>Cuts sample columns into rows of at most <see cref="Size"/> little-endian doubles, and joins them again.</summary>
internal static class SampleChunks
{
    public const int Size = 65_536;
    public const string Output = "output";
    public const string Input = "input";

    /// <summary>The rows of every column, made one at a time so a large run is never held twice in memory.</summary>
    public static IEnumerable<SimulationSampleRow> Rows(long runId, SimulationSamples samples)
    {
        foreach (var (kind, columns) in new[] { (Output, samples.Outputs), (Input, samples.Inputs) })
        {
            foreach (var (name, values) in columns)
            {
                for (int chunk = 0, start = 0; start < values.Length; chunk++, start += Size)
                {
                    var count = Math.Min(Size, values.Length - start);
                    yield return new SimulationSampleRow
                    {
                        RunId = runId,
                        Kind = kind,
                        Name = name,
                        Chunk = chunk,
                        ValueCount = count,
                        Data = ToBytes(values.AsSpan(start, count)),
                    };
                }
            }
        }
    }

    /// <summary>Copies the rows of one column, in chunk order, into <paramref name="destination"/>.</summary>
    public static void Read(SimulationSampleRow row, double[] destination) =>
        Read(row.Data.AsSpan(0, row.ValueCount * sizeof(double)), destination.AsSpan(row.Chunk * Size, row.ValueCount));

    /// <summary>
    /// How many iterations a streamed read takes at a time for <paramref name="columns"/> columns: at most 4 MiB of values in
    /// all, a power of two from 512 to <see cref="Size"/>, so a window never straddles two chunks.
    /// </summary>
    public static int Window(int columns) =>
        Math.Clamp(1 << System.Numerics.BitOperations.Log2((uint)Math.Max(1, (4 << 20) / (sizeof(double) * Math.Max(1, columns)))), 512, Size);

    /// <summary>Decodes little-endian doubles.</summary>
    public static void Read(ReadOnlySpan<byte> source, Span<double> target)
    {
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(target));
            return;
        }

        for (var i = 0; i < target.Length; i++)
        {
            target[i] = BinaryPrimitives.ReadDoubleLittleEndian(source[(i * sizeof(double))..]);
        }
    }

    private static byte[] ToBytes(ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
            return bytes;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        }

        return bytes;
    }
}
