using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Linq;
using Npgsql;

namespace CalMiner.Data;

// The workers' side of the queue: waiting for a run, claiming it with a lease, heartbeats, and
// the end of a run other than success (failed, given back, or queued again when its lease expired).
public sealed partial class SimulationRunRepository
{
    private const string ClaimSet = $"""
        UPDATE simulation_run
        SET status = '{Running}', worker_id = @worker, lease_expires_at = @lease,
            started_at = coalesce(started_at, @now), attempts = attempts + 1
        """;

    private const string ClaimPostgreSql = ClaimSet + $"""

        WHERE id = (SELECT id FROM simulation_run WHERE status = '{Queued}' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *
        """;

    // One statement under SQLite's single write lock: no other claimer can pick the same row.
    private const string ClaimSqlite = ClaimSet + $"""

        WHERE id = (SELECT id FROM simulation_run WHERE status = '{Queued}' ORDER BY id LIMIT 1)
        RETURNING *
        """;

    // On PostgreSQL a concurrent claimer holds the row locked; this waits for it, sees the row is
    // no longer queued and updates nothing. On SQLite it runs under the single write lock.
    private const string ClaimOne = ClaimSet + $"""

        WHERE id = @id AND status = '{Queued}'
        RETURNING *
        """;

    /// <summary>
    /// Waits until a run may have been queued, so that a worker does not poll the queue in a tight
    /// loop: on PostgreSQL until any process queues a run (LISTEN/NOTIFY) or <paramref name="timeout"/>
    /// passes; on SQLite for <paramref name="timeout"/>. Claim after it returns either way: a run
    /// queued just before the wait began is not signalled.
    /// </summary>
    /// <param name="timeout">The longest wait, &gt; 0, e.g. 5 s.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    /// <returns>Whether a run was queued during the wait (always <see langword="false"/> on SQLite).</returns>
    public async Task<bool> WaitForQueuedRunAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (_database.DataSource is not { } dataSource)
        {
            await Task.Delay(timeout, _time, cancellationToken).ConfigureAwait(false);
            return false;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN \"{QueueChannel}\"", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await connection.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims the oldest queued run for a worker, with a lease.</summary>
    /// <param name="workerId">Names the worker, e.g. host name and process id; not empty, at most 200 characters.</param>
    /// <param name="lease">How long the claim holds without a heartbeat, &gt; 0.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The claimed run, now <see cref="SimulationRunStatus.Running"/>, or <see langword="null"/> when none is queued.</returns>
    public async Task<SimulationRun?> ClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        CheckWorker(workerId, lease);
        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        var rows = await db.QueryToListAsync<SimulationRunRow>(
            _database.IsPostgreSql ? ClaimPostgreSql : ClaimSqlite,
            cancellationToken,
            new DataParameter("worker", workerId, DataType.NVarChar),
            new DataParameter("lease", now + lease, DataType.DateTimeOffset),
            new DataParameter("now", now, DataType.DateTimeOffset)).ConfigureAwait(false);
        return rows.Count == 0 ? null : ToRun(rows[0]);
    }

    /// <summary>
    /// Claims one queued run for a worker, with a lease, e.g. to run a small simulation at once
    /// inside a request. Atomic: a run is never claimed by two workers.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="workerId">Names the worker, e.g. host name and process id; not empty, at most 200 characters.</param>
    /// <param name="lease">How long the claim holds without a heartbeat, &gt; 0.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The claimed run, now <see cref="SimulationRunStatus.Running"/>, or <see langword="null"/> when it does not exist or is no longer queued.</returns>
    public async Task<SimulationRun?> ClaimRunAsync(long runId, string workerId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        CheckWorker(workerId, lease);
        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        var rows = await db.QueryToListAsync<SimulationRunRow>(
            ClaimOne,
            cancellationToken,
            new DataParameter("id", runId, DataType.Int64),
            new DataParameter("worker", workerId, DataType.NVarChar),
            new DataParameter("lease", now + lease, DataType.DateTimeOffset),
            new DataParameter("now", now, DataType.DateTimeOffset)).ConfigureAwait(false);
        return rows.Count == 0 ? null : ToRun(rows[0]);
    }

