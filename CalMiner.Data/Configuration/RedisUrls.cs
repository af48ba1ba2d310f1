using System.Globalization;
using StackExchange.Redis;

namespace CalMiner.Data.Configuration;

/// <summary>Turns a <c>REDIS_URL</c> into client options; error messages never repeat the URL, which may hold a password.</summary>
internal static class RedisUrls
{
    private const int DefaultPort = 6379;

    public static ConfigurationOptions Parse(string url)
    {
        const string Setting = CalMinerDataOptions.Settings.RedisUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("redis" or "rediss")
            || string.IsNullOrEmpty(uri.Host))
        {
            return ThrowHelper.ThrowConfiguration<ConfigurationOptions>(Setting, $"{Setting} must look like redis://host:6379 (or rediss:// for TLS, with optional user:password@ and /database).");
        }

        var options = new ConfigurationOptions
        {
            Ssl = uri.Scheme == "rediss",
            // A cache that is down must not hold requests up: connect in the background, fail
            // commands at once while disconnected, and retry the connection every half second.
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = 2_000,
            SyncTimeout = 2_000,
            AsyncTimeout = 2_000,
            ConnectRetry = 1,
            ReconnectRetryPolicy = new LinearRetry(500),
            ClientName = "calminer",
        };
        options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : DefaultPort);
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            var user = Uri.UnescapeDataString(parts[0]);
            options.User = user.Length > 0 ? user : null;
            options.Password = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var database))
            {
                ThrowHelper.ThrowConfiguration(Setting, $"{Setting} must end in a database number, e.g. /0, if it has a path.");
            }

            options.DefaultDatabase = database;
        }

        return options;
    }

    /// <summary>The URL without its password.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Replace(uri.UserInfo, uri.UserInfo.Contains(':', StringComparison.Ordinal) ? uri.UserInfo.Split(':')[0] + ":***" : "***", StringComparison.Ordinal)
            : url;
}
