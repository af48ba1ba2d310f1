using System.Globalization;
using Npgsql;
using StackExchange.Redis;

namespace CalMiner.Data.Tests;

/// <summary>
/// Where the real PostgreSQL and Redis servers of a test run are. <c>scripts/test.sh</c> starts
/// throwaway ones and exports their addresses; data tests never run against mocks, so a missing
/// variable fails the test rather than skipping it, which would pass a run that tested nothing.
/// </summary>
internal static class TestEnvironment
{
    private const string HowToRun =
        "The data tests need the throwaway PostgreSQL and Redis servers that scripts/test.sh starts: " +
        "run the tests with `bash scripts/test.sh` (extra arguments go to dotnet test).";

    /// <summary>Connection string for the test database, from the DATABASE_* variables.</summary>
    public static string PostgreSqlConnectionString
    {
        get
        {
            var driver = Required("DATABASE_DRIVER");
            if (!string.Equals(driver, "postgresql", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"DATABASE_DRIVER is '{driver}', but the data tests need 'postgresql'. {HowToRun}");
            }

            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = Required("DATABASE_HOST"),
                Port = RequiredPort("DATABASE_PORT"),
                Username = Required("DATABASE_USER"),
                Password = Required("DATABASE_PASSWORD"),
                Database = Required("DATABASE_NAME"),
            };
            return builder.ConnectionString;
        }
    }

    /// <summary>Client options for the test Redis server, from REDIS_URL (<c>redis://host:port</c>).</summary>
    public static ConfigurationOptions RedisOptions
    {
        get
        {
            var value = Required("REDIS_URL");
            if (!Uri.TryCreate(value, UriKind.Absolute, out var url)
                || !string.Equals(url.Scheme, "redis", StringComparison.Ordinal)
                || url.Port <= 0)
            {
                throw new InvalidOperationException(
                    $"REDIS_URL is '{value}', but it must look like redis://127.0.0.1:6379. {HowToRun}");
            }

            var options = new ConfigurationOptions();
            options.EndPoints.Add(url.Host, url.Port);
            return options;
        }
    }

    private static string Required(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"Environment variable {name} is not set. {HowToRun}")
            : value;
    }

    private static int RequiredPort(string name)
    {
        var value = Required(name);
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"{name} is '{value}', but it must be a TCP port number. {HowToRun}");
    }
}
