using CalMiner.Data.Audit;
using CalMiner.Data.Database;
using CalMiner.Data.Scenarios;
using CalMiner.Scenarios;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace CalMiner.Data;

/// <summary>
/// The simulation run queue. A run is queued for one version of a scenario; a worker claims the
/// oldest queued run (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so two workers never get
/// the same run), holds a lease on it that heartbeats renew, and completes it with its summary and
/// samples in one transaction, or fails it. A run whose lease expires, because its worker died, is
/// queued again by <see cref="RequeueExpiredAsync"/>.
/// </summary>
/// <remarks>
/// This file queues, reads and cancels runs; <c>SimulationRunRepository.Claims.cs</c> holds the workers' side (claims,
/// leases, heartbeats, the end of a run), <c>.Quota.cs</c> the limits checked when a run is queued, and
/// <c>.Results.cs</c> the summaries and samples a run leaves.
/// </remarks>
public sealed partial class SimulationRunRepository
{
    private const int MaxNameLength = 200;
    private const int MaxIterations = 100_000_000;

    private const string Queued = SimulationRunStatusNames.StoredQueued;
    private const string Running = SimulationRunStatusNames.StoredRunning;
    private const string Succeeded = SimulationRunStatusNames.StoredSucceeded;
    private const string Failed = SimulationRunStatusNames.StoredFailed;
    private const string Cancelled = SimulationRunStatusNames.StoredCancelled;

    private readonly CalMinerDatabase _database;
    private readonly TimeProvider _time;

    internal SimulationRunRepository(CalMinerDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
        QueueChannel = $"calminer_runs_{database.Id}";
    }

    /// <summary>
    /// The NOTIFY channel of this database's queue, <c>calminer_runs_</c> and <see cref="CalMinerDatabase.Id"/>: one per
    /// database and schema, so that schemas on one server stay apart. Also names the advisory lock of the quota checks.
    /// </summary>
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
}
