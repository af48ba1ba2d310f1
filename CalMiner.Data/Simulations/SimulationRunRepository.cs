using System.Text.Json;
using CalMiner.Data.Audit;
using CalMiner.Data.Database;
using CalMiner.Data.Scenarios;
using CalMiner.Data.Simulations;
using CalMiner.Scenarios;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Linq;
using Npgsql;

namespace CalMiner.Data;

/// <summary>
/// The simulation run queue. A run is queued for one version of a scenario; a worker claims the
/// oldest queued run (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so two workers never get
/// the same run), holds a lease on it that heartbeats renew, and completes it with its summary and
/// samples in one transaction, or fails it. A run whose lease expires, because its worker died, is
/// queued again by <see cref="RequeueExpiredAsync"/>.
/// </summary>
public sealed class SimulationRunRepository
{
    private const int MaxNameLength = 200;
    private const int MaxIterations = 100_000_000;

    private const string Queued = SimulationRunStatusNames.StoredQueued;
    private const string Running = SimulationRunStatusNames.StoredRunning;
    private const string Succeeded = SimulationRunStatusNames.StoredSucceeded;
    private const string Failed = SimulationRunStatusNames.StoredFailed;
    private const string Cancelled = SimulationRunStatusNames.StoredCancelled;

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

    private readonly CalMinerDatabase _database;
    private readonly TimeProvider _time;

    internal SimulationRunRepository(CalMinerDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
        QueueChannel = $"calminer_runs_{Caching.CacheKeys.Namespace(database.Options).Split(':')[1]}";
    }

    /// <summary>The NOTIFY channel of this database's queue: one per schema, so that schemas stay apart.</summary>
    internal string QueueChannel { get; }

