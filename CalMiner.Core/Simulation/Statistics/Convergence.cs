using System.Buffers;
using MathNet.Numerics.Distributions;

namespace CalMiner.Simulation.Statistics;

/// <summary>The running mean of an output after the first <see cref="Iterations"/> iterations, and its confidence interval.</summary>
/// <param name="Iterations">Iterations run so far (the checkpoint).</param>
/// <param name="Present">How many of them have the output present.</param>
/// <param name="Mean">Mean of the present values so far; NaN when none.</param>
/// <param name="Lower">Mean − z·sd/√n; NaN below 2 present values.</param>
/// <param name="Upper">Mean + z·sd/√n; NaN below 2 present values.</param>
internal readonly record struct ConvergencePoint(int Iterations, int Present, double Mean, double Lower, double Upper)
{
    /// <summary>Half the width of the interval, z·sd/√n.</summary>
    public double HalfWidth => (Upper - Lower) / 2;
}

/// <summary>Convergence of the mean of an output as a run proceeds, at fixed checkpoints.</summary>
internal static class Convergence
{
    /// <summary>
    /// The checkpoints of a run: every power of two below the run's length and every
    /// 1/<paramref name="fractions"/> of it (⌊i·n/fractions⌋), ascending, distinct, ending at n.
    /// They depend only on the run's length, so a stop rule checked at them stops at the same
    /// iteration on every machine.
    /// </summary>
    public static int[] Checkpoints(int iterations, int fractions = 20)
    {
        var points = new SortedSet<int>();
        for (var power = 1L; power < iterations; power *= 2)
        {
            points.Add((int)power);
        }

        for (var i = 1; i <= fractions; i++)
        {
            var point = (int)((long)iterations * i / fractions);
            if (point > 0)
            {
                points.Add(point);
            }
        }

        return [.. points];
    }

    /// <summary>The z value of a two-sided interval, e.g. 1.959964 for 0.95.</summary>
    public static double Z(double confidence) => Normal.InvCDF(0, 1, (1 + confidence) / 2);

    /// <summary>
    /// Running mean and interval mean ± z·sd/√n (sample sd) at each checkpoint. Each stretch between
    /// checkpoints is reduced on its own (in parallel) and the stretches are combined in order with
    /// Chan's update, so the figures do not depend on the thread count.
    /// </summary>
    /// <param name="values">The output in iteration order; NaN where absent.</param>
    /// <param name="checkpoints">Ascending iteration counts, each in 1..values.Length.</param>
    /// <param name="destination">One point per checkpoint.</param>
    /// <param name="confidence">Confidence of the interval, in (0, 1); 0.95 gives ±1.96 sd/√n.</param>
    /// <param name="maxDegreeOfParallelism">Most threads; −1 for all cores.</param>
    public static void RunningMean(ReadOnlyMemory<double> values, ReadOnlySpan<int> checkpoints, Span<ConvergencePoint> destination, double confidence = 0.95, int maxDegreeOfParallelism = -1)
    {
        var segments = checkpoints.Length;
        var bounds = ArrayPool<int>.Shared.Rent(segments);
        var counts = ArrayPool<long>.Shared.Rent(segments);
        var means = ArrayPool<double>.Shared.Rent(segments);
        var squares = ArrayPool<double>.Shared.Rent(segments);
        try
        {
            checkpoints.CopyTo(bounds);
            FixedChunks.For(segments, maxDegreeOfParallelism, s =>
            {
                var start = s == 0 ? 0 : bounds[s - 1];
                var segment = values.Span[start..bounds[s]];
                var moments = Reductions.Moments(segment);
                counts[s] = moments.Present;
                means[s] = moments.Present == 0 ? 0 : moments.Sum / moments.Present;
                squares[s] = moments.Present == 0 ? 0 : Reductions.SumOfSquaredDeviations(segment, means[s]);
            });

            var z = Z(confidence);
            long n = 0;
            double mean = 0, m2 = 0;
            for (var s = 0; s < segments; s++)
            {
                if (counts[s] > 0)
                {
                    var total = n + counts[s];
                    var delta = means[s] - mean;
                    mean += delta * counts[s] / total;
                    m2 += squares[s] + (delta * delta * n * counts[s] / total);
                    n = total;
                }

                var half = n > 1 ? z * Math.Sqrt(m2 / (n - 1) / n) : double.NaN;
                var shown = n > 0 ? mean : double.NaN;
                destination[s] = new ConvergencePoint(bounds[s], (int)n, shown, shown - half, shown + half);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(bounds);
            ArrayPool<long>.Shared.Return(counts);
            ArrayPool<double>.Shared.Return(means);
            ArrayPool<double>.Shared.Return(squares);
        }
    }
}
