using CalMiner.Scenarios;
using CalMiner.Simulation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CalMiner.Data;

/// <summary>
/// Runs the simulations of the run queue: claims a run, simulates the scenario version it recorded
/// with its settings while renewing its lease, and stores the result. The worker host and the web
/// host's in-process runner are loops around <see cref="RunAsync"/>; the web API runs small
/// simulations inside a request with <see cref="RunNowAsync"/>, through the same queue, so every
/// run is recorded the same way.
/// </summary>
/// <remarks>
/// A completed run stores <see cref="SimulationJson.ToJson"/> of the engine's result, with the
/// engine's wall time as <c>seconds</c> (as <c>calminer simulate</c> writes it), and every
/// iteration's inputs and outputs, in one transaction. A run that is cancelled, or whose lease went to another worker, stops at its
/// next heartbeat and writes nothing. An invalid scenario or settings fail the run with a message
/// naming the problem; so does any other failure inside the run (running out of memory, a result that
/// cannot be stored), and the worker goes on with the next run. Progress is written at most every
/// <see cref="SimulationRunProcessorOptions.ProgressInterval"/>. With a
/// <see cref="SimulationRunProcessorOptions.Retention"/>, the samples it no longer keeps are dropped after every run and
/// periodically while the queue is empty. When the caller's token is cancelled (host shutdown) the run is given back to
/// the queue for another worker.
/// </remarks>
public sealed partial class SimulationRunProcessor
{
    // How often RunNowAsync looks at a run that another worker claimed first.
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(200);

    private readonly SimulationRunRepository _runs;
    private readonly CalMinerCache _cache;
    private readonly SimulationRunProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // When an idle RunAsync last applied the retention policy (a TimeProvider timestamp; 0: not yet).
    private long _retainedAt;

    internal SimulationRunProcessor(SimulationRunRepository runs, CalMinerCache cache, SimulationRunProcessorOptions options, TimeProvider time, ILogger<SimulationRunProcessor>? logger)
    {
        options.Validate();
        _runs = runs;
        _cache = cache;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<SimulationRunProcessor>.Instance;
    }

