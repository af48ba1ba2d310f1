using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// A keyed permutation of 0..N−1 computed element by element: a four-round balanced Feistel network on the
/// smallest even number of bits that holds N−1, with cycle walking to stay below N. Any element can be
/// computed on its own, on any thread, so Latin Hypercube strata need neither a shuffle nor memory; each
/// stratum is hit exactly once because the network is a bijection.
/// </summary>
internal readonly struct StratumPermutation
{
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(int first, Span<int> destination)
    {
        ref var d = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var n = Vector256.Create((uint)_n);
            var step = Vector256.Create((uint)Vector256<uint>.Count);
            var x0 = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create((uint)first);
            for (; i <= destination.Length - Vector256<uint>.Count; i += Vector256<uint>.Count, x0 += step)
            {
                var x = Encrypt(x0);

                // Cycle walking: lanes outside 0..N−1 step on until they are inside, which happens in under two steps on average.
                for (var outside = Vector256.GreaterThanOrEqual(x, n); outside != Vector256<uint>.Zero; outside = Vector256.GreaterThanOrEqual(x, n))
                {
                    x = Vector256.ConditionalSelect(outside, Encrypt(x), x);
                }

                x.AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < destination.Length; i++)
        {
            Unsafe.Add(ref d, i) = this[first + i];
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
}
