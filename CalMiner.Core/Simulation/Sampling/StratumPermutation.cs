using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// A keyed permutation of 0..N−1 computed element by element: a four-round balanced Feistel network on the
/// smallest even number of bits that holds N−1, with cycle walking to stay below N. Any element can be
/// computed on its own, on any thread, so Latin Hypercube strata need neither a shuffle nor memory; each
/// stratum is hit exactly once because the network is a bijection.
/// </summary>
internal readonly struct StratumPermutation
{
    /// <summary>Elements encrypted at a time: two stack buffers of this many hold the ones still walking.</summary>
    private const int Block = 1024;

    private readonly int _n;
    private readonly int _halfBits;
    private readonly uint _mask;
    private readonly uint _k0, _k1, _k2, _k3;

    public StratumPermutation(ulong key, int n)
    {
        _n = n;
        var bits = n <= 1 ? 1 : 32 - BitOperations.LeadingZeroCount((uint)(n - 1));
        _halfBits = Math.Max(1, (bits + 1) / 2);
        _mask = (1u << _halfBits) - 1;
        var mixer = new SplitMix64(key);
        (_k0, _k1, _k2, _k3) = ((uint)mixer.Next(), (uint)mixer.Next(), (uint)mixer.Next(), (uint)mixer.Next());
    }

    /// <summary>The stratum of iteration <paramref name="iteration"/>.</summary>
    public int this[int iteration]
    {
        get
        {
            var x = (uint)iteration;
            do
            {
                x = Encrypt(x);
            }
            while (x >= (uint)_n);

            return (int)x;
        }
    }

    /// <summary>destination[i] = this[first + i].</summary>
    /// <remarks>
    /// Every element is encrypted once, then the ones outside 0..N−1 are gathered and encrypted again together until each
    /// is inside (cycle walking). Walking them where they lie would keep a whole vector waiting for its slowest lane, and
    /// above 2^23 strata, where two elements in five fall outside, make the permutation several times slower.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(int first, Span<int> destination)
    {
        Span<uint> pending = stackalloc uint[Block];
        Span<int> at = stackalloc int[Block];
        for (var start = 0; start < destination.Length; start += Block)
        {
            var block = MemoryMarshal.Cast<int, uint>(destination.Slice(start, Math.Min(Block, destination.Length - start)));
            Encrypt((uint)(first + start), block);
            for (var count = Outside(block, [], pending, at); count > 0; count = Outside(pending[..count], at[..count], pending, at))
            {
                var walking = pending[..count];
                Encrypt(walking);
                for (var j = 0; j < walking.Length; j++)
                {
                    block[at[j]] = walking[j];
                }
            }
        }
    }

    /// <summary>
    /// Copies the values outside 0..N−1, and the places they go (<paramref name="places"/>, or their index where it is
    /// empty), to the front of <paramref name="kept"/> and <paramref name="keptPlaces"/>; returns how many. The copy may be
    /// made in place: a kept value never lands after the one being read.
    /// </summary>
    private int Outside(ReadOnlySpan<uint> values, ReadOnlySpan<int> places, Span<uint> kept, Span<int> keptPlaces)
    {
        var count = 0;
        var j = 0;
        if (Avx512F.IsSupported)
        {
            ref var value = ref MemoryMarshal.GetReference(values);
            ref var place = ref MemoryMarshal.GetReference(places);
            ref var keptValue = ref MemoryMarshal.GetReference(kept);
            ref var keptPlace = ref MemoryMarshal.GetReference(keptPlaces);
            var n = Vector512.Create((uint)_n);
            for (; j <= values.Length - Vector512<uint>.Count; j += Vector512<uint>.Count)
            {
                var x = Vector512.LoadUnsafe(ref value, (nuint)j);
                var at = places.IsEmpty ? Vector512<int>.Indices + Vector512.Create(j) : Vector512.LoadUnsafe(ref place, (nuint)j);
                var outside = Vector512.GreaterThanOrEqual(x, n);
                Avx512F.Compress(Vector512<uint>.Zero, outside, x).StoreUnsafe(ref keptValue, (nuint)count);
                Avx512F.Compress(Vector512<int>.Zero, outside.AsInt32(), at).StoreUnsafe(ref keptPlace, (nuint)count);
                count += BitOperations.PopCount(outside.ExtractMostSignificantBits());
            }
        }

        for (; j < values.Length; j++)
        {
            var (x, at) = (values[j], places.IsEmpty ? j : places[j]);
            (kept[count], keptPlaces[count]) = (x, at);
            count += x >= (uint)_n ? 1 : 0;
        }

        return count;
    }

    /// <summary>Encrypts every value in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Encrypt(Span<uint> values)
    {
        ref var v = ref MemoryMarshal.GetReference(values);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector512<uint>.Count; i += Vector512<uint>.Count)
            {
                Encrypt(Vector512.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref v, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                Encrypt(Vector256.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref v, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            values[i] = Encrypt(values[i]);
        }
    }

    /// <summary>destination[i] = the encryption of first + i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Encrypt(uint first, Span<uint> destination)
    {
        ref var d = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= destination.Length - Vector512<uint>.Count; i += Vector512<uint>.Count)
            {
                Encrypt(Vector512<uint>.Indices + Vector512.Create(first + (uint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= destination.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                Encrypt(Vector256<uint>.Indices + Vector256.Create(first + (uint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < destination.Length; i++)
        {
            destination[i] = Encrypt(first + (uint)i);
        }
    }

    // The same rounds as the vector form below, on one value.
    private uint Encrypt(uint x)
    {
        uint left = x >> _halfBits, right = x & _mask;
        (left, right) = (right, left ^ (Mix(right ^ _k0) & _mask));
        (left, right) = (right, left ^ (Mix(right ^ _k1) & _mask));
        (left, right) = (right, left ^ (Mix(right ^ _k2) & _mask));
        (left, right) = (right, left ^ (Mix(right ^ _k3) & _mask));
        return (left << _halfBits) | right;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<uint> Encrypt(Vector256<uint> x)
    {
        var mask = Vector256.Create(_mask);
        Vector256<uint> left = x >>> _halfBits, right = x & mask;
        (left, right) = (right, left ^ (Mix(right ^ Vector256.Create(_k0)) & mask));
        (left, right) = (right, left ^ (Mix(right ^ Vector256.Create(_k1)) & mask));
        (left, right) = (right, left ^ (Mix(right ^ Vector256.Create(_k2)) & mask));
        (left, right) = (right, left ^ (Mix(right ^ Vector256.Create(_k3)) & mask));
        return (left << _halfBits) | right;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<uint> Encrypt(Vector512<uint> x)
    {
        var mask = Vector512.Create(_mask);
        Vector512<uint> left = x >>> _halfBits, right = x & mask;
        (left, right) = (right, left ^ (Mix(right ^ Vector512.Create(_k0)) & mask));
        (left, right) = (right, left ^ (Mix(right ^ Vector512.Create(_k1)) & mask));
        (left, right) = (right, left ^ (Mix(right ^ Vector512.Create(_k2)) & mask));
        (left, right) = (right, left ^ (Mix(right ^ Vector512.Create(_k3)) & mask));
        return (left << _halfBits) | right;
    }

    // MurmurHash3's 32-bit finaliser: every input bit changes about half the output bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        return h ^ (h >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Mix(Vector256<uint> h)
    {
        h ^= h >>> 16;
        h *= Vector256.Create(0x85EBCA6Bu);
        h ^= h >>> 13;
        h *= Vector256.Create(0xC2B2AE35u);
        return h ^ (h >>> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Mix(Vector512<uint> h)
    {
        h ^= h >>> 16;
        h *= Vector512.Create(0x85EBCA6Bu);
        h ^= h >>> 13;
        h *= Vector512.Create(0xC2B2AE35u);
        return h ^ (h >>> 16);
    }
}
