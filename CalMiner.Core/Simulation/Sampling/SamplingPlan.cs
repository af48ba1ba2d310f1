using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CalMiner.Scenarios;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// Where the uniforms of a run come from. Every stream is keyed by (seed, parameter name, purpose, block),
/// so any range can be computed on any thread, in any order, on any machine, and give the same bits; and a
/// parameter's uniforms do not depend on which other parameters exist.
/// <para>
/// Monte Carlo: iterations are cut into blocks of <see cref="BlockSize"/>, each with its own xoshiro256**
/// stream, one uniform per iteration. Latin Hypercube: iteration i of parameter p falls in stratum
/// <c>σ(i)</c> of N equal strata of (0, 1), where σ is a keyed bijection of 0..N−1 (<see cref="StratumPermutation"/>),
/// so every stratum is hit exactly once; the position within stratum r is output r of a counter-based
/// SplitMix64 stream, so the uniform of a stratum can be computed without the others.
/// </para>
/// Thread-safe.
/// </summary>
internal sealed class SamplingPlan
{
    /// <summary>Iterations per block; the unit of reproducible parallel work. Changing it changes every result.</summary>
    public const int BlockSize = 4096;

    private readonly ulong[] _nameHashes;
    private readonly StratumPermutation[] _permutations;
    private readonly ulong[] _offsetKeys;

    /// <param name="seed">The run's seed.</param>
    /// <param name="method">Monte Carlo or Latin Hypercube.</param>
    /// <param name="iterations">N, ≥ 1.</param>
    /// <param name="parameterNames">The uncertain parameters, distinct; their order is only the index used by the other methods.</param>
    public SamplingPlan(long seed, SamplingMethod method, int iterations, IReadOnlyList<string> parameterNames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentNullException.ThrowIfNull(parameterNames);
        if (method is not (SamplingMethod.MonteCarlo or SamplingMethod.LatinHypercube))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(method), method, "Unknown sampling method.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in parameterNames)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(parameterNames));
            if (!seen.Add(name))
            {
                ThrowHelper.ThrowArgument(nameof(parameterNames), $"Parameter '{name}' is listed twice.");
            }
        }

        Seed = seed;
        Method = method;
        Iterations = iterations;
        ParameterNames = [.. parameterNames];
        _nameHashes = [.. parameterNames.Select(StreamKey.HashName)];
        _permutations = method == SamplingMethod.LatinHypercube
            ? [.. _nameHashes.Select(h => new StratumPermutation(StreamKey.Derive(seed, h, 0, StreamPurpose.StratumPermutation), iterations))]
            : [];
        _offsetKeys = [.. _nameHashes.Select(h => StreamKey.Derive(seed, h, 0, StreamPurpose.StratumOffsets))];
    }

    public long Seed { get; }

    public SamplingMethod Method { get; }

    /// <summary>N, the number of iterations.</summary>
    public int Iterations { get; }

    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The number of blocks, ⌈N / <see cref="BlockSize"/>⌉; the last may be short.</summary>
    public int BlockCount => (int)((Iterations + (long)BlockSize - 1) / BlockSize);

    /// <summary>True for Latin Hypercube, where <see cref="Strata"/> gives each iteration's stratum.</summary>
    public bool HasStrata => Method == SamplingMethod.LatinHypercube;

    /// <summary>The first iteration of a block and its number of iterations.</summary>
    public (int Start, int Count) Block(int block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, BlockCount);
        var start = block * BlockSize;
        return (start, Math.Min(BlockSize, Iterations - start));
    }

    /// <summary>
    /// The uniforms, strictly inside (0, 1), of parameter <paramref name="parameterIndex"/> for iterations
    /// <paramref name="firstIteration"/> .. firstIteration + destination.Length - 1 (which must lie in
    /// 0..N-1). Any range may be asked for; ranges that start on a block boundary cost least.
    /// </summary>
    public void Uniforms(int parameterIndex, int firstIteration, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameterIndex, _nameHashes.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(firstIteration);
        if ((long)firstIteration + destination.Length > Iterations)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(destination), null, "The range of iterations ends after the last iteration.");
        }

        if (Method == SamplingMethod.LatinHypercube)
        {
            Span<int> strata = stackalloc int[256];
            for (var written = 0; written < destination.Length; written += strata.Length)
            {
                var part = destination.Slice(written, Math.Min(strata.Length, destination.Length - written));
                Strata(parameterIndex, firstIteration + written, strata[..part.Length]);
                StratumUniforms(parameterIndex, strata[..part.Length], part);
            }

            return;
        }

        var nameHash = _nameHashes[parameterIndex];
        var iteration = firstIteration;
        var done = 0;
        while (done < destination.Length)
        {
            var block = iteration / BlockSize;
            var offset = iteration - block * BlockSize;
            var count = Math.Min(BlockSize - offset, destination.Length - done);
            var key = StreamKey.Derive(Seed, nameHash, block, StreamPurpose.Draws);
            Xoshiro256StarStarX4.Fill(key, offset, destination.Slice(done, count));
            done += count;
            iteration += count;
        }
    }

    /// <summary>
    /// Latin Hypercube only: the strata of parameter <paramref name="parameterIndex"/> for iterations
    /// <paramref name="firstIteration"/> .. firstIteration + destination.Length − 1, part of a permutation of
    /// 0..N−1. A parameter's uniforms, and so its samples, are in stratum order, so this is also their rank.
    /// </summary>
    public void Strata(int parameterIndex, int firstIteration, Span<int> destination)
    {
        if (Method != SamplingMethod.LatinHypercube)
        {
            ThrowHelper.ThrowInvalidOperation("Only a Latin Hypercube plan has strata; rank Monte Carlo samples by sorting them.");
        }

        _permutations[parameterIndex].Fill(firstIteration, destination);
    }

    /// <summary>
    /// Latin Hypercube only: the uniform that falls in each of <paramref name="strata"/> (in 0..N−1), in any
    /// order, strictly inside (0, 1): u = (r + offset(r)) / N, inside stratum r up to rounding, never 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void StratumUniforms(int parameterIndex, ReadOnlySpan<int> strata, Span<double> destination)
    {
        var key = _offsetKeys[parameterIndex];
        double iterations = Iterations;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var gamma = Vector256.Create(SplitMix64.Gamma);
            var keys = Vector256.Create(key);
            var n = Vector256.Create(iterations);
            var belowOne = Vector256.Create(UnitInterval.BelowOne);
            ref var s = ref MemoryMarshal.GetReference(strata);
            ref var d = ref MemoryMarshal.GetReference(destination);
            for (; i <= strata.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var r = Vector256.WidenLower(Vector128.LoadUnsafe(ref s, (nuint)i).ToVector256Unsafe());
                var bits = SplitMix64.Finalize(keys + (r.AsUInt64() + Vector256<ulong>.One) * gamma);
                var u = (Vector256.ConvertToDouble(r) + Xoshiro256StarStarX4.ToUniform(bits)) / n;
                Vector256.Min(u, belowOne).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < strata.Length; i++)
        {
            var r = strata[i];
            var offset = Xoshiro256StarStar.ToUniform(SplitMix64.Mix(key + ((ulong)r * SplitMix64.Gamma)));
            var u = (r + offset) / iterations;
            destination[i] = u < UnitInterval.BelowOne ? u : UnitInterval.BelowOne;
        }
    }
}
