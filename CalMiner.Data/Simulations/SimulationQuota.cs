namespace CalMiner.Data;

/// <summary>
/// What one user may have queued and what runs may keep, checked by <see cref="SimulationRunRepository.QueueAsync"/>
/// before a run is queued, in the transaction that queues it.
/// </summary>
public sealed record SimulationQuota
{
    /// <summary>Queued plus running runs one user may have at once, ≥ 1; default 4.</summary>
    public int MaxActiveRunsPerUser { get; init; } = 4;

    /// <summary>Bytes of samples one user's runs may hold (queued and running ones by their estimate), ≥ 0; default 4 GiB.</summary>
    public long SampleBytesPerUser { get; init; } = 4L << 30;

    /// <summary>Bytes of samples all runs together may hold, ≥ 0; default 32 GiB.</summary>
    public long SampleBytesTotal { get; init; } = 32L << 30;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxActiveRunsPerUser, 1, nameof(MaxActiveRunsPerUser));
        ArgumentOutOfRangeException.ThrowIfNegative(SampleBytesPerUser, nameof(SampleBytesPerUser));
        ArgumentOutOfRangeException.ThrowIfNegative(SampleBytesTotal, nameof(SampleBytesTotal));
    }
}

/// <summary>Which limit of a <see cref="SimulationQuota"/> a run would exceed.</summary>
public enum SimulationQuotaLimit
{
    /// <summary><see cref="SimulationQuota.MaxActiveRunsPerUser"/>: the user has that many runs queued or running.</summary>
    ActiveRuns,

    /// <summary><see cref="SimulationQuota.SampleBytesPerUser"/>.</summary>
    UserSampleBytes,

    /// <summary><see cref="SimulationQuota.SampleBytesTotal"/>.</summary>
    TotalSampleBytes,
}

/// <summary>A run was not queued: it would exceed a limit of its <see cref="SimulationQuota"/>.</summary>
public sealed class SimulationQuotaExceededException : Exception
{
    /// <summary>Makes the exception for one exceeded limit.</summary>
    /// <param name="limit">The limit.</param>
    /// <param name="allowed">Its value: runs, or bytes.</param>
    /// <param name="inUse">What is taken already: runs queued or running, or bytes held.</param>
    /// <param name="requested">What the run asked for: 1 run, or its bytes of samples.</param>
    public SimulationQuotaExceededException(SimulationQuotaLimit limit, long allowed, long inUse, long requested)
        : base($"The run would exceed {limit}: {inUse} in use + {requested} asked > {allowed} allowed.")
    {
        (Limit, Allowed, InUse, Requested) = (limit, allowed, inUse, requested);
    }

    /// <summary>The limit exceeded.</summary>
    public SimulationQuotaLimit Limit { get; }

    /// <summary>The limit's value: runs, or bytes.</summary>
    public long Allowed { get; }

    /// <summary>What is taken already: runs queued or running, or bytes of samples held.</summary>
    public long InUse { get; }

    /// <summary>What the run asked for: 1 run, or its bytes of samples.</summary>
    public long Requested { get; }
}
