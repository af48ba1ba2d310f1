using CalMiner.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CalMiner.Benchmarks.Data;

/// <summary>The engines the data benchmarks run on.</summary>
public enum Engine
{
    PostgreSql,
    Sqlite,
}

/// <summary>
/// A throwaway database for a benchmark: a fresh schema of the PostgreSQL server named by the
/// DATABASE_* variables (as scripts/test.sh exports them), or a temporary SQLite file.
/// </summary>
internal sealed class DataBenchmarkDatabase : IDisposable
{
    private DataBenchmarkDatabase(CalMinerDataOptions options)
    {
        Options = options;
        Services = new ServiceCollection().AddCalMinerData(options).BuildServiceProvider();
        Services.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
    }

    public CalMinerDataOptions Options { get; }

    public ServiceProvider Services { get; }

    public static DataBenchmarkDatabase Create(Engine engine)
    {
        if (engine == Engine.Sqlite)
        {
            return new DataBenchmarkDatabase(new CalMinerDataOptions
            {
                Driver = DatabaseDriver.Sqlite,
                Path = Path.Combine(Path.GetTempPath(), "calminer-benchmarks", $"{Guid.NewGuid():N}.db"),
            });
        }

        var server = CalMinerDataOptions.FromEnvironment();
        if (server.Driver != DatabaseDriver.PostgreSql)
        {
            throw new InvalidOperationException("The PostgreSQL benchmarks need DATABASE_DRIVER=postgresql and the DATABASE_* variables of a server.");
        }

        return new DataBenchmarkDatabase(server with { Schema = $"bench_{Guid.NewGuid():N}", RedisUrl = null });
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public void Dispose()
    {
        Services.Dispose();
        if (Options.Driver == DatabaseDriver.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(Options.Path);
            File.Delete(Options.Path + "-wal");
            File.Delete(Options.Path + "-shm");
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = Options.Host, Port = Options.Port, Username = Options.User, Password = Options.Password, Database = Options.Database, Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA \"{Options.Schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }
}
