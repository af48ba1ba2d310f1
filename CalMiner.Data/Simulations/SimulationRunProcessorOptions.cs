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

        if (MaxDegreeOfParallelism is 0 or < -1)
        {
            ThrowHelper.ThrowArgument(nameof(MaxDegreeOfParallelism), $"{nameof(MaxDegreeOfParallelism)} must be -1 (all cores) or at least 1, not {MaxDegreeOfParallelism}.");
        }
    }
}
