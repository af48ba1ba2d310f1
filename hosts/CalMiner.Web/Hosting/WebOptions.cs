using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Hosting;

/// <summary>
/// The web host's settings: the <c>CalMiner</c> section of the configuration (appsettings.json,
/// or environment variables such as <c>CalMiner__MaxIterations</c>), plus the first admin's
/// <c>CALMINER_ADMIN_EMAIL</c> / <c>CALMINER_ADMIN_PASSWORD</c>. Checked when the app starts: a
/// bad value stops it with a message naming the setting.
/// </summary>
internal sealed class WebOptions
{
    public const string Section = "CalMiner";

    /// <summary>Runs of up to this many iterations are computed inside the request; larger ones are queued.</summary>
    [Range(1, 100_000_000)]
    public int InlineIterationLimit { get; set; } = 100_000;

    /// <summary>
    /// Runs of more work than this are queued even when they have few iterations: the work of a run is its iterations times
    /// the scenario's periods plus its uncertain inputs, what a model evaluation and its sampling grow with.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long InlineWorkLimit { get; set; } = 5_000_000;

    /// <summary>The most iterations one run may ask for.</summary>
    [Range(1, 100_000_000)]
    public int MaxIterations { get; set; } = 10_000_000;

    /// <summary>The most items one page of a list may hold.</summary>
    [Range(1, 500)]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>The largest request body accepted, in bytes (larger ones get 413).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most memory, in bytes, one simulation run may need by <c>MonteCarlo.EstimateMemory</c>; a larger run is refused
    /// before it starts. Unset: half the memory this process may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>,
    /// which follows a container's limit).
    /// </summary>
    [Range(16L << 20, long.MaxValue)]
    public long? SimulationMemoryBytes { get; set; }

    /// <summary><see cref="SimulationMemoryBytes"/>, or its default on this machine.</summary>
    public long SimulationMemoryBudget => SimulationMemoryBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>Queued plus running simulation runs one user may have at once; one more gets 429.</summary>
    [Range(1, 1_000)]
    public int MaxActiveRunsPerUser { get; set; } = 4;

    /// <summary>Bytes of kept samples one user's runs may hold, queued and running ones by their estimate; a run over it gets 422.</summary>
    [Range(0, long.MaxValue)]
    public long SampleBytesPerUser { get; set; } = 4L << 30;

    /// <summary>Bytes of kept samples all runs together may hold; a run over it gets 422.</summary>
    [Range(0, long.MaxValue)]
    public long SampleBytesTotal { get; set; } = 32L << 30;

    /// <summary>How many of a scenario's newest runs keep their samples; older runs keep only their results.</summary>
    [Range(1, 100_000)]
    public int SampleRetentionRuns { get; set; } = 5;

    /// <summary>How many days after it finished a run keeps its samples (0: no limit by age).</summary>
    [Range(0, 36_500)]
    public int SampleRetentionDays { get; set; } = 30;

    /// <summary>How many times a run may be claimed: a run whose process died (its lease expired) is tried again until then, then failed.</summary>
    [Range(1, 100)]
    public int SimulationMaxAttempts { get; set; } = 2;

    /// <summary>Whether this process runs queued simulations itself (false when a separate worker does).</summary>
    public bool RunSimulationsInProcess { get; set; } = true;

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    [Range(1, 10_000)]
    public int SignInPermitsPerMinute { get; set; } = 10;

    /// <summary>Simulation runs one user may start per minute.</summary>
    [Range(1, 100_000)]
    public int SimulationRunsPerMinute { get; set; } = 30;

    /// <summary>Sign-in attempts on one email that may fail in a row before the next must wait (1 s, doubling with each further failure).</summary>
    [Range(1, 1_000)]
    public int SignInFreeAttempts { get; set; } = 5;

    /// <summary>The longest wait, in seconds, between sign-in attempts on one email after failures.</summary>
    [Range(1, 86_400)]
    public int SignInMaxDelaySeconds { get; set; } = 300;

    /// <summary>API-key authentications that may fail per client address per minute; past them the address gets 429.</summary>
    [Range(1, 1_000_000)]
    public int FailedAuthenticationsPerMinute { get; set; } = 30;

    /// <summary>How many unknown API keys (their hashes) are remembered for 30 s so that a retry costs no lookup; 0 remembers none.</summary>
    [Range(0, 1_000_000)]
    public int UnknownApiKeyCacheEntries { get; set; } = 10_000;

    /// <summary>How many days a deleted scenario can be restored before it may be purged for good, with its history and runs.</summary>
    [Range(0, 3_650)]
    public int DeletedRetentionDays { get; set; } = 30;

    /// <summary>Email of the first admin, created at start when there is no admin (<c>CALMINER_ADMIN_EMAIL</c>).</summary>
    [EmailAddress]
    public string? AdminEmail { get; set; }

    /// <summary>Password of the first admin (<c>CALMINER_ADMIN_PASSWORD</c>), at least 12 characters.</summary>
    [MinLength(12)]
    public string? AdminPassword { get; set; }
}

[OptionsValidator]
internal sealed partial class WebOptionsValidator : IValidateOptions<WebOptions>;
