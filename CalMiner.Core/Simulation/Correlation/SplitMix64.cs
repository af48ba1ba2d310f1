namespace CalMiner.Simulation.Correlation;

/// <summary>
/// Steele, Lea and Flood's SplitMix64: a tiny, fast, seeded generator, used only to shuffle
/// van der Waerden scores when the caller asks for it. Same seed, same sequence, on every machine.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in 0..bound−1 (Lemire's multiply-and-reject, unbiased).</summary>
    public int NextBelow(int bound)
    {
        var range = (ulong)bound;
        var high = Math.BigMul(Next(), range, out var low);
        if (low < range)
        {
            var threshold = (0 - range) % range;
            while (low < threshold)
            {
                high = Math.BigMul(Next(), range, out low);
            }
        }

        return (int)high;
    }

    /// <summary>Fisher–Yates shuffle.</summary>
    public void Shuffle(Span<double> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextBelow(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
