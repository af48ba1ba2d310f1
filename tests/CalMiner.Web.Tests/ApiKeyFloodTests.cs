using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CalMiner.Data;
using CalMiner.Web.Security;
using CalMiner.Web.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using static CalMiner.Web.Tests.ApiKeyFloodTests;

namespace CalMiner.Web.Tests;

/// <summary>An app that remembers at most 50 unknown API keys and gives an address 5 failed authentications a minute.</summary>
public sealed class FloodedApp : IAsyncLifetime
{
    public const int UnknownKeys = 50;
    public const int FailuresPerMinute = 5;

    public CalMinerWebApp App { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CalMiner:UnknownApiKeyCacheEntries"] = UnknownKeys.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CalMiner:FailedAuthenticationsPerMinute"] = FailuresPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>
/// Anonymous floods of made-up API keys: text that cannot be a key costs no lookup and no memory, unknown keys take a
/// bounded memory, an address that keeps failing gets 429, and the log grows by a few lines, not by one per request.
/// Each test sends from addresses of its own (see <see cref="CalMinerWebApp.From"/>), so their limits do not meet.
/// </summary>
public sealed class ApiKeyFloodTests(FloodedApp fixture) : IClassFixture<FloodedApp>
{
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private CalMinerWebApp App => fixture.App;

    [Fact]
    public async Task UnknownKeys_TakeABoundedMemory_WhenManyAndRandom()
    {
        var unknown = App.Get<UnknownApiKeys>();
        const int Keys = 4 * FloodedApp.UnknownKeys;
        for (var i = 0; i < Keys; i++)
        {
            // A new address every few keys, so the limit per address does not stop the keys before the cache sees them.
            using var client = App.From(2000 + (i / (FloodedApp.FailuresPerMinute - 1)));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WellFormedKey());
            await (await client.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
            Assert.InRange(unknown.Count, 0, FloodedApp.UnknownKeys);
        }
    }

    [Fact]
    public async Task Address_Gets429_WhenItKeepsFailingWhileValidKeysAndOtherAddressesGoOn()
    {
        var (_, secret) = await App.NewUserWithKeyAsync(UserRole.Viewer);
        using var flooder = App.From(3000);
        var flooderKey = new AuthenticationHeaderValue("Bearer", secret);

        // A key this host knows already (used once from the address before the flood) keeps working.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me") { Headers = { Authorization = flooderKey } })
        {
            await (await flooder.SendAsync(request)).ExpectAsync(HttpStatusCode.OK);
        }

        for (var i = 0; i < FloodedApp.FailuresPerMinute; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/scenarios") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", WellFormedKey()) } };
            await (await flooder.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/scenarios") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", WellFormedKey()) } })
        {
            var limited = await flooder.SendAsync(request);
            await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.InRange(limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me") { Headers = { Authorization = flooderKey } })
        {
            await (await flooder.SendAsync(request)).ExpectAsync(HttpStatusCode.OK);
        }

        using var neighbour = App.From(3001);
        neighbour.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WellFormedKey());
        await (await neighbour.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task FloodOfRandomTokens_WritesAFewLogLines_AndNeverA500()
    {
        const int Requests = 2_000;
        var before = App.Logs.Messages.Count;
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            // Two addresses, each far past its limit, as a flooder would be.
            using var client = App.From(4000 + (worker % 2));
            var seen = new List<HttpStatusCode>();
            for (var i = worker; i < Requests; i += 8)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/scenarios")
                {
                    Headers = { Authorization = new AuthenticationHeaderValue("Bearer", i % 2 == 0 ? RandomText(160) : WellFormedKey()) },
                };
                seen.Add((await client.SendAsync(request)).StatusCode);
            }

            return seen;
        }));

        var all = statuses.SelectMany(s => s).ToList();
        Assert.Equal(Requests, all.Count);
        Assert.All(all, status => Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"got {status}"));
        Assert.InRange(all.Count(s => s == HttpStatusCode.TooManyRequests), Requests - (4 * FloodedApp.FailuresPerMinute), Requests);

        // The failures are told in at most one line at once and one summary per 10 s.
        await Task.Delay(FailedAuthentications.SummaryInterval + TimeSpan.FromSeconds(1));
        var logged = App.Logs.Messages.Skip(before).ToList();
        Assert.InRange(logged.Count, 1, 6);
        Assert.All(logged, m => Assert.Contains("API-key authentication", m, StringComparison.Ordinal));
    }

    internal static string RandomText(int length) => RandomNumberGenerator.GetString(Base64Url, length);

    internal static string WellFormedKey() => "cm_" + RandomText(43);
}

/// <summary>
/// Text that cannot be an API key costs no lookup and no cache entry, while an unknown well-formed key is remembered: in
/// an app of its own, as the floods of <see cref="ApiKeyFloodTests"/> fill the cache of unknown keys to its limit.
/// </summary>
public sealed class MalformedApiKeyTests(FloodedApp fixture) : IClassFixture<FloodedApp>
{
    private CalMinerWebApp App => fixture.App;

    [Fact]
    public async Task MalformedKeys_AreRefusedWithoutALookup_AndLeaveNoCacheEntry()
    {
        var cache = (MemoryCache)App.Get<IMemoryCache>();
        var unknown = App.Get<UnknownApiKeys>();
        var cachedBefore = (cache.Count, unknown.Count);
        string[] malformed =
        [
            RandomText(160),
            "cm_" + RandomText(42),
            "cm_" + RandomText(44),
            "xx_" + RandomText(43),
            "cm_" + RandomText(42) + "!",
        ];

        for (var i = 0; i < malformed.Length; i++)
        {
            using var client = App.From(1000 + i);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", malformed[i]);
            await (await client.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal(cachedBefore, (cache.Count, unknown.Count));

        // A well-formed unknown key, by contrast, is looked up, and its hash (never the text sent) is remembered.
        var control = WellFormedKey();
        using (var client = App.From(1100))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", control);
            await (await client.GetAsync("/api/scenarios")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.True(unknown.Contains(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(control)))));
        Assert.False(unknown.Contains(control));
    }
}
