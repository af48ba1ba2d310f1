namespace CalMiner.Simulation.Statistics;

/// <summary>
/// Splits a run of iterations into fixed-size chunks that may be processed on several threads.
/// Chunk boundaries depend only on the length, never on the thread count, and partial results are
/// merged in chunk order, so a reduction gives bit-identical results on any machine.
/// </summary>
internal static class FixedChunks
{
    /// <summary>Iterations per chunk: 64 Ki doubles (512 KiB) stay in a core's L2 cache.</summary>
    public const int Size = 1 << 16;

    /// <summary>Number of chunks that cover <paramref name="length"/> iterations (0 for none).</summary>
    public static int Count(int length) => (int)(((long)length + Size - 1) / Size);

    /// <summary>The range of iterations in chunk <paramref name="chunk"/>.</summary>
    public static Range Of(int chunk, int length)
    {
        var start = chunk * Size;
        return new Range(start, Math.Min(start + Size, length));
    }

    /// <summary>
    /// Runs <paramref name="body"/> once per chunk index, in parallel when there is more than one
    /// chunk and <paramref name="maxDegreeOfParallelism"/> allows it.
    /// </summary>
    /// <param name="count">Number of work items (chunks, columns …).</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 for all cores, 1 for the calling thread only.</param>
    /// <param name="body">Work for one item; it must write only to that item's own outputs.</param>
    public static void For(int count, int maxDegreeOfParallelism, Action<int> body)
    {
        if (count <= 1 || maxDegreeOfParallelism == 1 || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, body);
    }
}
