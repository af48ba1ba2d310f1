using CalMiner.Data;
using CalMiner.Web.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CalMiner.Web.Problems;

/// <summary>
/// What the host does while the database cannot be reached: every request that needs it gets 503 with
/// <c>Retry-After</c> (never a 500), and the log says so twice, not once per request: one line when the
/// first request fails, one when the database answers again (checked every <see cref="RetryAfter"/>),
/// with how long it was gone and how many requests were turned away.
/// </summary>
internal sealed partial class DatabaseOutage(
    DatabaseMigrator migrator, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<DatabaseOutage> logger)
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private int _down;
    private long _refused;

    /// <summary>Whether the database is known to be unreachable now.</summary>
    public bool IsDown => Volatile.Read(ref _down) == 1;

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) says the database cannot be reached, rather than that a statement failed.</summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection exceptions (class 08), the server shutting down or starting (57P01..57P03), no free connection.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                            or PostgresErrorCodes.TooManyConnections;
                // Npgsql's own: the socket failed, timed out or was closed.
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN: the file is held by another process or cannot be opened.
                case SqliteException sqlite:
                    return sqlite.SqliteErrorCode is 5 or 6 or 14;
            }
        }

        return false;
    }

    /// <summary>Notes that the database could not be reached; logs the outage if it is the first such failure.</summary>
    public void Report(Exception exception)
    {
        Interlocked.Increment(ref _refused);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogUnreachable(exception.GetType().Name, exception.Message, RetryAfter.TotalSeconds);
            _ = WatchAsync(time.GetUtcNow());
        }
    }

    /// <summary>The 503 for a request that needed the database, which <see cref="Report"/>s the failure.</summary>
    public IResult Unavailable(HttpContext context, Exception exception)
    {
        Report(exception);
        context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The database is unavailable.",
            detail: $"The database cannot be reached just now: nothing was changed. Try again in {(int)RetryAfter.TotalSeconds} s.");
    }

    private async Task WatchAsync(DateTimeOffset since)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            while (true)
            {
                await Task.Delay(RetryAfter, time, stopping).ConfigureAwait(false);
                try
                {
                    await migrator.GetCurrentVersionAsync(stopping).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (IsUnreachable(e))
                {
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }

        var refused = Interlocked.Exchange(ref _refused, 0);
        Volatile.Write(ref _down, 0);
        LogReachable((time.GetUtcNow() - since).TotalSeconds, refused);
    }

    [LoggerMessage(WebEventId.DatabaseUnreachable, LogLevel.Error, "The database cannot be reached ({Error}: {Message}); requests that need it get 503 until it answers, which is checked every {Seconds} s.")]
    private partial void LogUnreachable(string error, string message, double seconds);

    [LoggerMessage(WebEventId.DatabaseReachable, LogLevel.Warning, "The database answers again after {Seconds:F0} s; {Refused} requests and health checks found it unreachable meanwhile.")]
    private partial void LogReachable(double seconds, long refused);
}

/// <summary>Registers <see cref="DatabaseOutage"/>.</summary>
internal static class DatabaseOutageSetup
{
    public static IServiceCollection AddDatabaseOutages(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseOutage>();
        // A failing health check would log its exception at every probe of a load balancer; DatabaseOutage logs the outage.
        services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.None));
        return services;
    }
}
