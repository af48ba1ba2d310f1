using CalMiner.Data;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Hosting;

/// <summary>
/// Removes for good the scenarios deleted more than <see cref="WebOptions.DeletedRetentionDays"/> ago,
/// with their history, maintenance logs and runs: once at start, then every hour. Every replica
/// runs it; a scenario purged by one is skipped by the others.
/// </summary>
internal sealed partial class DeletedScenarioPurger(
    ScenarioRepository scenarios, IOptions<WebOptions> options, TimeProvider time, ILogger<DeletedScenarioPurger> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.DeletedRetentionDays);
                var purged = await scenarios.PurgeDeletedAsync(cutoff, stoppingToken).ConfigureAwait(false);
                if (purged > 0)
                {
                    LogPurged(purged, options.Value.DeletedRetentionDays);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next round tries again; a purge that waits loses nothing.
                LogFailed(e);
            }

            await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = WebEventId.ScenariosPurged, Level = LogLevel.Information, Message = "Purged {Count} scenarios deleted more than {Days} days ago.")]
    private partial void LogPurged(int count, int days);

    [LoggerMessage(EventId = WebEventId.PurgeFailed, Level = LogLevel.Warning, Message = "Purging deleted scenarios failed; it is tried again within the hour.")]
    private partial void LogFailed(Exception exception);
}
