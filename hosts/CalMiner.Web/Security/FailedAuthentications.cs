using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CalMiner.Web.Hosting;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Security;

/// <summary>
/// Failed API-key authentications, per client address: past <see cref="WebOptions.FailedAuthenticationsPerMinute"/>
/// in a minute, an address gets 429 for whatever key it sends until the minute is over (a key this host already
/// knows to be valid still works), so a flood of guessed keys costs no lookups. The log gets one line for the first
/// failure after a quiet spell and then one summary line per <see cref="SummaryInterval"/> while failures go on, never
/// a line per request.
/// </summary>
internal sealed partial class FailedAuthentications : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    // Beyond this many addresses in one window the rest share one count: memory stays bounded whoever floods.
    private const int MaxAddresses = 100_000;
    private const string Overflow = "*";

    private readonly ConcurrentDictionary<string, Counter> _addresses = new(StringComparer.Ordinal);
    private readonly int _limit;
    private readonly TimeProvider _time;
    private readonly ILogger<FailedAuthentications> _logger;
    private readonly ITimer _summary;
    private long _failed;
    private long _refused;
    private int _reporting;

    public FailedAuthentications(IOptions<WebOptions> options, TimeProvider time, ILogger<FailedAuthentications> logger)
    {
        _limit = options.Value.FailedAuthenticationsPerMinute;
        _time = time;
        _logger = logger;
        _summary = time.CreateTimer(_ => Summarise(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The address a limit applies to: an IPv4 address, or the /64 network of an IPv6 one (one host usually holds a
    /// whole /64, so a limit per IPv6 address would be no limit).
    /// </summary>
    public static string AddressKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>How long the client must wait when its address is over the limit, else <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter(HttpContext context)
    {
        var now = _time.GetUtcNow();
        if (!_addresses.TryGetValue(AddressKey(context), out var counter)
            && (_addresses.Count < MaxAddresses || !_addresses.TryGetValue(Overflow, out counter)))
        {
            return null;
        }

        lock (counter)
        {
            if (counter.Ends <= now || counter.Failures < _limit)
            {
                return null;
            }

            Interlocked.Increment(ref _refused);
            return counter.Ends - now;
        }
    }

    /// <summary>Counts a failed authentication from the request's address.</summary>
    public void Record(HttpContext context, string reason)
    {
        var now = _time.GetUtcNow();
        var address = AddressKey(context);
        if (_addresses.Count >= MaxAddresses && !_addresses.ContainsKey(address))
        {
            Prune(now);
            if (_addresses.Count >= MaxAddresses)
            {
                address = Overflow;
            }
        }

        var counter = _addresses.GetOrAdd(address, static _ => new Counter());
        lock (counter)
        {
            if (counter.Ends <= now)
            {
                counter.Ends = now + Window;
                counter.Failures = 0;
            }

            counter.Failures++;
        }

        if (Interlocked.Exchange(ref _reporting, 1) == 0)
        {
            // The first failure after a quiet spell is told as it is; the ones that follow are counted.
            LogFirstFailure(address, reason, SummaryInterval.TotalSeconds);
            _summary.Change(SummaryInterval, Timeout.InfiniteTimeSpan);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public void Dispose() => _summary.Dispose();

    private void Summarise()
    {
        var failed = Interlocked.Exchange(ref _failed, 0);
        var refused = Interlocked.Exchange(ref _refused, 0);
        Prune(_time.GetUtcNow());
        if (failed == 0 && refused == 0)
        {
            // Quiet again: the next failure is told at once.
            Volatile.Write(ref _reporting, 0);
            return;
        }

        LogSummary(failed, refused, SummaryInterval.TotalSeconds, _addresses.Count);
        _summary.Change(SummaryInterval, Timeout.InfiniteTimeSpan);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, counter) in _addresses)
        {
            if (counter.Ends <= now)
            {
                _addresses.TryRemove(address, out _);
            }
        }
    }

    private sealed class Counter
    {
        public DateTimeOffset Ends;
        public int Failures;
    }

    [LoggerMessage(WebEventId.ApiKeyFailed, LogLevel.Warning, "API-key authentication failed from {Address}: {Reason}. Further failures are counted and summarised every {Seconds} s.")]
    private partial void LogFirstFailure(string address, string reason, double seconds);

    [LoggerMessage(WebEventId.ApiKeyFailureSummary, LogLevel.Warning, "{Failed} more API-key authentications failed and {Refused} were refused with 429 in the last {Seconds} s; {Addresses} addresses failed within the last minute.")]
    private partial void LogSummary(long failed, long refused, double seconds, int addresses);
}
