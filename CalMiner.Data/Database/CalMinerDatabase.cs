using System.Data.Common;
using LinqToDB;
using LinqToDB.DataProvider.PostgreSQL;
using LinqToDB.DataProvider.SQLite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CalMiner.Data.Database;

/// <summary>
/// The configured database: makes short-lived <see cref="CalMinerDb"/> connections over the
/// singleton <see cref="NpgsqlDataSource"/> (PostgreSQL) or the SQLite file.
/// </summary>
internal sealed class CalMinerDatabase : IAsyncDisposable, IDisposable
{
    private readonly DataOptions<CalMinerDb> _options;

    public CalMinerDatabase(CalMinerDataOptions options, ILoggerFactory? loggerFactory = null, Action<NpgsqlDataSourceBuilder>? configureDataSource = null)
    {
        Options = options;
        var data = new DataOptions()
            .UseMappingSchema(CalMinerMapping.Schema)
            .UseOnEntityDescriptorCreated(CalMinerMapping.Rename);
        if (options.Driver == DatabaseDriver.PostgreSql)
        {
            var dataSource = DataSource = CreateDataSource(options, loggerFactory, configureDataSource);
            // The dialect is fixed rather than detected: detection needs a connection string with the password.
            data = data
                .UseConnectionFactory(PostgreSQLTools.GetDataProvider(PostgreSQLVersion.v15), _ => dataSource.CreateConnection())
                .UseBulkCopyType(LinqToDB.Data.BulkCopyType.ProviderSpecific);
        }
        else
        {
            SqliteConnectionString = CreateSqliteConnectionString(options.Path);
            data = data
                .UseSQLite(SqliteConnectionString, SQLiteProvider.Microsoft)
                .UseBulkCopyType(LinqToDB.Data.BulkCopyType.MultipleRows);
        }

        _options = new DataOptions<CalMinerDb>(data);
    }

    public CalMinerDataOptions Options { get; }

    /// <summary>This database's short name, <see cref="IdOf"/>.</summary>
    public string Id => IdOf(Options);

    public DatabaseDriver Driver => Options.Driver;

    public bool IsPostgreSql => Options.Driver == DatabaseDriver.PostgreSql;

    /// <summary>The PostgreSQL data source, or <see langword="null"/> on SQLite.</summary>
    public NpgsqlDataSource? DataSource { get; }

    /// <summary>The SQLite connection string, or <see langword="null"/> on PostgreSQL.</summary>
    public string? SqliteConnectionString { get; }

    public CalMinerDb Open() => new(_options);

    /// <summary>
    /// An open ADO.NET connection outside linq2db, for streams of sample bytes and for migrations.
    /// </summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (DataSource is { } dataSource)
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var sqlite = new SqliteConnection(SqliteConnectionString);
        await sqlite.OpenAsync(cancellationToken).ConfigureAwait(false);
        return sqlite;
    }

    public void Dispose() => DataSource?.Dispose();

    public ValueTask DisposeAsync() => DataSource?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// A short name of the database <paramref name="options"/> point to (server, database and schema, or SQLite file),
    /// 12 hex digits: it keeps apart what databases share, such as keys in one Redis server and NOTIFY channels.
    /// </summary>
    public static string IdOf(CalMinerDataOptions options)
    {
        var database = options.Driver == DatabaseDriver.PostgreSql
            ? $"postgresql|{options.Host}|{options.Port}|{options.Database}|{options.Schema}"
            : $"sqlite|{System.IO.Path.GetFullPath(options.Path)}";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(database));
        return Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    /// <summary>The data source for PostgreSQL options; its search path is <see cref="CalMinerDataOptions.Schema"/> when given.</summary>
    private static NpgsqlDataSource CreateDataSource(CalMinerDataOptions options, ILoggerFactory? loggerFactory, Action<NpgsqlDataSourceBuilder>? configure)
    {
        // The connection string's other settings (TLS, timeouts, …) stay; Validate merged the ones below into the options.
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString ?? "")
        {
            Host = options.Host,
            Port = options.Port,
            Username = options.User,
            Password = options.Password,
            Database = options.Database,
        };
        builder.ApplicationName ??= "CalMiner";
        if (builder.MaxAutoPrepare == 0)
        {
            // Statements run again and again (the version lookup of every read, the run queue's
            // claims) are prepared on the server after two uses, so PostgreSQL stops parsing and
            // planning them each time.
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        if (options.Schema is { } schema)
        {
            // Every table is unqualified in CalMiner's SQL, so the search path alone keeps two schemas apart.
            builder.SearchPath = schema;
        }

        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        if (loggerFactory is not null)
        {
            dataSource.UseLoggerFactory(loggerFactory);
        }

        configure?.Invoke(dataSource);
        return dataSource.Build();
    }

    private static string CreateSqliteConnectionString(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = full,
            ForeignKeys = true,
            Pooling = true,
            // Also how long a writer waits for another process's write lock (SQLITE_BUSY retries).
            DefaultTimeout = 30,
        }.ToString();
    }
}
