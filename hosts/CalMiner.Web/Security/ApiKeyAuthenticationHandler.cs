using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using CalMiner.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CalMiner.Web.Security;

/// <summary>
/// Authenticates API clients by <c>Authorization: Bearer &lt;key&gt;</c>. A key's user is kept in
/// memory for <see cref="CacheDuration"/>, so a busy client costs one database lookup per
/// half-minute rather than one per request; revoking a key through this host forgets it at once,
/// on other replicas within that time.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRepository keys,
    IMemoryCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(30);

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
        if (string.IsNullOrEmpty(secret) || secret.Length > 200)
        {
            return AuthenticateResult.Fail("The API key is malformed.");
        }

        var user = await cache.GetOrCreateAsync(
            SecretKey(secret),
            async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = CacheDuration;
                var found = await keys.AuthenticateAsync(secret, Context.RequestAborted).ConfigureAwait(false);
                if (found is not null)
                {
                    // Revocations and role changes of this user expire every cached key of theirs.
                    entry.AddExpirationToken(UserToken(found.Id));
                }

                return found;
            }).ConfigureAwait(false);

        return user is null
            ? AuthenticateResult.Fail("The API key is not valid.")
            : AuthenticateResult.Success(new AuthenticationTicket(CalMinerClaims.Principal(user, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static string SecretKey(string secret) => "api-key:" + secret;

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
