using CalMiner.Data.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CalMiner.Data.Tests.Infrastructure;

/// <summary>The two database engines the tests run on.</summary>
public enum Engine
{
    PostgreSql,
    Sqlite,
}

/// <summary>
/// CalMiner's data services as a host registers them, on a database of the test's own: a fresh
/// PostgreSQL schema (dropped afterwards) of the server that scripts/test.sh provides, or a
/// temporary SQLite file. A test that needs PostgreSQL or Redis fails when they are not
/// configured: skipping would pass a run that tested nothing.
/// </summary>
internal sealed class DataHost : IAsyncDisposable
{
    private readonly bool _ownsStorage;

    private DataHost(CalMinerDataOptions options, ServiceProvider services, CapturingLoggerFactory logs, bool ownsStorage)
    {
        Options = options;
        Services = services;
        Logs = logs;
        _ownsStorage = ownsStorage;
    }

    public CalMinerDataOptions Options { get; }

    public ServiceProvider Services { get; }

    public CapturingLoggerFactory Logs { get; }

    public ScenarioRepository Scenarios => Get<ScenarioRepository>();

    public ScenarioHistoryRepository History => Get<ScenarioHistoryRepository>();

    public SimulationRunRepository Runs => Get<SimulationRunRepository>();

    public MaintenanceLogRepository Maintenance => Get<MaintenanceLogRepository>();

    public UserRepository Users => Get<UserRepository>();

    public ApiKeyRepository ApiKeys => Get<ApiKeyRepository>();

    public CalMinerCache Cache => Get<CalMinerCache>();

    public WorkspaceRepository Workspaces => Get<WorkspaceRepository>();

    public AuditRepository Audit => Get<AuditRepository>();

    public DatabaseMigrator Migrator => Get<DatabaseMigrator>();

    internal CalMinerDatabase Database => Get<CalMinerDatabase>();

    /// <summary>Options for a new, empty database of <paramref name="engine"/>, without Redis.</summary>
    public static CalMinerDataOptions NewDatabase(Engine engine) => engine switch
    {
        Engine.PostgreSql => PostgreSqlServer() with { Schema = $"t_{Guid.NewGuid():N}" },
        _ => new CalMinerDataOptions { Driver = DatabaseDriver.Sqlite, Path = Path.Combine(Path.GetTempPath(), "calminer-tests", $"{Guid.NewGuid():N}.db") },
    };

    /// <summary>The PostgreSQL server of the test run, from the DATABASE_* variables.</summary>
    public static CalMinerDataOptions PostgreSqlServer()
    {
        var options = CalMinerDataOptions.FromEnvironment();
        return options.Driver == DatabaseDriver.PostgreSql
            ? options with { RedisUrl = null }
            : throw new InvalidOperationException(
                "These tests need the PostgreSQL server that scripts/test.sh starts (DATABASE_DRIVER=postgresql and DATABASE_HOST, _PORT, _USER, _PASSWORD, _NAME): run them with `bash scripts/test.sh`.");
    }

    /// <summary>REDIS_URL of the test run's Redis server.</summary>
    public static string RedisUrl() =>
        Environment.GetEnvironmentVariable("REDIS_URL") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("These tests need the Redis server that scripts/test.sh starts (REDIS_URL): run them with `bash scripts/test.sh`.");

    public static Task<DataHost> StartAsync(Engine engine, bool redis = false, TimeProvider? time = null, bool migrate = true) =>
        StartAsync(NewDatabase(engine) with { RedisUrl = redis ? RedisUrl() : null }, time, migrate, ownsStorage: true);

    public static async Task<DataHost> StartAsync(
        CalMinerDataOptions options, TimeProvider? time = null, bool migrate = true, bool ownsStorage = false, Action<NpgsqlDataSourceBuilder>? configureDataSource = null)
    {
        var logs = new CapturingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddCalMinerData(options, configureDataSource);
        var host = new DataHost(options, services.BuildServiceProvider(), logs, ownsStorage);
        if (migrate)
        {
            await host.Migrator.MigrateAsync();
        }

        return host;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs SQL directly against the test's database, e.g. to check what a failed save left.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var db = Database.Open();
        await using var command = db.OpenDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var db = Database.Open();
        await using var command = db.OpenDbConnection().CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (!_ownsStorage)
        {
            return;
        }

        if (Options.Driver == DatabaseDriver.PostgreSql)
        {
            await DropSchemaAsync(Options);
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { Options.Path, Options.Path + "-wal", Options.Path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    public static async Task DropSchemaAsync(CalMinerDataOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = options.Host,
            Port = options.Port,
            Username = options.User,
            Password = options.Password,
            Database = options.Database,
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{options.Schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
