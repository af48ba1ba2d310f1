using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 (Vigna's reference version): a 64-bit counter passed through a
/// bijective mixing function. CalMiner uses it to seed xoshiro256**, to mix stream keys and to shuffle van der Waerden scores.
/// </summary>
internal struct SplitMix64
{
    /// <summary>The increment of the counter: output r of a stream keyed k is <c>Finalize(k + (r + 1)·Gamma)</c>.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        _state = unchecked(_state + Gamma);
        return Finalize(_state);
    }

    /// <summary>The first output of a SplitMix64 seeded with <paramref name="value"/>: a bijective hash of 64 bits.</summary>
    public static ulong Mix(ulong value) => Finalize(unchecked(value + Gamma));

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
    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextBelow(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>The mixing function, four lanes at a time; the same bits as the scalar form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Finalize(Vector256<ulong> z)
    {
        z = (z ^ (z >>> 30)) * Vector256.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >>> 27)) * Vector256.Create(0x94D049BB133111EBUL);
        return z ^ (z >>> 31);
    }

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
