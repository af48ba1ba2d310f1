using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;

namespace CalMiner.Data.Caching;

/// <summary>
/// Wraps the Redis cache so that an outage slows CalMiner down but never breaks it: a failing call
/// is logged (once per outage, as a warning) and treated as a miss, and the cache is left alone for
/// <see cref="RetryInterval"/> before it is tried again, so requests do not each wait for a timeout.
/// The first call that succeeds after an outage puts it back in use.
/// </summary>
internal sealed partial class ResilientDistributedCache : IBufferDistributedCache, IDisposable
{
    private readonly IDistributedCache _inner;
    private readonly IBufferDistributedCache? _buffered;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _retryAtTicks;
    private int _down;

    public ResilientDistributedCache(IDistributedCache inner, TimeProvider time, ILogger<ResilientDistributedCache> logger, TimeSpan? retryInterval = null)
    {
        _inner = inner;
        _buffered = inner as IBufferDistributedCache;
        _time = time;
        _logger = logger;
        RetryInterval = retryInterval ?? TimeSpan.FromSeconds(2);
    }

    /// <summary>How long the cache is bypassed after a failure.</summary>
    public TimeSpan RetryInterval { get; }

    /// <summary>Whether the cache is being bypassed after a failure.</summary>
    public bool IsBypassed => Volatile.Read(ref _down) == 1 && _time.GetUtcNow().UtcTicks < Volatile.Read(ref _retryAtTicks);

    public byte[]? Get(string key) => Call(() => _inner.Get(key), null);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        CallAsync(() => _inner.GetAsync(key, token), null, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        Call(() => { _inner.Set(key, value, options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        CallAsync(async () => { await _inner.SetAsync(key, value, options, token).ConfigureAwait(false); return true; }, false, token);

    public void Refresh(string key) => Call(() => { _inner.Refresh(key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        CallAsync(async () => { await _inner.RefreshAsync(key, token).ConfigureAwait(false); return true; }, false, token);

    public void Remove(string key) => Call(() => { _inner.Remove(key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        CallAsync(async () => { await _inner.RemoveAsync(key, token).ConfigureAwait(false); return true; }, false, token);

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        if (_buffered is null)
        {
            var value = Get(key);
            if (value is null)
            {
                return false;
            }

            destination.Write(value);
            return true;
        }

        return Call(() => _buffered.TryGet(key, destination), false);
    }

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        if (_buffered is null)
        {
            var value = await GetAsync(key, token).ConfigureAwait(false);
            if (value is null)
            {
                return false;
            }

            destination.Write(value);
            return true;
        }

        return await CallAsync(() => _buffered.TryGetAsync(key, destination, token).AsTask(), false, token).ConfigureAwait(false);
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        if (_buffered is null)
        {
            Set(key, value.ToArray(), options);
            return;
        }

        Call(() => { _buffered.Set(key, value, options); return true; }, false);
    }

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (_buffered is null)
        {
            await SetAsync(key, value.ToArray(), options, token).ConfigureAwait(false);
            return;
        }

        await CallAsync(async () => { await _buffered.SetAsync(key, value, options, token).ConfigureAwait(false); return true; }, false, token).ConfigureAwait(false);
    }

    public void Dispose() => (_inner as IDisposable)?.Dispose();

    private T Call<T>(Func<T> call, T fallback)
    {
        if (IsBypassed)
        {
            return fallback;
        }

        try
        {
            var result = call();
            Succeeded();
            return result;
        }
#pragma warning disable CA1031 // Any failure of the cache is a miss: the database answers instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(e);
            return fallback;
        }
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, T fallback, CancellationToken token)
    {
        if (IsBypassed)
        {
            return fallback;
        }

        try
        {
            var result = await call().ConfigureAwait(false);
            Succeeded();
            return result;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure of the cache is a miss: the database answers instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(e);
            return fallback;
        }
    }

    private void Failed(Exception e)
    {
        Volatile.Write(ref _retryAtTicks, (_time.GetUtcNow() + RetryInterval).UtcTicks);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogUnavailable(_logger, RetryInterval.TotalSeconds, e);
        }
    }

    private void Succeeded()
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogAvailable(_logger);
        }
    }

    [LoggerMessage(CalMinerEventId.CacheUnavailable, LogLevel.Warning, "The distributed cache (Redis) is unavailable; reads are served from the database and it is tried again every {RetrySeconds} s")]
    private static partial void LogUnavailable(ILogger logger, double retrySeconds, Exception exception);

    [LoggerMessage(CalMinerEventId.CacheAvailable, LogLevel.Information, "The distributed cache (Redis) is available again")]
    private static partial void LogAvailable(ILogger logger);
}
