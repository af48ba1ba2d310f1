using System.Numerics;
using System.Runtime.CompilerServices;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// Blackman and Vigna's xoshiro256** generator (one stream). A mutable struct: pass it by reference.
/// </summary>
internal struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Starts the generator at an explicit state, which must not be all zero.</summary>
    public Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0)
        {
            ThrowHelper.ThrowArgument(nameof(s0), "The state of xoshiro256** must not be all zero.");
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>Seeds the generator the way its authors recommend: with four outputs of a SplitMix64 seeded with <paramref name="seed"/>.</summary>
    public static Xoshiro256StarStar FromSeed(ulong seed)
    {
        var mixer = new SplitMix64(seed);
        return FromSplitMix(ref mixer);
    }

    /// <summary>Takes the next four outputs of <paramref name="mixer"/> as the state.</summary>
    public static Xoshiro256StarStar FromSplitMix(ref SplitMix64 mixer)
    {
        Xoshiro256StarStar g;
        g._s0 = mixer.Next();
        g._s1 = mixer.Next();
        g._s2 = mixer.Next();
        g._s3 = mixer.Next();

        // Four consecutive outputs of SplitMix64 are distinct (its output function is a bijection of
        // distinct counters), so at most one of them is zero and the state is never all zero.
        return g;
    }

    /// <summary>Copies the four words of the state, s0 to s3.</summary>
    public readonly void CopyStateTo(Span<ulong> destination)
    {
        destination[0] = _s0;
        destination[1] = _s1;
        destination[2] = _s2;
        destination[3] = _s3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        unchecked
        {
            var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = BitOperations.RotateLeft(_s3, 45);
            return result;
        }
    }

    /// <summary>The next uniform variate, strictly inside (0, 1); see <see cref="ToUniform"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextUniform() => ToUniform(NextUInt64());

    /// <summary>Fills <paramref name="destination"/> with the next uniform variates, in order.</summary>
    // Never inlined: inlined into a caller that is not fully optimised, the loop loses its registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public void NextUniforms(Span<double> destination)
    {
        // A copy in locals keeps the state in registers for the loop.
        var rng = this;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = ToUniform(rng.NextUInt64());
        }

        this = rng;
    }

    /// <summary>An unbiased integer in [0, <paramref name="bound"/>) (Lemire's multiply-and-reject method).</summary>
    public ulong NextBelow(ulong bound)
    {
        var high = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = unchecked(0 - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), bound, out low);
            }
        }

        return high;
    }

    /// <summary>
    /// Maps 64 random bits to a double strictly inside (0, 1): the midpoint of one of 2^52 equal cells,
    /// ((x &gt;&gt; 12) + 0.5) · 2^-52, so from 2^-53 to 1 - 2^-53, every value exact and 1 - u also on the grid.
    /// </summary>
    /// <remarks>
    /// The 53-bit form ((x &gt;&gt; 11) + 0.5) · 2^-53 is not representable in the upper half of the interval:
    /// round-to-even takes its largest value to exactly 1.0, which an inverse CDF turns into +∞. One bit
    /// fewer keeps every value exact and the interval open. Computed as (1 + m · 2^-52) - (1 - 2^-53),
    /// a subtraction that is exact (Sterbenz), so the vector version gives identical bits.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToUniform(ulong bits) =>
        BitConverter.UInt64BitsToDouble((bits >> 12) | OneBits) - OneMinusHalfUlp;

    internal const ulong OneBits = 0x3FF0000000000000UL;

    // 1 - 2^-53, the largest double below 1.
    internal const double OneMinusHalfUlp = 1.0 - (1.0 / 9007199254740992.0);
}
