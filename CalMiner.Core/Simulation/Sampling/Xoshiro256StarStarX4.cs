using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// Four independent xoshiro256** streams advanced together, one per lane of a <see cref="Vector256{T}"/>.
/// Lane <c>l</c> produces exactly the numbers of a scalar <see cref="Xoshiro256StarStar"/> started at lane
/// <c>l</c>'s state; without hardware support for 256-bit vectors the lanes are advanced one by one.
/// </summary>
internal struct Xoshiro256StarStarX4
{
    private Vector256<ulong> _s0, _s1, _s2, _s3;

    /// <summary>Starts the four lanes at the states of four scalar generators.</summary>
    public Xoshiro256StarStarX4(Xoshiro256StarStar lane0, Xoshiro256StarStar lane1, Xoshiro256StarStar lane2, Xoshiro256StarStar lane3)
    {
        Span<ulong> words = stackalloc ulong[16];
        lane0.CopyStateTo(words[0..4]);
        lane1.CopyStateTo(words[4..8]);
        lane2.CopyStateTo(words[8..12]);
        lane3.CopyStateTo(words[12..16]);
        _s0 = Vector256.Create(words[0], words[4], words[8], words[12]);
        _s1 = Vector256.Create(words[1], words[5], words[9], words[13]);
        _s2 = Vector256.Create(words[2], words[6], words[10], words[14]);
        _s3 = Vector256.Create(words[3], words[7], words[11], words[15]);
    }

    /// <summary>
    /// The four lanes of the stream with key <paramref name="key"/>: lane <c>l</c> takes outputs
    /// 4l..4l+3 of a SplitMix64 seeded with the key as its state.
    /// </summary>
    public static Xoshiro256StarStarX4 FromKey(ulong key)
    {
        var mixer = new SplitMix64(key);
        var lane0 = Xoshiro256StarStar.FromSplitMix(ref mixer);
        var lane1 = Xoshiro256StarStar.FromSplitMix(ref mixer);
        var lane2 = Xoshiro256StarStar.FromSplitMix(ref mixer);
        var lane3 = Xoshiro256StarStar.FromSplitMix(ref mixer);
        return new Xoshiro256StarStarX4(lane0, lane1, lane2, lane3);
    }

    /// <summary>The next output of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<ulong> NextUInt64() => Step(ref _s0, ref _s1, ref _s2, ref _s3);

    // One step of xoshiro256** on four lanes. x * 5 and x * 9 are shifts and adds: AVX2 has no 64-bit
    // multiply, and modulo 2^64 they are equal.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Step(ref Vector256<ulong> s0, ref Vector256<ulong> s1, ref Vector256<ulong> s2, ref Vector256<ulong> s3)
    {
        var times5 = (s1 << 2) + s1;
        var rotated = (times5 << 7) | (times5 >>> 57);
        var result = (rotated << 3) + rotated;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >>> 19);
        return result;
    }

    /// <summary>The next uniform variate of each lane, strictly inside (0, 1); the same mapping as <see cref="Xoshiro256StarStar.ToUniform"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> NextUniform() => ToUniform(NextUInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ToUniform(Vector256<ulong> bits) =>
        ((bits >>> 12) | Vector256.Create(Xoshiro256StarStar.OneBits)).AsDouble() - Vector256.Create(Xoshiro256StarStar.OneMinusHalfUlp);

    /// <summary>
    /// Fills <paramref name="destination"/> with the interleaved stream: element <c>i</c> is lane
    /// <c>i % 4</c>'s next variate. Every call starts at lane 0 and advances all four lanes together, so
    /// a length that is not a multiple of 4 drops the unused lanes of the last step.
    /// </summary>
    // Never inlined: inlined into a caller that is not fully optimised, the loop loses its registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public void NextUniforms(Span<double> destination)
    {
        // The state lives in locals for the loop, so that it stays in registers.
        var (s0, s1, s2, s3) = (_s0, _s1, _s2, _s3);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var length = (nuint)destination.Length;
        nuint i = 0;
        for (; i + 4 <= length; i += 4)
        {
            ToUniform(Step(ref s0, ref s1, ref s2, ref s3)).StoreUnsafe(ref d, i);
        }

        if (i < length)
        {
            var last = ToUniform(Step(ref s0, ref s1, ref s2, ref s3));
            for (var lane = 0; i < length; i++, lane++)
            {
                Unsafe.Add(ref d, i) = last.GetElement(lane);
            }
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>
    /// Writes variates <paramref name="offset"/> .. offset + destination.Length - 1 of the interleaved
    /// stream with key <paramref name="key"/> (element <c>n</c> of the stream is lane <c>n % 4</c>'s
    /// variate number <c>n / 4</c>). The result depends only on the key and the positions, never on how
    /// a range is split between calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(ulong key, int offset, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var rng = FromKey(key);
        for (var skip = offset >> 2; skip > 0; skip--)
        {
            rng.NextUInt64();
        }

        var lane = offset & 3;
        var written = 0;
        if (lane != 0 && destination.Length > 0)
        {
            var first = rng.NextUniform();
            for (; lane < 4 && written < destination.Length; lane++, written++)
            {
                destination[written] = first.GetElement(lane);
            }
        }

        rng.NextUniforms(destination[written..]);
    }
}
