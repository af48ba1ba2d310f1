using System.Buffers;
using System.Runtime.InteropServices;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Simulation.Correlation;

/// <summary>
/// Reusable memory of <see cref="ImanConover"/>: the score table of the last run length, the gathered scores and the
/// radix sorts' scratch. Arrays come from the shared pool and go back on <see cref="Dispose"/>, so a run after
/// a run of the same size touches memory that is already mapped. Not thread-safe: one run at a time.
/// </summary>
internal sealed class ImanConoverWorkspace : IDisposable
{
    /// <summary>Most gathered scores kept (128 MiB of doubles); larger runs keep one column and gather the others twice rather than hold more memory.</summary>
    private const int MaxGathered = 1 << 24;

    private double[]? _scores;
    private int _scoresLength = -1;
    private ulong[]? _gathered;
    private ulong[]?[] _pairs = [];
    private int[]?[] _counts = [];

    /// <summary>Van der Waerden scores Φ⁻¹((r + 1)/(n + 1)), r = 0..n−1, computed once per n, in parallel.</summary>
    internal ReadOnlyMemory<double> Scores(int n, int parallelism)
    {
        if (_scoresLength != n)
        {
            var scores = _scores = Reuse(_scores, n);
            var half = (n + 1) / 2;
            FixedChunks.For(FixedChunks.Count(half), parallelism, c =>
            {
                var part = FixedChunks.Of(c, half);
                NormalScores.Fill(scores.AsSpan(0, n), part.Start.Value, part.End.Value);
            });
            _scoresLength = n;
        }

        return _scores.AsMemory(0, n);
    }

    /// <summary>
    /// Room for the scores of every row, block by block, so that the product pass reads what the correlation pass gathered:
    /// of all k columns when they take at most <see cref="MaxGathered"/> values, else of one. The first radix sort's pairs
    /// take the same memory afterwards, so one column costs no memory of its own.
    /// </summary>
    internal GatheredScores Gathered(int k, int n)
    {
        var rows = ((long)n + ImanConover.BlockRows - 1) / ImanConover.BlockRows * ImanConover.BlockRows;
        var columns = k * rows <= MaxGathered ? k : 1;
        return new GatheredScores(_gathered = Reuse(_gathered, (int)(columns * rows)), columns);
    }

    /// <summary>
    /// Scratch of <paramref name="sorts"/> radix sorts of n keys at a time, with <paramref name="counts"/> counts each; the
    /// first sort's pairs are the memory of the gathered scores, which are done with once the keys are made.
    /// </summary>
    internal RadixScratch[] RadixScratch(int sorts, int n, int counts)
    {
        if (_counts.Length < sorts)
        {
            Array.Resize(ref _pairs, sorts);
            Array.Resize(ref _counts, sorts);
        }

        _gathered = Reuse(_gathered, n);
        var scratch = new RadixScratch[sorts];
        for (var w = 0; w < sorts; w++)
        {
            var pairs = w == 0 ? _gathered : (_pairs[w] = Reuse(_pairs[w], n));
            scratch[w] = new RadixScratch(pairs, _counts[w] = Reuse(_counts[w], counts));
        }

        return scratch;
    }

    public void Dispose()
    {
        Return(ref _scores);
        _scoresLength = -1;
        Return(ref _gathered);
        for (var w = 0; w < _counts.Length; w++)
        {
            Return(ref _pairs[w]);
            Return(ref _counts[w]);
        }
    }

    private static T[] Reuse<T>(T[]? array, int length)
    {
        if (array is not null && array.Length >= length)
        {
            return array;
        }

        Return(ref array);
        return ArrayPool<T>.Shared.Rent(length);
    }

    private static void Return<T>(ref T[]? array)
    {
        if (array is not null)
        {
            ArrayPool<T>.Shared.Return(array);
            array = null;
        }
    }
}

/// <summary>One radix sort's memory: (key, row) pairs and the bucket counts.</summary>
internal readonly record struct RadixScratch(ulong[] Pairs, int[] Counts);

/// <summary>
/// Scores gathered by the correlation pass for the product pass: of each row block, the first <see cref="Columns"/>
/// columns, <see cref="ImanConover.BlockRows"/> values each, block after block (doubles by their bits).
/// </summary>
internal readonly record struct GatheredScores(ulong[] Bits, int Columns)
{
    /// <summary>The kept scores of row block b.</summary>
    public Span<double> Block(int b) => MemoryMarshal.Cast<ulong, double>(Bits.AsSpan(b * Columns * ImanConover.BlockRows, Columns * ImanConover.BlockRows));
}
