using CalMiner.Data;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Hosting;

/// <summary>
/// Runs queued simulations inside the web app, so the embedded default works end to end with no
/// worker. Off when <see cref="WebOptions.RunSimulationsInProcess"/> is false (a worker does it).
/// </summary>
internal sealed class SimulationRunner(SimulationRunProcessor processor, IOptions<WebOptions> options) : BackgroundService
{
    /// <summary>Names this process in the run queue's leases.</summary>
    public static readonly string WorkerId = $"web:{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How this host's processor runs runs: the settings of <paramref name="web"/>, the rest at their defaults.</summary>
    public static SimulationRunProcessorOptions ProcessorOptions(WebOptions web) => new()
    {
        MaxAttempts = web.SimulationMaxAttempts,
        MemoryBudget = web.SimulationMemoryBudget,
        Retention = Retention(web),
    };

    /// <summary>Which runs keep their samples by <paramref name="web"/>.</summary>
    public static SampleRetention Retention(WebOptions web) => new()
    {
        RunsPerScenario = web.SampleRetentionRuns,
        MaxAge = web.SampleRetentionDays == 0 ? null : TimeSpan.FromDays(web.SampleRetentionDays),
    };

    /// <summary>The limits a run is queued under by <paramref name="web"/>.</summary>
    public static SimulationQuota Quota(WebOptions web) => new()
    {
        MaxActiveRunsPerUser = web.MaxActiveRunsPerUser,
        SampleBytesPerUser = web.SampleBytesPerUser,
        SampleBytesTotal = web.SampleBytesTotal,
    };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunSimulationsInProcess ? processor.RunAsync(WorkerId, stoppingToken) : Task.CompletedTask;
}
