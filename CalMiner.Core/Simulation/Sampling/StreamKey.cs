using System.Text;

namespace CalMiner.Simulation.Sampling;

/// <summary>What a random stream is used for; part of its key, so that two uses never share numbers.</summary>
internal enum StreamPurpose : ulong
{
    /// <summary>The uniforms of one block of Monte Carlo iterations.</summary>
    Draws = 1,

    /// <summary>The keyed bijection that assigns Latin Hypercube strata to iterations.</summary>
    StratumPermutation = 2,

    /// <summary>The positions of Latin Hypercube uniforms within their strata.</summary>
    StratumOffsets = 3,
}

/// <summary>
/// Derives the key of a random stream from (seed, parameter name, block index, purpose) with a hash that is
/// the same on every machine, process and runtime — never <see cref="string.GetHashCode()"/>, which is
/// randomised per process. A parameter's streams depend on its own name only, so adding, removing or
/// reordering other parameters leaves its samples unchanged.
/// </summary>
internal static class StreamKey
{
    private const ulong FnvOffsetBasis = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x00000100000001B3UL;

    /// <summary>FNV-1a (64-bit) of the UTF-8 bytes of <paramref name="name"/>.</summary>
    public static ulong HashName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var byteCount = Encoding.UTF8.GetByteCount(name);
        var bytes = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(name, bytes);
        var hash = FnvOffsetBasis;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * FnvPrime);
        }

        return hash;
    }

    /// <summary>The key of a stream; feed it to <see cref="Xoshiro256StarStarX4.FromKey"/> or a <see cref="SplitMix64"/>.</summary>
    public static ulong Derive(long seed, ulong nameHash, long block, StreamPurpose purpose)
    {
        // Each component goes through the bijective SplitMix64 finaliser before the next is mixed in,
        // so that nearby seeds, names and block indices give unrelated keys.
        var key = SplitMix64.Mix(unchecked((ulong)seed));
        key = SplitMix64.Mix(key ^ nameHash);
        key = SplitMix64.Mix(key ^ (ulong)purpose);
        return SplitMix64.Mix(key ^ unchecked((ulong)block));
    }

    public static ulong Derive(long seed, string name, long block, StreamPurpose purpose) =>
        Derive(seed, HashName(name), block, purpose);
}
