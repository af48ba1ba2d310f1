using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CalMiner.Web.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own, which the test may stop and start again (the one scripts/test.sh starts is
/// shared by every test running at the same time). Made with the same server programs (the newest
/// /usr/lib/postgresql/*/bin), in a temporary folder, on a free port of 127.0.0.1, trusting local connections; run as
/// the user postgres when the tests run as root, which PostgreSQL refuses to run as. Removed when disposed.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string User = "postgres";
    public const string Database = "postgres";

    private readonly string _bin;
    private readonly string _folder;
    private readonly string _data;

    private ThrowawayPostgres(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        _data = Path.Combine(folder, "data");
        Port = port;
    }

    public int Port { get; }

    /// <summary>The settings that point the app at this cluster.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DATABASE_DRIVER"] = "postgresql",
        ["DATABASE_HOST"] = "127.0.0.1",
        ["DATABASE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DATABASE_USER"] = User,
        ["DATABASE_PASSWORD"] = "",
        ["DATABASE_NAME"] = Database,
    };

    public static async Task<ThrowawayPostgres> StartNewAsync()
    {
        var bin = Directory.EnumerateDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(dir => File.Exists(Path.Combine(dir, "initdb")))
            .OrderByDescending(dir => int.Parse(Path.GetFileName(Path.GetDirectoryName(dir))!, System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL server programs under /usr/lib/postgresql/*/bin: run the tests with `bash scripts/test.sh`, which installs them.");
        var folder = Path.Combine(Path.GetTempPath(), $"calminer-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var cluster = new ThrowawayPostgres(bin, folder, FreePort());
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", folder);
        }

        await cluster.AsPostgresAsync("initdb", $"--pgdata={cluster._data}", $"--username={User}", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
        await cluster.StartAsync();
        return cluster;
    }

    public async Task StartAsync()
    {
        await AsPostgresAsync(
            "pg_ctl", "start", $"--pgdata={_data}", $"--log={Path.Combine(_folder, "server.log")}", "--wait",
            $"--options=-F -p {Port} -k {_folder} -c listen_addresses=127.0.0.1");
    }

    /// <summary>Stops the server at once, as a crash or a failover would: open connections are cut.</summary>
    public Task StopAsync() => AsPostgresAsync("pg_ctl", "stop", $"--pgdata={_data}", "--mode=immediate", "--wait");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Stopped already.
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task AsPostgresAsync(string program, params string[] arguments) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. arguments])
            : RunAsync(Path.Combine(_bin, program), arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user may not enter the test's working directory.
            WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
