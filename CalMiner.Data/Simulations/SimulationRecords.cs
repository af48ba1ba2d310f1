using CalMiner.Scenarios;

namespace CalMiner.Data;

/// <summary>A requested simulation of one version of a scenario.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="ScenarioId">The scenario simulated.</param>
/// <param name="ScenarioVersion">The version of the scenario simulated.</param>
/// <param name="Status">Where the run is in its life.</param>
/// <param name="Settings">The requested iterations, seed, sampling and optional convergence rule.</param>
/// <param name="Progress">Fraction done, 0..1, as last reported by the worker.</param>
/// <param name="Attempts">How many times a worker has claimed the run.</param>
/// <param name="WorkerId">The worker holding the run while it is running.</param>
/// <param name="LeaseExpiresAt">When the worker's lease ends unless renewed (UTC); then the run is queued again.</param>
/// <param name="QueuedAt">When the run was requested (UTC).</param>
/// <param name="RequestedBy">Who requested it.</param>
/// <param name="StartedAt">When a worker first claimed it (UTC).</param>
/// <param name="FinishedAt">When it completed, failed or was cancelled (UTC).</param>
/// <param name="Error">Why it failed.</param>
public sealed record SimulationRun(
    long Id,
    long ScenarioId,
    int ScenarioVersion,
    SimulationRunStatus Status,
    SimulationSettings Settings,
    double Progress,
    int Attempts,
    string? WorkerId,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset QueuedAt,
    string RequestedBy,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    /// <summary>Whether the run uses the nearest valid correlation matrix when the scenario's correlations contradict one another, instead of failing.</summary>
    public bool RepairCorrelations { get; init; }

    /// <summary>Whether the run keeps every iteration's inputs and outputs for the samples download.</summary>
    public bool KeepSamples { get; init; } = true;

    /// <summary>
    /// The bytes of samples the run holds: its estimate while queued or running, what it stored once completed,
    /// 0 when it failed, was cancelled, keeps none, or its samples were dropped.
    /// </summary>
    public long SampleBytes { get; init; }

    /// <summary>When the retention policy dropped the run's samples (UTC); its summary is kept.</summary>
    public DateTimeOffset? SamplesDroppedAt { get; init; }
}

/// <summary>
/// The per-iteration values of a run: for each output (e.g. <c>npvAfterTax</c>) and each sampled
/// input (a parameter name), one value per iteration, in iteration order. Every column has the same length.
/// </summary>
/// <param name="Outputs">Output name → its value in each iteration.</param>
/// <param name="Inputs">Input (parameter) name → its sampled value in each iteration.</param>
public sealed record SimulationSamples(IReadOnlyDictionary<string, double[]> Outputs, IReadOnlyDictionary<string, double[]> Inputs)
{
    /// <summary>The number of iterations: the length of every column, 0 when there is none.</summary>
    public int Iterations => Outputs.Values.Concat(Inputs.Values).Select(c => c.Length).FirstOrDefault();
}
