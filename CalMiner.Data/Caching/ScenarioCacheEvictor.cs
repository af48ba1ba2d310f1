using Microsoft.Extensions.Caching.Hybrid;

namespace CalMiner.Data.Caching;

/// <summary>
/// Drops the cached entries of a scenario after a write. Keys carry the version, so this frees
/// memory rather than preventing stale reads; it never fails a write that has been committed.
/// </summary>
internal sealed class ScenarioCacheEvictor(HybridCache cache)
{
    public async Task ScenarioChangedAsync(long id, int oldVersion)
    {
        try
        {
            await cache.RemoveAsync(CacheKeys.Scenario(id, oldVersion)).ConfigureAwait(false);
            await cache.RemoveByTagAsync(CacheKeys.ScenarioTag(id)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The write is committed; a cache that cannot be reached only keeps an unreachable entry.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
