using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CalMiner.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CalMiner.Web.Security;

/// <summary>
/// Authenticates API clients by <c>Authorization: Bearer &lt;key&gt;</c>. A key's user is kept in
/// memory for <see cref="CacheDuration"/>, so a busy client costs one database lookup per
/// half-minute rather than one per request; revoking a key through this host forgets it at once,
/// on other replicas within that time. Text that cannot be a key is refused without a lookup and
/// without being cached; an unknown key is remembered in <see cref="UnknownApiKeys"/>, which has a
/// size bound; failures are counted per address (<see cref="FailedAuthentications"/>), which also
/// logs them, in summary.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    UrlEncoder encoder,
    ApiKeyRepository keys,
    IMemoryCache cache,
    UnknownApiKeys unknown,
    FailedAuthentications failures)
    // No logger for the base class: it would write two lines for every failed request, which a flood turns into
    // gigabytes. FailedAuthentications logs failures in summary instead.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(30);

    private TimeSpan? _retryAfter;

    public static void Forget(IMemoryCache cache, long userId)
    {
        // Cancelled here rather than by the eviction callback, which the cache runs later on another thread: the
        // next request must already find the user's keys expired.
        if (cache.TryGetValue(UserKey(userId), out CancellationTokenSource? source))
        {
            source!.Cancel();
        }

        cache.Remove(UserKey(userId));
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header.Parameter;
        var wellFormed = ApiKeyRepository.IsWellFormedSecret(secret);
        // Cached by the secret's hash, never by what a client sent: that text could be anything, of any length.
        var hash = wellFormed ? Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(secret!))) : "";
        if (wellFormed && cache.TryGetValue(SecretKey(hash), out UserAccount? known))
        {
            return Success(known!);
        }

        if (failures.RetryAfter(Context) is { } wait)
        {
            _retryAfter = wait;
            return AuthenticateResult.Fail("Too many failed authentications from this address.");
        }

        if (!wellFormed)
        {
            return Failed("the API key is malformed");
        }

        if (unknown.Contains(hash))
        {
            return Failed("the API key is unknown");
        }

        var user = await keys.AuthenticateAsync(secret!, Context.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            unknown.Add(hash);
            return Failed("the API key is unknown");
        }

        using (var entry = cache.CreateEntry(SecretKey(hash)))
        {
            entry.AbsoluteExpirationRelativeToNow = CacheDuration;
            // Revocations and role changes of this user expire every cached key of theirs.
            entry.AddExpirationToken(UserToken(user.Id));
            entry.Value = user;
        }

        return Success(user);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (_retryAfter is { } wait)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests.",
                    detail: "Too many requests from this address failed authentication: wait and try again with a valid API key.")
                .ExecuteAsync(Context).ConfigureAwait(false);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
    }

    private AuthenticateResult Success(UserAccount user) =>
        AuthenticateResult.Success(new AuthenticationTicket(CalMinerClaims.Principal(user, Scheme.Name), Scheme.Name));

    private AuthenticateResult Failed(string reason)
    {
        failures.Record(Context, reason);
        return AuthenticateResult.Fail("The API key is not valid.");
    }

    private static string SecretKey(string hash) => "api-key:" + hash;

    private static string UserKey(long userId) => "api-key-user:" + userId;

    // One token per user, cancelled when Forget removes it: every key cached for that user expires with it.
    private CancellationChangeToken UserToken(long userId)
    {
        var source = cache.GetOrCreate(UserKey(userId), static entry =>
        {
            entry.RegisterPostEvictionCallback(static (_, value, _, _) => ((CancellationTokenSource)value!).Cancel());
            return new CancellationTokenSource();
        })!;
        return new CancellationChangeToken(source.Token);
    }
}

/// <summary>
/// Hashes of API keys that were looked up and not found, for <see cref="ApiKeyAuthenticationHandler.CacheDuration"/>,
/// at most <see cref="Hosting.WebOptions.UnknownApiKeyCacheEntries"/> of them: a client retrying a revoked key costs no
/// lookups, and a flood of random keys cannot grow the memory they take.
/// </summary>
internal sealed class UnknownApiKeys(IOptions<Hosting.WebOptions> options) : IDisposable
{
    private readonly MemoryCache _hashes = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.UnknownApiKeyCacheEntries) });
    private readonly bool _enabled = options.Value.UnknownApiKeyCacheEntries > 0;

    /// <summary>How many hashes are held now.</summary>
    public int Count => _hashes.Count;

    public bool Contains(string hash) => _enabled && _hashes.TryGetValue(hash, out _);

    public void Add(string hash)
    {
        if (_enabled)
        {
            // Past the size limit the cache refuses the entry (and compacts itself in the background).
            _hashes.Set(hash, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = ApiKeyAuthenticationHandler.CacheDuration });
        }
    }

    public void Dispose() => _hashes.Dispose();
}
