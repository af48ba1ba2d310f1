using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CalMiner.Data.Configuration;
using Microsoft.Extensions.Configuration;

namespace CalMiner.Data;

/// <summary>
/// Where CalMiner stores its data and caches its reads. Immutable: build one with
/// <see cref="FromEnvironment()"/> or <see cref="FromConfiguration(IConfiguration)"/>, or with an
/// object initializer, and change it with <c>with</c>. The password is never part of
/// <see cref="ToString"/> nor of any error message.
/// </summary>
public sealed partial record CalMinerDataOptions
{
    /// <summary>
    /// Default of <see cref="Path"/> (setting <c>DATABASE_PATH</c>): <c>calminer/calminer.db</c> in the user's
    /// data folder (<see cref="Environment.SpecialFolder.LocalApplicationData"/>: on Linux <c>$XDG_DATA_HOME</c>
    /// or <c>~/.local/share</c>, on Windows <c>%LOCALAPPDATA%</c>, on macOS <c>~/Library/Application Support</c>),
    /// so that every host and the CLI use the same file wherever they are started from. Empty when the user
    /// has no data folder (no home directory): then <c>DATABASE_PATH</c> must be set.
    /// </summary>
    public static string DefaultSqlitePath =>
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } folder
            ? System.IO.Path.Combine(folder, "calminer", "calminer.db")
            : "";

    /// <summary>Default of <see cref="Port"/> (setting <c>DATABASE_PORT</c>).</summary>
    public const int DefaultPostgreSqlPort = 5432;

    /// <summary>The database engine (<c>DATABASE_DRIVER</c>: <c>postgresql</c> or <c>sqlite</c>); default SQLite.</summary>
    public DatabaseDriver Driver { get; init; } = DatabaseDriver.Sqlite;

    /// <summary>PostgreSQL server host name or address (<c>DATABASE_HOST</c>); required for PostgreSQL.</summary>
    public string? Host { get; init; }

    /// <summary>PostgreSQL server port, 1..65535 (<c>DATABASE_PORT</c>); default 5432.</summary>
    public int Port { get; init; } = DefaultPostgreSqlPort;

    /// <summary>PostgreSQL user name (<c>DATABASE_USER</c>); required for PostgreSQL.</summary>
    public string? User { get; init; }

    /// <summary>PostgreSQL password (<c>DATABASE_PASSWORD</c>); optional. Never logged nor shown.</summary>
    public string? Password { get; init; }

    /// <summary>PostgreSQL database name (<c>DATABASE_NAME</c>); required for PostgreSQL.</summary>
    public string? Database { get; init; }

    /// <summary>
    /// PostgreSQL schema holding CalMiner's tables (<c>DATABASE_SCHEMA</c>); optional, default the
    /// user's search path (normally <c>public</c>). Lower-case letters, digits and underscores,
    /// starting with a letter or underscore, at most 63 characters. Created by the migrator when missing.
    /// </summary>
    public string? Schema { get; init; }

    /// <summary>
    /// Path of the SQLite database file (<c>DATABASE_PATH</c>); default <see cref="DefaultSqlitePath"/>. A relative
    /// path is relative to the current folder (<see cref="FromEnvironment()"/> and <see cref="FromConfiguration"/>
    /// make it absolute). Its folder is created when missing.
    /// </summary>
    public string Path { get; init; } = DefaultSqlitePath;

    /// <summary>
    /// A PostgreSQL connection string (<c>ConnectionStrings:CalMiner</c>; in the environment <c>ConnectionStrings__CalMiner</c>),
    /// e.g. <c>Host=db;Username=calminer;Database=calminer;SSL Mode=VerifyFull;Root Certificate=/certs/ca.pem</c>, for the
    /// Npgsql settings that have no <c>DATABASE_*</c> variable (TLS, timeouts, pool sizes, …); optional. It implies
    /// <see cref="DatabaseDriver.PostgreSql"/>. The <c>DATABASE_*</c> settings fill in what it leaves out (Host, Port,
    /// Username, Password, Database, Search Path for <see cref="Schema"/>); a setting given in both places with two
    /// different values is refused, naming both. Never logged nor shown with its password.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Redis server used as the second-level cache (<c>REDIS_URL</c>), e.g. <c>redis://cache:6379</c>,
    /// <c>redis://:password@cache:6379/0</c> or <c>rediss://…</c> for TLS; <see langword="null"/> keeps
    /// the cache in memory only.
    /// </summary>
    public string? RedisUrl { get; init; }

    /// <summary>Reads the options from the process environment variables (see the properties for their names).</summary>
    /// <exception cref="DataConfigurationException">A setting is missing or invalid; the message names it.</exception>
    public static CalMinerDataOptions FromEnvironment() =>
        FromSettings(name => Environment.GetEnvironmentVariable(name.Replace(":", "__", StringComparison.Ordinal)));

    /// <summary>
    /// Reads the options from configuration keys named like the environment variables
    /// (<c>DATABASE_DRIVER</c>, <c>DATABASE_HOST</c>, …, <c>REDIS_URL</c>).
    /// </summary>
    /// <param name="configuration">The configuration, e.g. a host's, which includes the environment variables.</param>
    /// <exception cref="DataConfigurationException">A setting is missing or invalid; the message names it.</exception>
    public static CalMinerDataOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return FromSettings(name => configuration[name]);
    }

    /// <summary>
    /// Which database these options name, for a start-up line: <c>sqlite /home/ann/.local/share/calminer/calminer.db</c>,
    /// or <c>postgresql calminer@db:5432/calminer</c> with <c> schema tenant_a</c> when one is set. Never the password.
    /// </summary>
    public string DatabaseLocation => Driver == DatabaseDriver.PostgreSql
        ? string.Create(CultureInfo.InvariantCulture, $"postgresql {User}@{Host}:{Port}/{Database}{(Schema is null ? "" : " schema " + Schema)}")
        : "sqlite " + System.IO.Path.GetFullPath(Path);

    /// <summary>The options without the password, e.g. for a start-up log line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("CalMinerDataOptions { Driver = ").Append(Driver);
        if (Driver == DatabaseDriver.PostgreSql)
        {
            text.Append(CultureInfo.InvariantCulture, $", Host = {Host}, Port = {Port}, User = {User}, Database = {Database}, Schema = {Schema ?? "(search path)"}");
            text.Append(", Password = ").Append(Password is null ? "(none)" : "***");
            if (ConnectionString is not null)
            {
                text.Append(", ConnectionString = ").Append(Redacted(ConnectionString));
            }
        }
        else
        {
            text.Append(", Path = ").Append(Path);
        }

        text.Append(", Redis = ").Append(RedisUrl is null ? "(none: memory cache)" : RedisUrls.Redact(RedisUrl));
        return text.Append(" }").ToString();
    }

    /// <summary>
    /// Checks every setting and throws for the first invalid one; returns the options with what
    /// <see cref="ConnectionString"/> gives filled into the <c>DATABASE_*</c> properties.
    /// </summary>
    internal CalMinerDataOptions Validate()
    {
        if (ConnectionString is not null)
        {
            return Merge(ParseConnectionString(ConnectionString)).ValidateSettings();
        }

        return ValidateSettings();
    }

    private CalMinerDataOptions Merge(Npgsql.NpgsqlConnectionStringBuilder connection)
    {
        if (Driver != DatabaseDriver.PostgreSql)
        {
            ThrowHelper.ThrowConfiguration(Settings.Driver, $"{Settings.Driver} is '{Driver.ToString().ToLowerInvariant()}', but {Settings.ConnectionString} is set, which is for PostgreSQL: set {Settings.Driver} to 'postgresql' or remove the connection string.");
        }

        var port = connection.ContainsKey("Port") ? connection.Port : (int?)null;
        return this with
        {
            Host = One(Settings.Host, Host, "Host", connection.Host),
            Port = Port != DefaultPostgreSqlPort && port is { } p && p != Port
                ? ThrowHelper.ThrowConfiguration<int>(Settings.Port, $"{Settings.Port} ({Port.ToString(CultureInfo.InvariantCulture)}) and the Port of {Settings.ConnectionString} ({p.ToString(CultureInfo.InvariantCulture)}) differ: give it in one place.")
                : Port == DefaultPostgreSqlPort ? port ?? Port : Port,
            User = One(Settings.User, User, "Username", connection.Username),
            Password = One(Settings.Password, Password, "Password", connection.Password, secret: true),
            Database = One(Settings.Name, Database, "Database", connection.Database),
            Schema = One(Settings.Schema, Schema, "Search Path", connection.SearchPath),
        };

        static string? One(string setting, string? value, string keyword, string? fromConnection, bool secret = false)
        {
            if (value is not null && !string.IsNullOrEmpty(fromConnection) && !string.Equals(value, fromConnection, StringComparison.Ordinal))
            {
                ThrowHelper.ThrowConfiguration(setting, secret
                    ? $"{setting} and the {keyword} of {Settings.ConnectionString} differ: give it in one place."
                    : $"{setting} ('{value}') and the {keyword} of {Settings.ConnectionString} ('{fromConnection}') differ: give it in one place.");
            }

            return value ?? (string.IsNullOrEmpty(fromConnection) ? null : fromConnection);
        }
    }

    private static Npgsql.NpgsqlConnectionStringBuilder ParseConnectionString(string connectionString)
    {
        try
        {
            return new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The message names the keyword, never the value: the value may be a password.
            return ThrowHelper.ThrowConfiguration<Npgsql.NpgsqlConnectionStringBuilder>(Settings.ConnectionString, $"{Settings.ConnectionString} is not a valid PostgreSQL connection string: {e.Message}");
        }
    }

    private CalMinerDataOptions ValidateSettings()
    {
        if (!Enum.IsDefined(Driver))
        {
            ThrowHelper.ThrowConfiguration(Settings.Driver, $"{Settings.Driver} must be 'postgresql' or 'sqlite'.");
        }

        if (Driver == DatabaseDriver.PostgreSql)
        {
            Required(Settings.Host, Host);
            Required(Settings.User, User);
            Required(Settings.Name, Database);
            if (Port is < 1 or > 65535)
            {
                ThrowHelper.ThrowConfiguration(Settings.Port, $"{Settings.Port} must be a TCP port number in 1..65535, not {Port.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (Schema is not null && !SchemaPattern().IsMatch(Schema))
            {
                ThrowHelper.ThrowConfiguration(Settings.Schema, $"{Settings.Schema} must be a lower-case PostgreSQL identifier (letters, digits and underscores, starting with a letter or underscore, at most 63 characters), not '{Schema}'.");
            }
        }
        else if (string.IsNullOrWhiteSpace(Path))
        {
            ThrowHelper.ThrowConfiguration(Settings.Path, $"{Settings.Path} is required: this user has no data folder (no home directory) to hold the default database.");
        }

        if (RedisUrl is not null)
        {
            RedisUrls.Parse(RedisUrl);
        }

        return this;

        static void Required(string setting, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                ThrowHelper.ThrowConfiguration(setting, $"{setting} (or its keyword in {Settings.ConnectionString}) is required when {Settings.Driver} is 'postgresql'.");
            }
        }
    }

    internal static CalMinerDataOptions FromSettings(Func<string, string?> setting)
    {
        string? Get(string name) => setting(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var connectionString = Get(Settings.ConnectionString);
        var driver = Get(Settings.Driver) switch
        {
            null => connectionString is null ? DatabaseDriver.Sqlite : DatabaseDriver.PostgreSql,
            var value when value.Equals("sqlite", StringComparison.OrdinalIgnoreCase) => DatabaseDriver.Sqlite,
            var value when value.Equals("postgresql", StringComparison.OrdinalIgnoreCase) => DatabaseDriver.PostgreSql,
            var value => ThrowHelper.ThrowConfiguration<DatabaseDriver>(Settings.Driver, $"{Settings.Driver} must be 'postgresql' or 'sqlite', not '{value}'."),
        };

        var port = DefaultPostgreSqlPort;
        if (Get(Settings.Port) is null && connectionString is not null && ParseConnectionString(connectionString).Port is var given)
        {
            // An unset DATABASE_PORT leaves the connection string's port in place.
            port = given;
        }
        else if (Get(Settings.Port) is { } portText
            && !(int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535))
        {
            ThrowHelper.ThrowConfiguration(Settings.Port, $"{Settings.Port} must be a TCP port number in 1..65535, not '{portText}'.");
        }

        // The password is taken as given: surrounding spaces may be part of it.
        var password = setting(Settings.Password);
        return new CalMinerDataOptions
        {
            Driver = driver,
            Host = Get(Settings.Host),
            Port = port,
            User = Get(Settings.User),
            Password = string.IsNullOrEmpty(password) ? null : password,
            Database = Get(Settings.Name),
            Schema = Get(Settings.Schema),
            // Resolved here, once, so that a relative path names the same file however long the process runs.
            Path = Get(Settings.Path) is { } path ? System.IO.Path.GetFullPath(path) : DefaultSqlitePath,
            ConnectionString = connectionString,
            RedisUrl = Get(Settings.RedisUrl),
        }.Validate();
    }

    private static string Redacted(string connectionString)
    {
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            builder.Remove("Password");
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(invalid)";
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaPattern();

    /// <summary>The names of the settings.</summary>
    internal static class Settings
    {
        public const string Driver = "DATABASE_DRIVER";
        public const string Host = "DATABASE_HOST";
        public const string Port = "DATABASE_PORT";
        public const string User = "DATABASE_USER";
        public const string Password = "DATABASE_PASSWORD";
        public const string Name = "DATABASE_NAME";
        public const string Schema = "DATABASE_SCHEMA";
        public const string Path = "DATABASE_PATH";
        public const string RedisUrl = "REDIS_URL";
        public const string ConnectionString = "ConnectionStrings:CalMiner";
    }
}
