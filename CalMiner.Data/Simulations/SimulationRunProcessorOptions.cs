namespace CalMiner.Data;

/// <summary>
/// How <see cref="SimulationRunProcessor"/> holds and runs the runs it claims. <c>AddCalMinerData</c>
/// registers the defaults unless the host registered its own first.
/// </summary>
public sealed record SimulationRunProcessorOptions
{
    /// <summary>How long a claim holds without a heartbeat, &gt; <see cref="HeartbeatInterval"/>; default 1 minute. A run whose worker died is queued again this long after its last heartbeat.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a running run's lease is renewed and its progress recorded, &gt; 0 and &lt;
    /// <see cref="Lease"/>; default 5 seconds. It is also how long a cancelled run may keep
    /// computing before its worker learns of the cancellation.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an idle <see cref="SimulationRunProcessor.RunAsync"/> waits before it looks at the
    /// queue again, &gt; 0; default 5 seconds. On PostgreSQL a newly queued run ends the wait at once;
    /// on SQLite this is the polling interval.
    /// </summary>
    public TimeSpan IdleWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Threads a simulation may use; −1 (default) for all cores, else ≥ 1. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// How often, at most, a running run's progress is written to its record, &gt; 0; default 1 second. A write also
    /// renews the lease; a longer interval than <see cref="HeartbeatInterval"/> is cut to it.
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times a run may be claimed, ≥ 1; default 2. A run whose worker died (its lease expired) is queued again
    /// until it has been claimed this many times, then failed with the reason, so a run that kills its process does not
    /// kill process after process.
    /// </summary>
    public int MaxAttempts { get; init; } = 2;

    /// <summary>
    /// The most memory, in bytes, one run may need by <see cref="CalMiner.Simulation.MonteCarlo.EstimateMemory"/>, checked
    /// when the run is claimed: a run queued under a larger budget is failed with the estimate and what to change.
    /// <see langword="null"/> (default): not checked.
    /// </summary>
    public long? MemoryBudget { get; init; }

    /// <summary>Which completed runs keep their samples, applied after every run and periodically; <see langword="null"/> (default): all keep them.</summary>
    public SampleRetention? Retention { get; init; }

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    internal void Validate()
    {
        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval >= Lease)
        {
            ThrowHelper.ThrowArgument(nameof(HeartbeatInterval), $"{nameof(HeartbeatInterval)} must be > 0 and shorter than {nameof(Lease)} ({Lease}), not {HeartbeatInterval}.");
        }

        if (IdleWait <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument(nameof(IdleWait), $"{nameof(IdleWait)} must be > 0, not {IdleWait}.");
        }

        if (ProgressInterval <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument(nameof(ProgressInterval), $"{nameof(ProgressInterval)} must be > 0, not {ProgressInterval}.");
        }

        if (MaxAttempts < 1)
        {
            ThrowHelper.ThrowArgument(nameof(MaxAttempts), $"{nameof(MaxAttempts)} must be at least 1, not {MaxAttempts}.");
        }

        if (MemoryBudget is < 1)
        {
            ThrowHelper.ThrowArgument(nameof(MemoryBudget), $"{nameof(MemoryBudget)} must be at least 1 byte or null, not {MemoryBudget}.");
        }

        Retention?.Validate();
        if (MaxDegreeOfParallelism is 0 or < -1)
        {
            ThrowHelper.ThrowArgument(nameof(MaxDegreeOfParallelism), $"{nameof(MaxDegreeOfParallelism)} must be -1 (all cores) or at least 1, not {MaxDegreeOfParallelism}.");
        }
    }
}