    /// <summary>Queues a run of one saved version of a scenario.</summary>
    /// <param name="scenarioId">The scenario.</param>
    /// <param name="scenarioVersion">The version to simulate; it must exist in the scenario's history.</param>
    /// <param name="settings">Iterations (1..100 000 000), seed, sampling and optional convergence rule, e.g. the scenario's own <see cref="ScenarioDocument.Simulation"/>.</param>
    /// <param name="requestedBy">Who asks for it; not empty, at most 200 characters.</param>
    /// <param name="repairCorrelations">Run with the nearest valid correlation matrix when the scenario's correlations contradict one another (see <see cref="CalMiner.Simulation.SimulationOptions.RepairCorrelations"/>); otherwise such a run fails.</param>
    /// <param name="keepSamples">Whether the run keeps every iteration's inputs and outputs (see <see cref="CalMiner.Simulation.MonteCarlo.EstimateSampleBytes"/>).</param>
    /// <param name="sampleBytes">The bytes of samples the run will keep, ≥ 0, counted against <paramref name="quota"/> from now on; 0 without samples.</param>
    /// <param name="quota">The limits to check, in the transaction that queues the run; <see langword="null"/>: none.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The queued run.</returns>
    /// <exception cref="ArgumentException">The settings are invalid, or the scenario version does not exist.</exception>
    /// <exception cref="SimulationQuotaExceededException">The run would exceed a limit of <paramref name="quota"/>; nothing was queued.</exception>
    public async Task<SimulationRun> QueueAsync(
        long scenarioId,
        int scenarioVersion,
        SimulationSettings settings,
        string requestedBy,
        bool repairCorrelations = false,
        bool keepSamples = true,
        long sampleBytes = 0,
        SimulationQuota? quota = null,
        CancellationToken cancellationToken = default)
    {
        CheckSettings(settings);
        ScenarioRepository.CheckAuthor(requestedBy);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleBytes);
        quota?.Validate();
        await using var db = _database.Open();
        // On SQLite BEGIN IMMEDIATE takes the write lock; on PostgreSQL an advisory lock: two requests never both pass a limit.
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.ScenarioVersions.AnyAsync(v => v.ScenarioId == scenarioId && v.Version == scenarioVersion, cancellationToken).ConfigureAwait(false))
        {
            ThrowHelper.ThrowArgument(nameof(scenarioVersion), $"Scenario {scenarioId} has no version {scenarioVersion}.");
        }

        if (quota is not null)
        {
            await CheckQuotaAsync(db, quota, requestedBy, keepSamples ? sampleBytes : 0, cancellationToken).ConfigureAwait(false);
        }

        var row = new SimulationRunRow
        {
            ScenarioId = scenarioId,
            ScenarioVersion = scenarioVersion,
            Status = Queued,
            Iterations = settings.Iterations,
            Seed = settings.Seed,
            Sampling = EnumNames.Name(settings.Sampling),
            ConvergenceMetric = settings.Convergence?.Metric,
            ConvergenceRelativeTolerance = settings.Convergence?.RelativeTolerance,
            ConvergenceConfidence = settings.Convergence?.Confidence,
            ConvergenceMaxIterations = settings.Convergence?.MaxIterations,
            RepairCorrelations = repairCorrelations,
            KeepSamples = keepSamples,
            SampleBytes = keepSamples ? sampleBytes : 0,
            QueuedAt = _time.GetUtcNow(),
            RequestedBy = requestedBy,
        };
        row.Id = await db.InsertWithInt64IdentityAsync(row, token: cancellationToken).ConfigureAwait(false);
        await AuditLog.RecordAsync(
            db, row.QueuedAt, AuditActions.RunSubmit, row.Id, await AuditLog.WorkspaceOfScenarioAsync(db, scenarioId, cancellationToken).ConfigureAwait(false),
            $"Submitted a run of scenario {scenarioId} version {scenarioVersion}, {settings.Iterations} iterations", cancellationToken).ConfigureAwait(false);
        if (_database.IsPostgreSql)
        {
            // Wakes the workers waiting in WaitForQueuedRunAsync, in every process.
            // Sent at commit, so a worker woken by it finds the run.
            await db.ExecuteAsync("SELECT pg_notify(@channel, '')", cancellationToken, new DataParameter("channel", QueueChannel, DataType.NVarChar)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ToRun(row);
    }

    private async Task CheckQuotaAsync(CalMinerDb db, SimulationQuota quota, string requestedBy, long sampleBytes, CancellationToken cancellationToken)
    {
        if (_database.IsPostgreSql)
        {
            await db.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@name))", cancellationToken, new DataParameter("name", QueueChannel, DataType.NVarChar)).ConfigureAwait(false);
        }

        var active = await db.SimulationRuns.CountAsync(r => r.RequestedBy == requestedBy && (r.Status == Queued || r.Status == Running), cancellationToken).ConfigureAwait(false);
        if (active >= quota.MaxActiveRunsPerUser)
        {
            throw new SimulationQuotaExceededException(SimulationQuotaLimit.ActiveRuns, quota.MaxActiveRunsPerUser, active, 1);
        }

        if (sampleBytes == 0)
        {
            return;
        }

        var users = await db.SimulationRuns.Where(r => r.RequestedBy == requestedBy && r.SampleBytes > 0).SumAsync(r => (long?)r.SampleBytes, cancellationToken).ConfigureAwait(false) ?? 0;
        if (users + sampleBytes > quota.SampleBytesPerUser)
        {
            throw new SimulationQuotaExceededException(SimulationQuotaLimit.UserSampleBytes, quota.SampleBytesPerUser, users, sampleBytes);
        }

        var total = await db.SimulationRuns.Where(r => r.SampleBytes > 0).SumAsync(r => (long?)r.SampleBytes, cancellationToken).ConfigureAwait(false) ?? 0;
        if (total + sampleBytes > quota.SampleBytesTotal)
        {
            throw new SimulationQuotaExceededException(SimulationQuotaLimit.TotalSampleBytes, quota.SampleBytesTotal, total, sampleBytes);
        }
    }

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

    /// <summary>Reads a run.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run, or <see langword="null"/> if there is none with that id.</returns>
    public async Task<SimulationRun?> GetAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var row = await db.SimulationRuns.Where(r => r.Id == runId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToRun(row);
    }

    /// <summary>Reads a run's status.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status, or <see langword="null"/> if there is no run with that id.</returns>
    public async Task<SimulationRunStatus?> GetStatusAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var status = await db.SimulationRuns.Where(r => r.Id == runId).Select(r => r.Status).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return status is null ? null : SimulationRunStatusNames.FromStored(status);
    }

    /// <summary>Lists the runs of a scenario, newest first.</summary>
    /// <param name="scenarioId">The scenario.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs; empty when there are none.</returns>
    public async Task<IReadOnlyList<SimulationRun>> ListAsync(long scenarioId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await db.SimulationRuns.Where(r => r.ScenarioId == scenarioId).OrderByDescending(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToRun)];
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

    /// <summary>Completes a run with its results, all in one transaction.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="workerId">The worker that claimed it.</param>
    /// <param name="iterations">How many iterations were run, ≥ 1 (fewer than requested when a convergence rule stopped it).</param>
    /// <param name="summaryJson">The summary statistics as a JSON document, from the simulation engine.</param>
    /// <param name="samples">The per-iteration values to keep, each column <paramref name="iterations"/> long; or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write, which then writes nothing.</param>
    /// <returns>Whether the run was completed; <see langword="false"/> (and nothing written) if the worker no longer holds it.</returns>
    /// <exception cref="ArgumentException">The summary is not JSON, or a sample column is empty, unnamed or of another length.</exception>
    public async Task<bool> CompleteAsync(long runId, string workerId, int iterations, string summaryJson, SimulationSamples? samples, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        CheckSummary(summaryJson);
        if (samples is not null)
        {
            CheckSamples(samples, iterations);
        }

        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await Held(db, runId, workerId)
            .Set(r => r.Status, Succeeded)
            .Set(r => r.Progress, 1.0)
            .Set(r => r.SampleBytes, SampleBytes(samples))
            .Set(r => r.Error, (string?)null)
            .Set(r => r.FinishedAt, now)
            .Set(r => r.LeaseExpiresAt, (DateTimeOffset?)null)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            return false;
        }

        await db.InsertAsync(new SimulationResultRow { RunId = runId, Iterations = iterations, Summary = summaryJson, CreatedAt = now }, token: cancellationToken).ConfigureAwait(false);
        if (samples is not null)
        {
            var options = new BulkCopyOptions
            {
                // PostgreSQL: binary COPY. SQLite: prepared row-by-row inserts in the transaction.
                BulkCopyType = _database.IsPostgreSql ? BulkCopyType.ProviderSpecific : BulkCopyType.RowByRow,
            };
            await db.BulkCopyAsync(options, SampleChunks.Rows(runId, samples), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
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

    /// <summary>Cancels a queued or running run; a running run's worker learns it from its next heartbeat.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the run was cancelled; <see langword="false"/> if it does not exist or has already ended.</returns>
    public async Task<bool> CancelAsync(long runId, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var cancelled = await db.SimulationRuns
            .Where(r => r.Id == runId && (r.Status == Queued || r.Status == Running))
            .Set(r => r.Status, Cancelled)
            .Set(r => r.SampleBytes, 0L)
            .Set(r => r.FinishedAt, now)
            .Set(r => r.LeaseExpiresAt, (DateTimeOffset?)null)
            .UpdateAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (cancelled)
        {
            var scenarioId = await db.SimulationRuns.Where(r => r.Id == runId).Select(r => r.ScenarioId).SingleAsync(cancellationToken).ConfigureAwait(false);
            await AuditLog.RecordAsync(
                db, now, AuditActions.RunCancel, runId, await AuditLog.WorkspaceOfScenarioAsync(db, scenarioId, cancellationToken).ConfigureAwait(false),
                $"Cancelled run {runId} of scenario {scenarioId}", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return cancelled;
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

    /// <summary>Drops the samples of a completed run, keeping its summary, in one transaction.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether samples were dropped; <see langword="false"/> if the run has none (any more).</returns>
    public async Task<bool> DropSamplesAsync(long runId, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await db.SimulationRuns
            .Where(r => r.Id == runId && r.Status == Succeeded && r.KeepSamples && r.SamplesDroppedAt == null)
            .Set(r => r.SamplesDroppedAt, now)
            .Set(r => r.SampleBytes, 0L)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            return false;
        }

        await db.SimulationSamples.Where(s => s.RunId == runId).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Drops the samples of the completed runs that <paramref name="retention"/> no longer keeps, one run per transaction, oldest first;
    /// their summaries are kept for ever.
    /// </summary>
    /// <param name="retention">Which runs keep their samples.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>The runs whose samples were dropped.</returns>
    public async Task<IReadOnlyList<long>> ApplyRetentionAsync(SampleRetention retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retention);
        retention.Validate();
        var oldest = retention.MaxAge is { } age ? _time.GetUtcNow() - age : (DateTimeOffset?)null;
        List<(long Id, long ScenarioId, DateTimeOffset? FinishedAt)> holding;
        await using (var db = _database.Open())
        {
            var rows = await db.SimulationRuns
                .Where(r => r.Status == Succeeded && r.SamplesDroppedAt == null && r.SampleBytes > 0)
                .Select(r => new { r.Id, r.ScenarioId, r.FinishedAt })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            holding = [.. rows.Select(r => (r.Id, r.ScenarioId, r.FinishedAt))];
        }

        var drop = new SortedSet<long>();
        foreach (var scenario in holding.GroupBy(r => r.ScenarioId))
        {
            var newestFirst = scenario.OrderByDescending(r => r.Id).ToList();
            for (var i = 0; i < newestFirst.Count; i++)
            {
                if (i >= retention.RunsPerScenario || newestFirst[i].FinishedAt < oldest)
                {
                    drop.Add(newestFirst[i].Id);
                }
            }
        }

        var dropped = new List<long>();
        foreach (var runId in drop)
        {
            if (await DropSamplesAsync(runId, cancellationToken).ConfigureAwait(false))
            {
                dropped.Add(runId);
            }
        }

        return dropped;
    }

    /// <summary>Reads the summary of a completed run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The summary JSON, or <see langword="null"/> if the run has none.</returns>
    public async Task<string?> GetSummaryAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        return await db.SimulationResults.Where(r => r.RunId == runId).Select(r => r.Summary).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the samples of a completed run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The samples, or <see langword="null"/> if the run has no result. A result stored without samples gives empty columns.</returns>
    public async Task<SimulationSamples?> GetSamplesAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var iterations = await db.SimulationResults.Where(r => r.RunId == runId).Select(r => (int?)r.Iterations).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (iterations is null)
        {
            return null;
        }

        var outputs = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var rows = db.SimulationSamples.Where(s => s.RunId == runId).OrderBy(s => s.Kind).ThenBy(s => s.Name).ThenBy(s => s.Chunk).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var columns = row.Kind == SampleChunks.Output ? outputs : inputs;
            if (!columns.TryGetValue(row.Name, out var values))
            {
                columns.Add(row.Name, values = new double[iterations.Value]);
            }

            SampleChunks.Read(row, values);
        }

        return new SimulationSamples(outputs, inputs);
    }

    /// <summary>
    /// Writes the samples of a completed run as CSV (<see cref="CalMiner.Simulation.SampleCsvWriter"/>: the inputs, then the outputs, each
    /// in name order), reading them from the database a window of iterations at a time, so that the memory it takes
    /// does not grow with the run's iterations.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="writer">Where to write; flushed and left open.</param>
    /// <param name="cancellationToken">Stops the reading and writing.</param>
    /// <returns>Whether the run has stored samples; <see langword="false"/> (and nothing written) if not.</returns>
    public async Task<bool> WriteSamplesCsvAsync(long runId, TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int iterations;
        List<string> names;
        await using (var db = _database.Open())
        {
            var stored = await db.SimulationResults.Where(r => r.RunId == runId).Select(r => (int?)r.Iterations).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            // The order of the old whole-run read, which the windows below repeat: kind (input before output), then name.
            names = await db.SimulationSamples.Where(s => s.RunId == runId && s.Chunk == 0).OrderBy(s => s.Kind).ThenBy(s => s.Name)
                .Select(s => s.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (stored is null || names.Count == 0)
            {
                return false;
            }

            iterations = stored.Value;
        }

        var window = SampleChunks.Window(names.Count);
        var columns = names.Select(_ => new double[window]).ToArray();
        var bytes = new byte[window * sizeof(double)];
        var csv = new CalMiner.Simulation.SampleCsvWriter(writer, names);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT substr(data, @from, @length) FROM simulation_sample
            WHERE run_id = @run AND chunk = @chunk ORDER BY kind, name
            """;
        var (run, chunk, from, length) = (command.AddParameter("run", runId), command.AddParameter("chunk", 0), command.AddParameter("from", 0), command.AddParameter("length", 0));
        for (var start = 0; start < iterations; start += window)
        {
            var count = Math.Min(window, iterations - start);
            (chunk.Value, from.Value, length.Value) = (start / SampleChunks.Size, 1 + (start % SampleChunks.Size * sizeof(double)), count * sizeof(double));
            await using (var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false))
            {
                var c = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (c == columns.Length || reader.GetBytes(0, 0, bytes, 0, count * sizeof(double)) != count * sizeof(double))
                    {
                        throw NotWhole(runId, start);
                    }

                    SampleChunks.Read(bytes.AsSpan(0, count * sizeof(double)), columns[c++]);
                }

                if (c != columns.Length)
                {
                    throw NotWhole(runId, start);
                }
            }

            await csv.WriteRowsAsync(columns, count, cancellationToken).ConfigureAwait(false);
        }

        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static InvalidOperationException NotWhole(long runId, int start) =>
        new($"The samples of run {runId} are not whole at iteration {start + 1}: a column lacks it.");

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

    private static void CheckSettings(SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var document = new ScenarioDocument("settings", "USD", 2000, 1, 0, [], [], Simulation: settings);
        var errors = document.Validate().Where(e => e.Path.StartsWith("simulation", StringComparison.Ordinal)).ToList();
        if (errors.Count > 0)
        {
            ThrowHelper.ThrowArgument(nameof(settings), string.Join("; ", errors));
        }
    }

    private static void CheckSummary(string summaryJson)
    {
        ArgumentNullException.ThrowIfNull(summaryJson);
        try
        {
            using var _ = JsonDocument.Parse(summaryJson);
        }
        catch (JsonException e)
        {
            ThrowHelper.ThrowArgument(nameof(summaryJson), $"summaryJson must be a JSON document: {e.Message}");
        }
    }

    private static void CheckSamples(SimulationSamples samples, int iterations)
    {
        foreach (var (name, values) in samples.Outputs.Concat(samples.Inputs))
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
            {
                ThrowHelper.ThrowArgument(nameof(samples), $"Every sample column needs a name of 1..{MaxNameLength} characters.");
            }

            if (values is null || values.Length != iterations)
            {
                ThrowHelper.ThrowArgument(nameof(samples), $"Sample column \"{name}\" must have one value per iteration ({iterations}), not {values?.Length ?? 0}.");
            }
        }
    }

    private static SimulationRun ToRun(SimulationRunRow r) => new(
        r.Id,
        r.ScenarioId,
        r.ScenarioVersion,
        SimulationRunStatusNames.FromStored(r.Status),
        ScenarioGraph.ToSettings(r.Iterations, r.Seed, r.Sampling, r.ConvergenceMetric, r.ConvergenceRelativeTolerance, r.ConvergenceConfidence, r.ConvergenceMaxIterations),
        r.Progress,
        r.Attempts,
        r.WorkerId,
        r.LeaseExpiresAt?.ToUniversalTime(),
        r.QueuedAt.ToUniversalTime(),
        r.RequestedBy,
        r.StartedAt?.ToUniversalTime(),
        r.FinishedAt?.ToUniversalTime(),
        r.Error)
    {
        RepairCorrelations = r.RepairCorrelations,
        KeepSamples = r.KeepSamples,
        SampleBytes = r.SampleBytes,
        SamplesDroppedAt = r.SamplesDroppedAt?.ToUniversalTime(),
    };

    private static long SampleBytes(SimulationSamples? samples) =>
        samples is null ? 0 : samples.Outputs.Values.Concat(samples.Inputs.Values).Sum(c => (long)c.Length * sizeof(double));
}
