using System.Buffers;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Simulation.Correlation;

/// <summary>
/// Reusable memory of <see cref="ImanConover"/>: the score table of the last run length, the gathered scores and the
/// radix sorts' scratch. Arrays come from the shared pool and go back on <see cref="Dispose"/>, so a run after
/// a run of the same size touches memory that is already mapped. Not thread-safe: one run at a time.
/// </summary>
internal sealed class ImanConoverWorkspace : IDisposable
{
    /// <summary>Most gathered scores kept (128 MiB of doubles); larger runs gather twice rather than hold more memory.</summary>
    private const int MaxGathered = 1 << 24;

    private double[]? _scores;
    private int _scoresLength = -1;
    private double[]? _gathered;
    private RadixScratch[] _scratch = [];

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
    /// Room for the k scores of every row, block by block, so that the product pass reads what the correlation pass
    /// gathered; null when that would take more than <see cref="MaxGathered"/> values, and the product pass gathers again.
    /// </summary>
    internal double[]? Gathered(int k, int n)
    {
        var length = (long)k * ((n + ImanConover.BlockRows - 1) / ImanConover.BlockRows) * ImanConover.BlockRows;
        return length <= MaxGathered ? _gathered = Reuse(_gathered, (int)length) : null;
    }

    /// <summary>Scratch of <paramref name="sorts"/> radix sorts of n keys at a time, with <paramref name="counts"/> counts each.</summary>
    internal RadixScratch[] RadixScratch(int sorts, int n, int counts)
    {
        if (_scratch.Length < sorts)
        {
            Array.Resize(ref _scratch, sorts);
        }

        for (var w = 0; w < sorts; w++)
        {
            _scratch[w] = new RadixScratch(Reuse(_scratch[w].Pairs, n), Reuse(_scratch[w].Counts, counts));
        }

        return _scratch[..sorts];
    }

    public void Dispose()
    {
        Return(ref _scores);
        _scoresLength = -1;
        Return(ref _gathered);
        foreach (var scratch in _scratch)
        {
            ArrayPool<ulong>.Shared.Return(scratch.Pairs);
            ArrayPool<int>.Shared.Return(scratch.Counts);
        }

        _scratch = [];
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
