using System.Data.Common;
using System.Globalization;
using CalMiner.Data.Database;
using CalMiner.Data.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CalMiner.Data;

/// <summary>
/// Brings the database schema to the latest version. Each migration runs in its own transaction
/// and is recorded in the table <c>schema_migration</c>; a failing one is rolled back whole and
/// leaves the recorded version where it was. Safe when several processes migrate at once: on
/// PostgreSQL they queue on an advisory lock (one per schema), on SQLite on the file's write lock.
/// Running it again is a no-op.
/// </summary>
public sealed partial class DatabaseMigrator
{
    private const string MigrationTable = """
        CREATE TABLE IF NOT EXISTS schema_migration (
            version     integer PRIMARY KEY,
            name        text NOT NULL,
            applied_at  {0} NOT NULL
        )
        """;

    private readonly CalMinerDatabase _database;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal DatabaseMigrator(CalMinerDatabase database, IReadOnlyList<Migration> migrations, TimeProvider time, ILogger<DatabaseMigrator>? logger)
    {
        _database = database;
        _migrations = migrations;
        _time = time;
        _logger = logger ?? NullLogger<DatabaseMigrator>.Instance;
    }

    /// <summary>The version the database is at after <see cref="MigrateAsync"/>.</summary>
    public int LatestVersion => _migrations.Count == 0 ? 0 : _migrations[^1].Version;

