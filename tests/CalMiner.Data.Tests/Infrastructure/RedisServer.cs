using System.Diagnostics;
using CalMiner.Data.Configuration;
using StackExchange.Redis;

namespace CalMiner.Data.Tests.Infrastructure;

/// <summary>
/// The real Redis server of the test run, which a test may stop and start again: scripts/test.sh
/// gives its binary (CALMINER_REDIS_SERVER_BIN) and the folder of its config (CALMINER_REDIS_DIR).
/// </summary>
internal static class RedisServer
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static ConfigurationOptions ClientOptions()
    {
        var options = RedisUrls.Parse(DataHost.RedisUrl());
        options.AllowAdmin = true;
        options.AbortOnConnectFail = false;
        return options;
    }

    public static async Task<bool> KeyExistsAsync(string key)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ClientOptions());
        return await redis.GetDatabase().KeyExistsAsync(key);
    }

    public static async Task StopAsync()
    {
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(ClientOptions()))
        {
            try
            {
                redis.GetServers()[0].Shutdown(ShutdownMode.Never);
            }
            catch (RedisConnectionException)
            {
                // The server hangs up as it goes: that is the point.
            }
        }

        await WaitUntilAsync(async () => !await PingsAsync(), "Redis to stop");
    }

    public static async Task StartAsync()
    {
        var binary = Required("CALMINER_REDIS_SERVER_BIN");
        var config = Path.Combine(Required("CALMINER_REDIS_DIR"), "redis.conf");
        using (var process = Process.Start(new ProcessStartInfo(binary, [config]) { UseShellExecute = false }))
        {
            // The config daemonizes the server: this process returns once it has forked.
            await process!.WaitForExitAsync();
        }

        await WaitUntilAsync(PingsAsync, "Redis to start");
    }

    public static async Task<bool> PingsAsync()
    {
        try
        {
            var options = ClientOptions();
            options.ConnectTimeout = 1_000;
            options.AbortOnConnectFail = true;
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            await redis.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}.");
            }

            await Task.Delay(100);
        }
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with `bash scripts/test.sh`, which starts Redis and says how to restart it.");
}
