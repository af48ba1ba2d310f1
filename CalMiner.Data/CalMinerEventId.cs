namespace CalMiner.Data;

/// <summary>
/// The event ids of CalMiner.Data's log entries, one range per component, so that a log filter or an
/// alert can name an entry by a number that stays the same across releases. CalMiner.Data uses
/// 1000–1999: migrations 1000–1099, the run queue 1100–1199, the cache 1200–1299. The hosts use
/// 2000 and up (the web host 2000–2999).
/// </summary>
public static class CalMinerEventId
{
    /// <summary>A migration was applied (Information).</summary>
    public const int MigrationApplied = 1000;

    /// <summary>The schema is at the latest version (Information).</summary>
    public const int SchemaUpToDate = 1001;

    /// <summary>A migration failed and was rolled back (Error).</summary>
    public const int MigrationFailed = 1002;

    /// <summary>A worker of the run queue started (Information).</summary>
    public const int WorkerStarted = 1100;

    /// <summary>A worker of the run queue stopped (Information).</summary>
    public const int WorkerStopped = 1101;

    /// <summary>A worker claimed a run (Information).</summary>
    public const int RunClaimed = 1102;

    /// <summary>A run succeeded (Information).</summary>
    public const int RunSucceeded = 1103;

    /// <summary>A run failed (Warning).</summary>
    public const int RunFailed = 1104;

    /// <summary>A worker no longer holds its run: it was cancelled or its lease went to another worker (Information).</summary>
    public const int RunNoLongerHeld = 1105;

    /// <summary>A worker gave its run back to the queue (Information).</summary>
    public const int RunReleased = 1106;

    /// <summary>A run failed unexpectedly (Error).</summary>
    public const int RunFailedUnexpectedly = 1107;

    /// <summary>A heartbeat of a run failed (Warning).</summary>
    public const int HeartbeatFailed = 1108;

    /// <summary>Processing the queue failed; the worker tries again (Error).</summary>
    public const int QueueFailed = 1109;

    /// <summary>The retention policy dropped the samples of runs (Information).</summary>
    public const int SamplesDropped = 1110;

    /// <summary>Applying the retention policy failed (Warning).</summary>
    public const int RetentionFailed = 1111;

    /// <summary>A run could not be marked failed; its lease will expire (Error).</summary>
    public const int RunNotMarkedFailed = 1112;

    /// <summary>The distributed cache (Redis) is unavailable (Warning).</summary>
    public const int CacheUnavailable = 1200;

    /// <summary>The distributed cache (Redis) is available again (Information).</summary>
    public const int CacheAvailable = 1201;
}
