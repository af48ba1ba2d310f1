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
/// <param name="Stage">What is running: "sampling", "correlating", "evaluating" or "summarising".</param>
/// <param name="Completed">Iterations evaluated so far.</param>
/// <param name="Total">Iterations to evaluate at most.</param>
public sealed record SimulationProgress(string Stage, int Completed, int Total);