    /// <summary>Applies every migration the database lacks, in order.</summary>
    /// <param name="cancellationToken">Stops waiting for another migrator, or between migrations.</param>
    /// <returns>The versions before and after, and the migrations applied.</returns>
    /// <exception cref="InvalidOperationException">A migration failed; it was rolled back, the ones before it stay applied.</exception>
    public async Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return _database.IsPostgreSql
            ? await MigratePostgreSqlAsync((NpgsqlConnection)connection, cancellationToken).ConfigureAwait(false)
            : await MigrateSqliteAsync((SqliteConnection)connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema version of the database: the highest migration recorded, 0 for an empty database.</summary>
    public async Task<int> GetCurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var exists = _database.IsPostgreSql
            ? "SELECT to_regclass('schema_migration') IS NOT NULL"
            : "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'";
        if (!Convert.ToBoolean(await ScalarAsync(connection, null, exists, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture))
        {
            return 0;
        }

        return (await AppliedAsync(connection, null, cancellationToken).ConfigureAwait(false)).DefaultIfEmpty(0).Max();
    }

    /// <summary>
    /// Runs <paramref name="work"/> while no other process runs work through this method on the same
    /// database: hosts starting together take turns setting it up, so that what one creates (the first
    /// admin, sample data) the next one sees instead of creating it again. On PostgreSQL the turn is a
    /// session advisory lock per schema, which the server frees if the process dies; on SQLite an
    /// exclusive lock on the file <c>&lt;database&gt;.setup-lock</c> beside it, which the system frees.
    /// </summary>
    /// <param name="work">What to do in turn; it opens its own connections.</param>
    /// <param name="cancellationToken">Stops waiting for the turn, and is passed to <paramref name="work"/>.</param>
    public async Task RunExclusiveAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!_database.IsPostgreSql)
        {
            await using var file = await LockFileAsync(_database.Options.Path + ".setup-lock", cancellationToken).ConfigureAwait(false);
            await work(cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var key = LockKey("setup:" + (_database.Options.Schema ?? ""));
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({key})", cancellationToken).ConfigureAwait(false);
        try
        {
            await work(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({key})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<FileStream> LockFileAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock that other processes see (flock on Unix).
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<MigrationResult> MigratePostgreSqlAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var schema = _database.Options.Schema;
        var key = LockKey(schema ?? "");
        // A session lock, held across the per-migration transactions and freed by the server if this process dies.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({key})", cancellationToken).ConfigureAwait(false);
        try
        {
            if (schema is not null)
            {
                await ExecuteAsync(connection, null, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, null, string.Format(CultureInfo.InvariantCulture, MigrationTable, "timestamptz"), cancellationToken).ConfigureAwait(false);
            var applied = await AppliedAsync(connection, null, cancellationToken).ConfigureAwait(false);
            var previous = applied.DefaultIfEmpty(0).Max();
            var done = new List<string>();
            foreach (var migration in _migrations.Where(m => !applied.Contains(m.Version)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ApplyAsync(connection, transaction, migration, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                done.Add(migration.Id);
            }

            return Finish(previous, done);
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({key})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<MigrationResult> MigrateSqliteAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers go on while a writer writes; the mode is stored in the file.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
        int? previous = null;
        var done = new List<string>();
        foreach (var migration in _migrations)
        {
            // BEGIN IMMEDIATE takes the file's write lock before reading what is applied, so two
            // processes cannot both decide to apply the same migration.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, string.Format(CultureInfo.InvariantCulture, MigrationTable, "TEXT"), cancellationToken).ConfigureAwait(false);
            var applied = await AppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            previous ??= applied.DefaultIfEmpty(0).Max();
            if (applied.Contains(migration.Version))
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await ApplyAsync(connection, transaction, migration, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            done.Add(migration.Id);
        }

        return Finish(previous ?? 0, done);
    }

    private async Task ApplyAsync(DbConnection connection, DbTransaction transaction, Migration migration, CancellationToken cancellationToken)
    {
        try
        {
            if (_database.IsPostgreSql)
            {
                await ExecuteAsync(connection, transaction, migration.PostgreSql, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // One statement per command: Microsoft.Data.Sqlite can stop short of the end of a
                // multi-statement text after a schema change, without an error.
                foreach (var statement in SqliteStatements(migration.Sqlite))
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                }
            }

            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migration (version, name, applied_at) VALUES (@version, @name, @applied_at)";
            record.AddParameter("version", migration.Version);
            record.AddParameter("name", migration.Name);
            record.AddParameter("applied_at", _time.GetUtcNow());
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            LogFailed(_logger, migration.Id, e);
            throw new InvalidOperationException($"Migration {migration.Id} failed and was rolled back; the database schema is unchanged by it. {e.Message}", e);
        }

        LogApplied(_logger, migration.Id, _database.Options.Schema ?? "(default)");
    }

    private MigrationResult Finish(int previous, List<string> done)
    {
        var current = Math.Max(previous, done.Count == 0 ? previous : _migrations.Where(m => done.Contains(m.Id)).Max(m => m.Version));
        if (done.Count == 0)
        {
            LogUpToDate(_logger, current);
        }

        return new MigrationResult(previous, current, done);
    }

    private static async Task<HashSet<int>> AppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM schema_migration";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return versions;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Splits a script at the semicolons that end a complete statement (not those inside quotes, comments or trigger bodies).</summary>
    internal static IEnumerable<string> SqliteStatements(string script)
    {
        // Opening a SqliteConnection does this too; the splitter may run before any has been.
        SQLitePCL.Batteries_V2.Init();
        var start = 0;
        for (var i = script.IndexOf(';', StringComparison.Ordinal); i >= 0; i = script.IndexOf(';', i + 1))
        {
            var candidate = script[start..(i + 1)];
            if (SQLitePCL.raw.sqlite3_complete(candidate) != 0)
            {
                if (!string.IsNullOrWhiteSpace(StripComments(candidate).TrimEnd(';')))
                {
                    yield return candidate;
                }

                start = i + 1;
            }
        }

        if (!string.IsNullOrWhiteSpace(StripComments(script[start..])))
        {
            yield return script[start..];
        }

        static string StripComments(string sql) =>
            string.Join('\n', sql.Split('\n').Select(line => line.TrimStart().StartsWith("--", StringComparison.Ordinal) ? "" : line));
    }

    // FNV-1a: a stable 64-bit advisory lock key per schema, the same in every process.
    private static long LockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "calminer.migrate:" + schema)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    [LoggerMessage(CalMinerEventId.MigrationApplied, LogLevel.Information, "Applied migration {Migration} (schema {Schema})")]
    private static partial void LogApplied(ILogger logger, string migration, string schema);

    [LoggerMessage(CalMinerEventId.SchemaUpToDate, LogLevel.Information, "Database schema is up to date at version {Version}")]
    private static partial void LogUpToDate(ILogger logger, int version);

    [LoggerMessage(CalMinerEventId.MigrationFailed, LogLevel.Error, "Migration {Migration} failed and was rolled back")]
    private static partial void LogFailed(ILogger logger, string migration, Exception exception);
}
