namespace CalMiner.Data;

/// <summary>Where a simulation run is in its life.</summary>
/// <remarks>Its names in the REST API and in the database are in <see cref="SimulationRunStatusNames"/>.</remarks>
public enum SimulationRunStatus
{
    /// <summary>Waiting for a worker to claim it.</summary>
    Queued,

    /// <summary>Claimed by a worker, which holds a lease on it and renews it with heartbeats.</summary>
    Running,

    /// <summary>Finished; its summary and samples are stored.</summary>
    Succeeded,

    /// <summary>Ended with an error, see <see cref="SimulationRun.Error"/>.</summary>
    Failed,

    /// <summary>Cancelled before it finished.</summary>
    Cancelled,
}

/// <summary>
/// The names of <see cref="SimulationRunStatus"/>, all in this one place: the name clients see (the REST API's
/// <c>status</c>, the docs) and the name stored in <c>simulation_run.status</c>. The two differ only for
/// <see cref="SimulationRunStatus.Succeeded"/>, stored as <c>completed</c> since the first schema.
/// </summary>
public static class SimulationRunStatusNames
{
    // The stored names: the CHECK constraint of simulation_run.status in 0001_initial lists the same five.
    internal const string StoredQueued = "queued";
    internal const string StoredRunning = "running";
    internal const string StoredSucceeded = "completed";
    internal const string StoredFailed = "failed";
    internal const string StoredCancelled = "cancelled";

    /// <summary>The status's name for clients: <c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>Its name in the REST API.</returns>
    /// <exception cref="ArgumentException"><paramref name="status"/> is not a defined status.</exception>
    public static string Name(SimulationRunStatus status) => status switch
    {
        SimulationRunStatus.Queued => "queued",
        SimulationRunStatus.Running => "running",
        SimulationRunStatus.Succeeded => "succeeded",
        SimulationRunStatus.Failed => "failed",
        SimulationRunStatus.Cancelled => "cancelled",
        _ => ThrowHelper.ThrowArgument<string>(nameof(status), $"{status} is not a {nameof(SimulationRunStatus)}."),
    };

    /// <summary>The status's name in <c>simulation_run.status</c>.</summary>
    internal static string Stored(SimulationRunStatus status) => status switch
    {
        SimulationRunStatus.Queued => StoredQueued,
        SimulationRunStatus.Running => StoredRunning,
        SimulationRunStatus.Succeeded => StoredSucceeded,
        SimulationRunStatus.Failed => StoredFailed,
        SimulationRunStatus.Cancelled => StoredCancelled,
        _ => ThrowHelper.ThrowArgument<string>(nameof(status), $"{status} is not a {nameof(SimulationRunStatus)}."),
    };

    /// <summary>The status stored as <paramref name="stored"/>.</summary>
    /// <exception cref="InvalidOperationException">The database holds a name that is no status.</exception>
    internal static SimulationRunStatus FromStored(string stored) => stored switch
    {
        StoredQueued => SimulationRunStatus.Queued,
        StoredRunning => SimulationRunStatus.Running,
        StoredSucceeded => SimulationRunStatus.Succeeded,
        StoredFailed => SimulationRunStatus.Failed,
        StoredCancelled => SimulationRunStatus.Cancelled,
        _ => ThrowHelper.ThrowInvalidData<SimulationRunStatus>($"The database holds '{stored}', which is not a {nameof(SimulationRunStatus)}."),
    };
}