    /// <summary>Renews a worker's lease on a run and records its progress.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="workerId">The worker that claimed it.</param>
    /// <param name="lease">How long the renewed claim holds, &gt; 0.</param>
    /// <param name="progress">Fraction done, 0..1, when known.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the worker still holds the run; <see langword="false"/> means stop: it was cancelled or given to another worker.</returns>
    public async Task<bool> HeartbeatAsync(long runId, string workerId, TimeSpan lease, double? progress = null, CancellationToken cancellationToken = default)
    {
        CheckWorker(workerId, lease);
        if (progress is { } p && !(p is >= 0 and <= 1))
        {
            ThrowHelper.ThrowArgument(nameof(progress), "progress must be within 0..1.");
        }

        var expires = _time.GetUtcNow() + lease;
        await using var db = _database.Open();
        var updated = await Held(db, runId, workerId)
            .Set(r => r.LeaseExpiresAt, expires)
            .Set(r => r.Progress, r => progress ?? r.Progress)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
        return updated > 0;
    }

    /// <summary>Ends a run with an error.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="workerId">The worker that claimed it.</param>
    /// <param name="error">What went wrong; not empty.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the run was failed; <see langword="false"/> if the worker no longer holds it.</returns>
    public async Task<bool> FailAsync(long runId, string workerId, string error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        return await Held(db, runId, workerId)
            .Set(r => r.Status, Failed)
            .Set(r => r.Error, error)
            .Set(r => r.SampleBytes, 0L)
            .Set(r => r.FinishedAt, now)
            .Set(r => r.LeaseExpiresAt, (DateTimeOffset?)null)
            .UpdateAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Gives a claimed run back to the queue, e.g. when its worker shuts down.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="workerId">The worker that claimed it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the run was queued again; <see langword="false"/> if the worker no longer holds it.</returns>
    public async Task<bool> ReleaseAsync(long runId, string workerId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        return await Held(db, runId, workerId)
            .Set(r => r.Status, Queued)
            .Set(r => r.WorkerId, (string?)null)
            .Set(r => r.LeaseExpiresAt, (DateTimeOffset?)null)
            .Set(r => r.Attempts, r => r.Attempts - 1)
            .UpdateAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Queues again every running run whose lease has expired (its worker died or hung), or fails it
    /// once it has been claimed <paramref name="maxAttempts"/> times, with the reason. Call it periodically, e.g. from every worker.
    /// </summary>
    /// <param name="maxAttempts">How many times a run may be claimed, ≥ 1: a run whose worker died that many times (e.g. killed
    /// for its memory) is failed rather than handed to a worker again, so a crash loop ends.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many runs were queued again or failed.</returns>
    public async Task<int> RequeueExpiredAsync(int maxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var now = _time.GetUtcNow();
        var error = maxAttempts == 1
            ? "The run's worker stopped without finishing it (its lease expired), e.g. its process was killed for lack of memory; it is not tried again. Ask for fewer iterations or no samples."
            : $"The run's workers stopped without finishing it {maxAttempts} times (its lease expired each time), e.g. their process was killed for lack of memory; it is not tried again. Ask for fewer iterations or no samples.";
        await using var db = _database.Open();
        return await db.SimulationRuns
            .Where(r => r.Status == Running && r.LeaseExpiresAt < now)
            .Set(r => r.Status, r => r.Attempts >= maxAttempts ? Failed : Queued)
            .Set(r => r.Error, r => r.Attempts >= maxAttempts ? error : "Attempt " + r.Attempts + " ended when its worker stopped without finishing it (its lease expired); the run is queued again.")
            .Set(r => r.SampleBytes, r => r.Attempts >= maxAttempts ? 0 : r.SampleBytes)
            .Set(r => r.FinishedAt, r => r.Attempts >= maxAttempts ? now : (DateTimeOffset?)null)
            .Set(r => r.WorkerId, (string?)null)
            .Set(r => r.LeaseExpiresAt, (DateTimeOffset?)null)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IUpdatable<SimulationRunRow> Held(CalMinerDb db, long runId, string workerId) =>
        db.SimulationRuns.Where(r => r.Id == runId && r.Status == Running && r.WorkerId == workerId).AsUpdatable();

    internal static void CheckWorker(string workerId, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        if (string.IsNullOrWhiteSpace(workerId) || workerId.Length > MaxNameLength)
        {
            ThrowHelper.ThrowArgument(nameof(workerId), $"workerId must have 1..{MaxNameLength} characters.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
    }
}
