using System.Runtime.CompilerServices;
using CalMiner.Simulation.Sampling;

namespace CalMiner.Simulation.Correlation;

/// <summary>
/// Van der Waerden scores Φ⁻¹((r + 1)/(n + 1)) for ranks r = 0..n−1, by the sampler's inverse normal CDF
/// (<see cref="NormalFunctions"/>: Wichura's AS 241 with a portable logarithm), so that the scores, like the
/// samples, are the same bits on any machine, and a million of them take a few milliseconds.
/// </summary>
internal static class NormalScores
{
    /// <summary>Ranks whose scores are computed together.</summary>
    private const int Batch = 256;

    /// <summary>Writes the n scores, ascending and exactly antisymmetric (score[r] = −score[n−1−r]), so they sum to 0.</summary>
    public static void Fill(Span<double> scores) => Fill(scores, 0, (scores.Length + 1) / 2);

    /// <summary>Writes the scores of ranks <paramref name="first"/>..<paramref name="end"/>−1 (at most (n + 1)/2) and of their mirror ranks, so that parts can be filled in parallel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(Span<double> scores, int first, int end)
    {
        var n = scores.Length;
        Span<double> p = stackalloc double[Batch];
        Span<int> scratch = stackalloc int[Batch];
        for (var start = first; start < end; start += Batch)
        {
            var count = Math.Min(Batch, end - start);
            for (var i = 0; i < count; i++)
            {
                p[i] = (start + i + 1.0) / (n + 1.0);
            }

            var z = scores.Slice(start, count);
            NormalFunctions.Quantiles(p[..count], z, scratch);
            for (var i = 0; i < count; i++)
            {
                scores[n - 1 - (start + i)] = -z[i];
            }
        }

        if (n % 2 == 1 && end == (n + 1) / 2)
        {
            scores[n / 2] = 0;
        }
    }
}
