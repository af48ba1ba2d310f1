using System.Text.RegularExpressions;
using CalMiner.Data.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;

namespace CalMiner.Data;

/// <summary>
/// Cached reads of scenarios, simulation summaries and deterministic evaluations, through
/// <see cref="HybridCache"/>: in memory, and in Redis as well when <c>REDIS_URL</c> is set. Every
/// key carries the scenario's id and version (or a finished run's id), so a read is never stale;
/// writes through the repositories evict the old entries. If Redis is unavailable, reads are
/// served from the database with a logged warning, never an exception.
/// </summary>
public sealed partial class CalMinerCache
{
    private readonly HybridCache _cache;
    private readonly ScenarioRepository _scenarios;
    private readonly ScenarioHistoryRepository _history;
    private readonly SimulationRunRepository _runs;
    private readonly IDistributedCache? _distributed;

    internal CalMinerCache(HybridCache cache, ScenarioRepository scenarios, ScenarioHistoryRepository history, SimulationRunRepository runs, IDistributedCache? distributed)
    {
        _cache = cache;
        _scenarios = scenarios;
        _history = history;
        _runs = runs;
        _distributed = distributed;
    }

    /// <summary>Whether the distributed cache (Redis) answers; <see langword="true"/> when none is configured.</summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <remarks>For readiness checks: an unreachable Redis slows reads down but breaks nothing.</remarks>
    public async Task<bool> IsDistributedCacheReachableAsync(CancellationToken cancellationToken = default)
    {
        if (_distributed is null)
        {
            return true;
        }

        // A read of a key nobody writes; the resilient wrapper turns a failure into a miss and marks Redis down.
        await _distributed.GetAsync("health-probe", cancellationToken).ConfigureAwait(false);
        return _distributed is not ResilientDistributedCache { IsBypassed: true };
    }

    /// <summary>Reads the latest version of a scenario, from the cache when it holds that version.</summary>
    /// <param name="id">The scenario's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The scenario, or <see langword="null"/> if there is none with that id.</returns>
    /// <remarks>Asks the database for the latest version number first (one indexed lookup), so it never returns an older version.</remarks>
    public async Task<StoredScenario?> GetScenarioAsync(long id, CancellationToken cancellationToken = default)
    {
        var version = await _scenarios.GetVersionAsync(id, cancellationToken).ConfigureAwait(false);
        return version is null ? null : await GetScenarioVersionAsync(id, version.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one version of a scenario, from the cache when it holds it.</summary>
    /// <param name="id">The scenario's id.</param>
    /// <param name="version">The version, e.g. from an ETag.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>That version, or <see langword="null"/> if it does not exist.</returns>
    public async Task<StoredScenario?> GetScenarioVersionAsync(long id, int version, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _cache.GetOrCreateAsync(
                CacheKeys.Scenario(id, version),
                (History: _history, Id: id, Version: version),
                static async (state, token) =>
                    await state.History.GetAsync(state.Id, state.Version, token).ConfigureAwait(false) ?? throw new NotFoundSignalException(),
                tags: [CacheKeys.ScenarioTag(id)],
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundSignalException)
        {
            // Absence is not cached: the version may be saved later.
            return null;
        }
    }

    /// <summary>Reads the summary of a completed simulation run, from the cache when it holds it.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The summary JSON, or <see langword="null"/> if the run does not exist or has not completed.</returns>
    public async Task<string?> GetSimulationSummaryAsync(long runId, CancellationToken cancellationToken = default)
    {
        // Only a completed run's summary is cached: it never changes afterwards.
        if (await _runs.GetStatusAsync(runId, cancellationToken).ConfigureAwait(false) != SimulationRunStatus.Succeeded)
        {
            return null;
        }

        try
        {
            return await _cache.GetOrCreateAsync(
                CacheKeys.Summary(runId),
                (Runs: _runs, Id: runId),
                static async (state, token) =>
                    await state.Runs.GetSummaryAsync(state.Id, token).ConfigureAwait(false) ?? throw new NotFoundSignalException(),
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundSignalException)
        {
            return null;
        }
    }

    /// <summary>
    /// Returns the cached result of a deterministic computation on one version of a scenario (for
    /// example its cash-flow evaluation), computing and caching it on a miss.
    /// </summary>
    /// <typeparam name="T">The result type; serialised with System.Text.Json unless a HybridCache serializer is registered for it.</typeparam>
    /// <param name="kind">What is computed, e.g. <c>evaluation</c>: lower-case letters, digits and hyphens, 1..40 characters.</param>
    /// <param name="scenarioId">The scenario's id.</param>
    /// <param name="version">The version the computation is based on.</param>
    /// <param name="factory">Computes the result on a miss; it must depend on nothing but that scenario version.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The cached or computed result.</returns>
    public ValueTask<T> GetOrCreateAsync<T>(string kind, long scenarioId, int version, Func<CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(factory);
        if (!KindPattern().IsMatch(kind))
        {
            ThrowHelper.ThrowArgument(nameof(kind), "kind must be 1..40 lower-case letters, digits and hyphens, e.g. \"evaluation\".");
        }

        return _cache.GetOrCreateAsync(
            CacheKeys.Evaluation(kind, scenarioId, version),
            factory,
            static (f, token) => f(token),
            tags: [CacheKeys.ScenarioTag(scenarioId)],
            cancellationToken: cancellationToken);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex KindPattern();

    /// <summary>Carries "not found" out of a cache factory without caching it.</summary>
    private sealed class NotFoundSignalException : Exception;
}
