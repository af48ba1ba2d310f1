using CalMiner.Scenarios;

namespace CalMiner.Simulation;

/// <summary>How to run a simulation; anything left null comes from the scenario's <see cref="ScenarioDocument.Simulation"/> section.</summary>
public sealed record SimulationOptions
{
    /// <summary>Number of iterations, 1..100 000 000; with a convergence rule, the most to run.</summary>
    public int? Iterations { get; init; }

    /// <summary>Seed of the random streams.</summary>
    public long? Seed { get; init; }

    /// <summary>Monte Carlo or Latin Hypercube.</summary>
    public SamplingMethod? Sampling { get; init; }

    /// <summary>Threads to use; −1 (default) for all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Repair an invalid correlation matrix to the nearest valid one instead of rejecting it.</summary>
    public bool RepairCorrelations { get; init; }

    /// <summary>Keep every iteration's inputs and outputs in <see cref="SimulationResult.Samples"/>.</summary>
    public bool KeepSamples { get; init; }
}

/// <summary>Progress of a running simulation.</summary>
/// <param name="Stage">What is running.</param>
/// <param name="Completed">While evaluating, the iterations evaluated so far; while summarising, the steps done
/// (each output's statistics, then the sensitivity analysis); 0 in the other stages.</param>
/// <param name="Total">The iterations to evaluate at most, or the steps of the summary.</param>
public sealed record SimulationProgress(SimulationStage Stage, int Completed, int Total)
{
    /// <summary>
    /// How far the whole run is, 0..1, for a progress bar: sampling and correlating are the first 5 %,
    /// evaluating runs to 60 % and summarising to 100 %. A large run spends about as long summarising
    /// (sorting every output, ranking every input) as evaluating, so neither stage stands still at one value.
    /// </summary>
    public double RunFraction
    {
        get
        {
            var done = Total > 0 ? Math.Clamp((double)Completed / Total, 0, 1) : 0;
            return Stage switch
            {
                SimulationStage.Correlating => 0.05,
                SimulationStage.Evaluating => 0.05 + 0.55 * done,
                SimulationStage.Summarising => 0.60 + 0.40 * done,
                _ => 0,
            };
        }
    }
}

/// <summary>The stages of a simulation, in the order they run.</summary>
public enum SimulationStage
{
    /// <summary>Drawing every uncertain input's values.</summary>
    Sampling,

    /// <summary>Reordering the samples to the target rank correlations.</summary>
    Correlating,

    /// <summary>Evaluating the economic model in every iteration.</summary>
    Evaluating,

    /// <summary>Computing each output's statistics, then the sensitivity analysis.</summary>
    Summarising,
}
