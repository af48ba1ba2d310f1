using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Data;

/// <summary>Whether a run fits in a memory budget, by <see cref="MonteCarlo.EstimateMemory"/>, and what to change when it does not.</summary>
public static class SimulationMemoryBudget
{
    /// <summary>Why a run may not start within <paramref name="budget"/>: its estimate, the budget and the iterations that would fit.</summary>
    /// <param name="scenario">The scenario to run.</param>
    /// <param name="settings">The run's settings; with a convergence rule its most iterations count.</param>
    /// <param name="keepSamples">Whether the run keeps its samples.</param>
    /// <param name="budget">The most bytes one run may need, ≥ 1.</param>
    /// <param name="budgetSource">Where the budget comes from, e.g. <c>the CalMiner:SimulationMemoryBytes setting</c>; named in the message.</param>
    /// <param name="maxDegreeOfParallelism">The threads the run will use; −1 for all cores.</param>
    /// <returns>The refusal, or <see langword="null"/> when the run fits.</returns>
    public static string? Refusal(ScenarioDocument scenario, SimulationSettings settings, bool keepSamples, long budget, string budgetSource, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        long Estimate(int iterations) => MonteCarlo.EstimateMemory(
            scenario, new SimulationOptions { Iterations = iterations, Sampling = settings.Sampling, KeepSamples = keepSamples, MaxDegreeOfParallelism = maxDegreeOfParallelism });
        var asked = Math.Max(settings.Iterations, settings.Convergence?.MaxIterations ?? 0);
        var needed = Estimate(asked);
        if (needed <= budget)
        {
            return null;
        }

        var (fits, over) = (0, asked);
        while (over - fits > 1)
        {
            var middle = fits + ((over - fits) / 2);
            (fits, over) = Estimate(middle) <= budget ? (middle, over) : (fits, middle);
        }

        var advice = fits > 0
            ? $"Ask for at most {fits} iterations{(keepSamples ? ", or keep no samples" : "")}, or simulate fewer uncertain inputs."
            : "Even one iteration does not fit: simulate fewer uncertain inputs or correlations.";
        return $"This run of {asked} iterations would need about {Mebibytes(needed)} MiB of memory{(keepSamples ? ", samples included" : "")}; "
            + $"one run may use {Mebibytes(budget)} MiB here ({budgetSource}). {advice}";
    }

    private static long Mebibytes(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
