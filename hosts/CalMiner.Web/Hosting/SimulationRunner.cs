using CalMiner.Data;

namespace CalMiner.Web.Hosting;

/// <summary>
/// Runs queued simulations inside the web app, so the embedded default works end to end with no
/// worker. Off when <see cref="WebOptions.RunSimulationsInProcess"/> is false (a worker does it).
/// </summary>
internal sealed class SimulationRunner(SimulationRunProcessor processor) : BackgroundService
{
    /// <summary>Names this process in the run queue's leases.</summary>
    public static readonly string WorkerId = $"web:{Environment.MachineName}:{Environment.ProcessId}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => processor.RunAsync(WorkerId, stoppingToken);
}
