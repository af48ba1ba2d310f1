using System.Numerics;
using CalMiner.Model;
using CalMiner.Scenarios;

namespace CalMiner.Simulation;

/// <summary>
/// An upper bound of the managed memory a run holds at its peak, from what the run keeps and what its stages
/// take. Work arrays come from the shared pool, which hands out lengths rounded up to a power of two,
/// so most per-iteration terms are counted at that length. The constants are this engine's own arrays; the
/// tests run the CLI in a heap capped at the estimate, where the run must fit, and at 40 % of it, where it must not.
/// </summary>
internal static class MemoryEstimate
{
    /// <summary>The runtime, the plan and the per-thread scratch, which do not grow with the run.</summary>
    private const long Fixed = 16L << 20;

    /// <summary>Output columns the kernel fills, one double per iteration each.</summary>
    private const int Outputs = 7;

    /// <summary>Iterations a thread samples and evaluates at a time (<c>MonteCarlo.Chunk</c>).</summary>
    private const int Chunk = 4_096;

    /// <summary>Spider points of one input, the most points any one call of the kernel evaluates for each input.</summary>
    private const int SpiderPoints = 7;

    /// <summary>The share of iterations in the tail whose inputs the sensitivity analysis keeps.</summary>
    private const double Tail = 0.10;

    /// <summary>Room for the collector over what is live at the peak.</summary>
    private const double Headroom = 1.15;

    /// <summary>The bytes of the kept samples: a double an iteration for every uncertain input and every output.</summary>
    public static long SampleBytes(ScenarioDocument scenario, int iterations) =>
        8L * iterations * (Uncertain(scenario) + Outputs);

    private static int Uncertain(ScenarioDocument scenario) =>
        (scenario.Parameters ?? new Dictionary<string, Parameter>()).Count(p => p.Value?.Distribution is { Type: not DistributionType.Constant });

    public static long Bytes(ScenarioDocument scenario, int iterations, SamplingMethod sampling, bool keepSamples, int threads)
    {
        var parameters = scenario.Parameters ?? new Dictionary<string, Parameter>();
        var uncertain = Uncertain(scenario);
        var correlatedNames = iterations < 3 ? [] : (scenario.Correlations ?? []).SelectMany(c => new[] { c?.A, c?.B }).ToHashSet(StringComparer.Ordinal);
        var correlated = parameters.Count(p => correlatedNames.Contains(p.Key) && p.Value?.Distribution is { Type: not DistributionType.Constant });

        long n = iterations;
        var padded = (n + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes;
        var pooled = padded <= 1 << 30 ? (long)BitOperations.RoundUpToPowerOf2((ulong)padded) : padded;

        // Held from sampling to the end: each Monte Carlo input's ranks (pooled) and sorted uniforms; a Latin
        // Hypercube input keeps ranks only once the rank correlation reorders it.
        var held = sampling == SamplingMethod.MonteCarlo
            ? uncertain * ((4 * pooled) + (8 * n))
            : correlated * 4 * pooled;

        // Sampling: each thread ranks one Monte Carlo input's uniforms at a time.
        var sample = sampling == SamplingMethod.MonteCarlo ? threads * ((8 * n) + (4 * pooled)) : 0;

        // The rank correlation: each correlated column's order and values, the normal scores, and each thread's sort.
        var correlate = correlated == 0 ? 0 : (correlated * 12 * n) + (8 * n) + (threads * 24 * n);

        // Evaluation: the output columns, and each thread's chunk of every uncertain input.
        var kept = keepSamples ? SampleBytes(scenario, iterations) : 0;
        var evaluate = (8 * Outputs * pooled) + (threads * Chunk * ((8L * uncertain) + 4)) + kept;

        // Summary: the output columns; the after-tax NPV's ranks and tail marks; each thread's sort of one column;
        // every input's ranks in the tail; the spider's points, a column of every uncertain input each; with samples
        // kept, every input and a copy of every output.
        var tailRanks = 4 * (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, (long)Math.Ceiling(Tail * n) * uncertain));
        var spider = 8L * SpiderPoints * uncertain * uncertain;
        var summarise = (8 * Outputs * pooled) + (12 * pooled) + (threads * 24 * pooled) + tailRanks + spider + kept;

        // What sampling and the rank correlation return stays taken: the pool keeps the arrays given back to it, and
        // the collector does not compact the large-object heap, where their columns lie. Evaluation and summary
        // overlap only in the output columns, counted in both.
        var peak = held + sample + correlate + Math.Max(evaluate, summarise);
        return Fixed + (long)(peak * Headroom);
    }
}