    /// <summary>
    /// Queues again the runs whose lease expired, then claims the oldest queued run and processes it:
    /// completes it with its results, or fails it with a message when its scenario or settings are invalid.
    /// </summary>
    /// <param name="workerId">Names this worker, e.g. host name and process id; not empty, at most 200 characters.</param>
    /// <param name="cancellationToken">Host shutdown: stops the simulation and gives the run back to the queue, then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>Whether a run was claimed; <see langword="false"/> when the queue is empty.</returns>
    /// <remarks>A database error is thrown; a run claimed before it is queued again when its lease expires.</remarks>
    public async Task<bool> ProcessNextAsync(string workerId, CancellationToken cancellationToken = default)
    {
        SimulationRunRepository.CheckWorker(workerId, _options.Lease);
        await _runs.RequeueExpiredAsync(_options.MaxAttempts, cancellationToken).ConfigureAwait(false);
        var run = await _runs.ClaimAsync(workerId, _options.Lease, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return false;
        }

        await ProcessAsync(run, workerId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Processes queued runs one after another, waiting for new ones when the queue is empty
    /// (woken by LISTEN/NOTIFY on PostgreSQL, every <see cref="SimulationRunProcessorOptions.IdleWait"/>
    /// on SQLite), until <paramref name="cancellationToken"/> is cancelled. A database error is logged
    /// and the loop goes on after <see cref="SimulationRunProcessorOptions.IdleWait"/>.
    /// </summary>
    /// <param name="workerId">Names this worker, e.g. host name and process id; not empty, at most 200 characters.</param>
    /// <param name="cancellationToken">Host shutdown: the run in progress goes back to the queue and the method returns.</param>
    /// <returns>A task that ends when <paramref name="cancellationToken"/> is cancelled.</returns>
    public async Task RunAsync(string workerId, CancellationToken cancellationToken)
    {
        SimulationRunRepository.CheckWorker(workerId, _options.Lease);
        LogStarted(_logger, workerId);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!await ProcessNextAsync(workerId, cancellationToken).ConfigureAwait(false))
                {
                    if (_options.Retention is { } retention && (_retainedAt == 0 || _time.GetElapsedTime(_retainedAt) >= retention.Interval))
                    {
                        _retainedAt = _time.GetTimestamp();
                        await RetainAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await _runs.WaitForQueuedRunAsync(_options.IdleWait, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // E.g. the database is unreachable: keep the worker alive and try again.
                LogLoopFailed(_logger, workerId, _options.IdleWait.TotalSeconds, e);
                try
                {
                    await Task.Delay(_options.IdleWait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        LogStopped(_logger, workerId);
    }

    /// <summary>
    /// Claims one queued run and processes it now, e.g. a small simulation inside a web request. If
    /// another worker claimed it first, waits until that worker has finished it.
    /// </summary>
    /// <param name="runId">The run, as queued by <see cref="SimulationRunRepository.QueueAsync"/>.</param>
    /// <param name="workerId">Names this worker, e.g. host name and process id; not empty, at most 200 characters.</param>
    /// <param name="cancellationToken">Stops waiting; a run this call was processing goes back to the queue for another worker. Then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The run as it ended: <see cref="SimulationRunStatus.Succeeded"/> (its summary and samples stored), <see cref="SimulationRunStatus.Failed"/> or <see cref="SimulationRunStatus.Cancelled"/>.</returns>
    /// <exception cref="ArgumentException">There is no run <paramref name="runId"/>.</exception>
    public async Task<SimulationRun> RunNowAsync(long runId, string workerId, CancellationToken cancellationToken = default)
    {
        SimulationRunRepository.CheckWorker(workerId, _options.Lease);
        while (true)
        {
            if (await _runs.ClaimRunAsync(runId, workerId, _options.Lease, cancellationToken).ConfigureAwait(false) is { } claimed)
            {
                await ProcessAsync(claimed, workerId, cancellationToken).ConfigureAwait(false);
            }

            var run = await _runs.GetAsync(runId, cancellationToken).ConfigureAwait(false)
                ?? ThrowHelper.ThrowArgument<SimulationRun>(nameof(runId), $"There is no simulation run {runId}.");
            switch (run.Status)
            {
                case SimulationRunStatus.Queued:
                    continue;
                case SimulationRunStatus.Running:
                    // Another worker has it: wait for its end, or for its lease to expire if it died.
                    await Task.Delay(FollowInterval, _time, cancellationToken).ConfigureAwait(false);
                    if (run.LeaseExpiresAt < _time.GetUtcNow())
                    {
                        await _runs.RequeueExpiredAsync(_options.MaxAttempts, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                default:
                    return run;
            }
        }
    }

    private async Task ProcessAsync(SimulationRun run, string workerId, CancellationToken cancellationToken)
    {
        try
        {
            LogClaimed(_logger, run.Id, run.ScenarioId, run.ScenarioVersion, workerId);
            var stored = await _cache.GetScenarioVersionAsync(run.ScenarioId, run.ScenarioVersion, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                await FailAsync(run, workerId, $"Scenario {run.ScenarioId} has no version {run.ScenarioVersion}.").ConfigureAwait(false);
                return;
            }

            // The run's settings replace the document's own, convergence rule included, as the engine reads it from there.
            var scenario = stored.Document with { Simulation = run.Settings };

            // The run may have been queued under a larger budget, or by another host.
            if (_options.MemoryBudget is { } budget
                && SimulationMemoryBudget.Refusal(scenario, run.Settings, run.KeepSamples, budget, "this worker's memory budget", _options.MaxDegreeOfParallelism) is { } refusal)
            {
                await FailAsync(run, workerId, refusal).ConfigureAwait(false);
                return;
            }

            SimulationResult result;
            var started = _time.GetTimestamp();
            try
            {
                result = await SimulateAsync(run, workerId, scenario, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidScenarioException e)
            {
                await FailAsync(run, workerId, e.Message).ConfigureAwait(false);
                return;
            }
            catch (ArgumentException e)
            {
                // Options out of range.
                await FailAsync(run, workerId, $"The simulation cannot run: {e.Message}").ConfigureAwait(false);
                return;
            }
            catch (HeldElsewhereException)
            {
                LogNoLongerHeld(_logger, run.Id, workerId);
                return;
            }

            var seconds = Math.Round(_time.GetElapsedTime(started).TotalSeconds, 3);
            var samples = result.Samples is { } kept ? new SimulationSamples(kept.Outputs, kept.Inputs) : null;
            // Not cancellable: a finished result is worth the second its write takes during a shutdown.
            var completed = await _runs.CompleteAsync(run.Id, workerId, result.Iterations, result.ToJson(seconds), samples, CancellationToken.None).ConfigureAwait(false);
            if (completed)
            {
                LogCompleted(_logger, run.Id, result.Iterations);
            }
            else
            {
                LogNoLongerHeld(_logger, run.Id, workerId);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _runs.ReleaseAsync(run.Id, workerId, CancellationToken.None).ConfigureAwait(false);
            LogReleased(_logger, run.Id, workerId);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else goes wrong inside the run (the engine, its memory, storing its result) ends this run, not the worker.
            LogEngineFailed(_logger, run.Id, e);
            try
            {
                await FailAsync(run, workerId, Describe(e)).ConfigureAwait(false);
            }
            catch (Exception failing) when (failing is not OperationCanceledException)
            {
                // The database is away too: the lease expires and RequeueExpiredAsync counts the attempt.
                LogFailFailed(_logger, run.Id, failing);
            }
        }

        if (_options.Retention is not null)
        {
            await RetainAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The message a run fails with when something unexpected stopped it.</summary>
    private static string Describe(Exception e)
    {
        var cause = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : e;
        return cause is OutOfMemoryException || (e is AggregateException all && all.Flatten().InnerExceptions.Any(i => i is OutOfMemoryException))
            ? "The simulation ran out of memory: ask for fewer iterations or no samples, or simulate fewer uncertain inputs."
            : $"The simulation failed: {cause.Message}";
    }

    /// <summary>Drops the samples the retention policy no longer keeps; a failure is logged, and the next pass tries again.</summary>
    private async Task RetainAsync(CancellationToken cancellationToken)
    {
        try
        {
            var dropped = await _runs.ApplyRetentionAsync(_options.Retention!, cancellationToken).ConfigureAwait(false);
            if (dropped.Count > 0)
            {
                LogSamplesDropped(_logger, dropped.Count, string.Join(", ", dropped));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRetentionFailed(_logger, e);
        }
    }

    /// <summary>Runs the engine on a worker thread while heartbeats renew the lease; stops it when the run is no longer held.</summary>
    /// <exception cref="HeldElsewhereException">A heartbeat found the run cancelled or claimed by another worker.</exception>
    private async Task<SimulationResult> SimulateAsync(SimulationRun run, string workerId, ScenarioDocument scenario, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var beating = new CancellationTokenSource();
        var progress = new RunProgress();
        var options = new SimulationOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, KeepSamples = run.KeepSamples, RepairCorrelations = run.RepairCorrelations };
        var heartbeats = HeartbeatAsync(run.Id, workerId, progress, stop, beating.Token);
        try
        {
            // The engine is awaited to its end even when stopped, so that its threads are free before the next run.
            // It starts on a thread of its own: on a pool thread it would hold one more of the few the heartbeats
            // and the host's requests need (on two cores, both), and they would wait for the pool to grow.
            return await Task.Factory.StartNew(
                () => MonteCarlo.Run(scenario, options, progress, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && stop.IsCancellationRequested)
        {
            throw new HeldElsewhereException();
        }
        finally
        {
            await beating.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every <see cref="SimulationRunProcessorOptions.ProgressInterval"/> writes the progress when it moved, and at least every
    /// <see cref="SimulationRunProcessorOptions.HeartbeatInterval"/> renews the lease; each write also learns whether the run is still held.
    /// </summary>
    private async Task HeartbeatAsync(long runId, string workerId, RunProgress progress, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ProgressInterval < _options.HeartbeatInterval ? _options.ProgressInterval : _options.HeartbeatInterval, _time);
        var (written, beatAt) = (0.0, _time.GetTimestamp());
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var fraction = progress.Fraction;
                if (fraction == written && _time.GetElapsedTime(beatAt) < _options.HeartbeatInterval)
                {
                    continue;
                }

                bool held;
                try
                {
                    held = await _runs.HeartbeatAsync(runId, workerId, _options.Lease, fraction, cancellationToken).ConfigureAwait(false);
                    (written, beatAt) = (fraction, _time.GetTimestamp());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A missed beat is not yet a lost lease; if the database stays away the lease expires and the next beat says so.
                    LogHeartbeatFailed(_logger, runId, e);
                    continue;
                }

                if (!held)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The engine ended.
        }
    }

    private async Task FailAsync(SimulationRun run, string workerId, string error)
    {
        if (await _runs.FailAsync(run.Id, workerId, error, CancellationToken.None).ConfigureAwait(false))
        {
            LogFailed(_logger, run.Id, error);
        }
    }

    [LoggerMessage(CalMinerEventId.WorkerStarted, LogLevel.Information, "Simulation worker {WorkerId} started")]
    private static partial void LogStarted(ILogger logger, string workerId);

    [LoggerMessage(CalMinerEventId.WorkerStopped, LogLevel.Information, "Simulation worker {WorkerId} stopped")]
    private static partial void LogStopped(ILogger logger, string workerId);

    [LoggerMessage(CalMinerEventId.RunClaimed, LogLevel.Information, "Simulation run {RunId} (scenario {ScenarioId} version {ScenarioVersion}) claimed by {WorkerId}")]
    private static partial void LogClaimed(ILogger logger, long runId, long scenarioId, int scenarioVersion, string workerId);

    [LoggerMessage(CalMinerEventId.RunSucceeded, LogLevel.Information, "Simulation run {RunId} completed with {Iterations} iterations")]
    private static partial void LogCompleted(ILogger logger, long runId, int iterations);

    [LoggerMessage(CalMinerEventId.RunFailed, LogLevel.Warning, "Simulation run {RunId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, long runId, string error);

    [LoggerMessage(CalMinerEventId.RunNoLongerHeld, LogLevel.Information, "Simulation run {RunId} is no longer held by {WorkerId} (cancelled, or its lease went to another worker); its result is dropped")]
    private static partial void LogNoLongerHeld(ILogger logger, long runId, string workerId);

    [LoggerMessage(CalMinerEventId.RunReleased, LogLevel.Information, "Simulation run {RunId} given back to the queue by {WorkerId}")]
    private static partial void LogReleased(ILogger logger, long runId, string workerId);

    [LoggerMessage(CalMinerEventId.RunFailedUnexpectedly, LogLevel.Error, "Simulation run {RunId} failed unexpectedly")]
    private static partial void LogEngineFailed(ILogger logger, long runId, Exception exception);

    [LoggerMessage(CalMinerEventId.HeartbeatFailed, LogLevel.Warning, "Simulation run {RunId}: a heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, long runId, Exception exception);

    [LoggerMessage(CalMinerEventId.QueueFailed, LogLevel.Error, "Simulation worker {WorkerId}: processing the queue failed; trying again in {RetrySeconds} s")]
    private static partial void LogLoopFailed(ILogger logger, string workerId, double retrySeconds, Exception exception);

    [LoggerMessage(CalMinerEventId.SamplesDropped, LogLevel.Information, "Samples of {Count} simulation runs dropped by the retention policy: {RunIds}")]
    private static partial void LogSamplesDropped(ILogger logger, int count, string runIds);

    [LoggerMessage(CalMinerEventId.RetentionFailed, LogLevel.Warning, "Applying the samples' retention policy failed; the next pass tries again")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(CalMinerEventId.RunNotMarkedFailed, LogLevel.Error, "Simulation run {RunId} could not be marked failed; its lease will expire")]
    private static partial void LogFailFailed(ILogger logger, long runId, Exception exception);

    /// <summary>How far the run is (<see cref="SimulationProgress.RunFraction"/>), never going back, read by the heartbeats.</summary>
    private sealed class RunProgress : IProgress<SimulationProgress>
    {
        private readonly Lock _lock = new();
        private double _fraction;

        public double Fraction
        {
            get
            {
                lock (_lock)
                {
                    return _fraction;
                }
            }
        }

        // Called from the engine's threads, out of order.
        public void Report(SimulationProgress value)
        {
            var fraction = value.RunFraction;
            lock (_lock)
            {
                _fraction = Math.Max(_fraction, fraction);
            }
        }
    }

    /// <summary>A heartbeat found the run cancelled or claimed by another worker.</summary>
    private sealed class HeldElsewhereException : Exception;
}
