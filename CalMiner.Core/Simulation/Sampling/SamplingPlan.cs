using CalMiner.Scenarios;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// Where the uniforms of a run come from. Iterations are cut into blocks of <see cref="BlockSize"/>;
/// each (parameter, block) has its own random stream keyed by (seed, parameter name, block index), so a
/// block can be computed on any thread, in any order, on any machine, and give the same bits; and a
/// parameter's uniforms do not depend on which other parameters exist.
/// <para>
/// Monte Carlo: the uniforms of the stream, one per iteration. Latin Hypercube: iteration i of parameter
/// p falls in stratum <c>Ranks(p)[i]</c> of N equal strata of (0, 1), every stratum exactly once, at the
/// position the stream's uniform gives within it. The strata are assigned by a Fisher–Yates shuffle
/// driven by the parameter's own keyed stream, made on first use and kept (4 bytes per iteration).
/// </para>
/// Thread-safe.
/// </summary>
internal sealed class SamplingPlan
{
    /// <summary>Iterations per block; the unit of reproducible parallel work. Changing it changes every result.</summary>
    public const int BlockSize = 4096;

    private readonly ulong[] _nameHashes;
    private readonly int[]?[] _ranks;

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
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown sampling method.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in parameterNames)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(parameterNames));
            if (!seen.Add(name))
            {
                throw new ArgumentException($"Parameter '{name}' is listed twice.", nameof(parameterNames));
            }
        }

        Seed = seed;
        Method = method;
        Iterations = iterations;
        ParameterNames = [.. parameterNames];
        _nameHashes = [.. parameterNames.Select(StreamKey.HashName)];
        _ranks = new int[]?[parameterNames.Count];
    }

    public long Seed { get; }

    public SamplingMethod Method { get; }

    /// <summary>N, the number of iterations.</summary>
    public int Iterations { get; }

    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The number of blocks, ⌈N / <see cref="BlockSize"/>⌉; the last may be short.</summary>
    public int BlockCount => (int)((Iterations + (long)BlockSize - 1) / BlockSize);

    /// <summary>True for Latin Hypercube, where <see cref="Ranks"/> gives each iteration's stratum.</summary>
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
            throw new ArgumentOutOfRangeException(nameof(destination), "The range of iterations ends after the last iteration.");
        }

        var nameHash = _nameHashes[parameterIndex];
        var iteration = firstIteration;
        var written = 0;
        while (written < destination.Length)
        {
            var block = iteration / BlockSize;
            var offset = iteration - block * BlockSize;
            var count = Math.Min(BlockSize - offset, destination.Length - written);
            var key = StreamKey.Derive(Seed, nameHash, block, StreamPurpose.Draws);
            Xoshiro256StarStarX4.Fill(key, offset, destination.Slice(written, count));
            written += count;
            iteration += count;
        }

        if (Method == SamplingMethod.LatinHypercube)
        {
            Stratify(Ranks(parameterIndex).Slice(firstIteration, destination.Length), destination);
        }
    }

    /// <summary>
    /// Latin Hypercube only: the stratum of every iteration of a parameter, a permutation of 0..N-1.
    /// Its uniforms, and so its samples, are in the same order, so this is also their rank.
    /// </summary>
    public ReadOnlySpan<int> Ranks(int parameterIndex)
    {
        if (Method != SamplingMethod.LatinHypercube)
        {
            throw new InvalidOperationException("Only a Latin Hypercube plan has strata; rank Monte Carlo samples by sorting them.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(parameterIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameterIndex, _ranks.Length);
        var ranks = Volatile.Read(ref _ranks[parameterIndex]);
        if (ranks is null)
        {
            // Two threads may shuffle at once; they compute the same permutation, and one of them is kept.
            ranks = Shuffle(StreamKey.Derive(Seed, _nameHashes[parameterIndex], 0, StreamPurpose.StratumPermutation), Iterations);
            ranks = Interlocked.CompareExchange(ref _ranks[parameterIndex], ranks, null) ?? ranks;
        }

        return ranks;
    }

    // u = (stratum + offset) / N for an offset uniform in (0, 1): inside the stratum up to rounding, never 1.
    private void Stratify(ReadOnlySpan<int> strata, Span<double> uniforms)
    {
        double iterations = Iterations;
        for (var i = 0; i < uniforms.Length; i++)
        {
            var u = (strata[i] + uniforms[i]) / iterations;
            uniforms[i] = u < UnitInterval.BelowOne ? u : UnitInterval.BelowOne;
        }
    }

    // The Fisher–Yates (Durstenfeld) shuffle of 0..n-1, with unbiased bounded integers.
    private static int[] Shuffle(ulong key, int n)
    {
        var permutation = new int[n];
        for (var i = 0; i < n; i++)
        {
            permutation[i] = i;
        }

        var rng = Xoshiro256StarStar.FromSeed(key);
        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)rng.NextBelow((ulong)i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        return permutation;
    }
}
