using System.Text.Json;
using CalMiner.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CalMiner.Web.Hosting;

/// <summary>
/// <c>/health/live</c> answers while the process serves requests; <c>/health/ready</c> also checks
/// the database (reachable, schema up to date) and Redis when one is configured. Both are open to
/// anonymous callers (load balancers, orchestrators) and say nothing secret.
/// </summary>
internal static class HealthChecks
{
    private const string Ready = "ready";

    public static IServiceCollection AddCalMinerHealthChecks(this IServiceCollection services, CalMinerDataOptions data)
    {
        var checks = services.AddHealthChecks().AddCheck<DatabaseCheck>("database", tags: [Ready]);
        if (data.RedisUrl is not null)
        {
            checks.AddCheck<RedisCheck>("redis", tags: [Ready]);
        }

        return services;
    }

    public static IEndpointRouteBuilder MapCalMinerHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        }, cancellationToken: context.RequestAborted);
    }

    private sealed class DatabaseCheck(DatabaseMigrator migrator, Problems.DatabaseOutage outage) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var version = await migrator.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false);
                return version == migrator.LatestVersion
                    ? HealthCheckResult.Healthy($"schema version {version}")
                    : HealthCheckResult.Unhealthy($"schema version {version}, {migrator.LatestVersion} needed: run `calminer migrate`");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (Problems.DatabaseOutage.IsUnreachable(e))
                {
                    outage.Report(e);
                }

                return HealthCheckResult.Unhealthy("the database is unreachable", e);
            }
        }
    }

    private sealed class RedisCheck(CalMinerCache cache) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await cache.IsDistributedCacheReachableAsync(cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy("reachable")
                : HealthCheckResult.Degraded("unreachable: reads are served from the database meanwhile");
    }
}
