namespace CalMiner.Cli.Tests;

/// <summary>
/// The commands that use a database read the DATABASE_* variables of the process, so the tests that
/// set them run one at a time (this collection) and put them back afterwards.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DatabaseEnvironment
{
    public const string Name = "DatabaseEnvironment";

    private static readonly string[] Settings = ["DATABASE_DRIVER", "DATABASE_PATH", "DATABASE_SCHEMA"];

    /// <summary>Runs <paramref name="body"/> with the variables set, then restores them.</summary>
    public static async Task<T> WithAsync<T>(Func<Task<T>> body, params (string Name, string? Value)[] variables)
    {
        var saved = Settings.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            return await body();
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <summary>Fails, with how to fix it, when the test run has no PostgreSQL server.</summary>
    public static void RequirePostgreSql() =>
        Assert.True(
            Environment.GetEnvironmentVariable("DATABASE_HOST") is { Length: > 0 },
            "DATABASE_HOST is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");
}
