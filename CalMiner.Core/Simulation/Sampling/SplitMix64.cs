namespace CalMiner.Simulation.Sampling;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 (Vigna's reference version): a 64-bit counter passed through a
/// bijective mixing function. CalMiner uses it only to seed xoshiro256** and to mix stream keys.
/// </summary>
internal struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        _state = unchecked(_state + Gamma);
        return Finalize(_state);
    }

    /// <summary>The first output of a SplitMix64 seeded with <paramref name="value"/>: a bijective hash of 64 bits.</summary>
    public static ulong Mix(ulong value) => Finalize(unchecked(value + Gamma));

    private static ulong Finalize(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
