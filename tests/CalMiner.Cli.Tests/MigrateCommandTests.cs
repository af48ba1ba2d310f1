namespace CalMiner.Cli.Tests;

/// <summary>
/// <c>calminer migrate</c> against a real SQLite file and the real PostgreSQL of the test run. The command reads
/// the DATABASE_* variables of the process, so these tests run one at a time and put the variables back.
/// </summary>
[Collection(nameof(MigrateCommandTests))]
[CollectionDefinition(nameof(MigrateCommandTests), DisableParallelization = true)]
public sealed class MigrateCommandTests
{
    private static readonly string[] Settings = ["DATABASE_DRIVER", "DATABASE_PATH", "DATABASE_SCHEMA"];

    private static async Task<(CliRun First, CliRun Second)> MigrateTwiceWith(params (string Name, string? Value)[] variables)
    {
        var saved = Settings.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            return (await Cli.RunAsync("migrate"), await Cli.RunAsync("migrate"));
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [Fact]
    public async Task Migrate_CreatesTheSqliteSchema_ThenHasNothingToDo()
    {
        var folder = Directory.CreateTempSubdirectory("calminer-migrate-");
        try
        {
            var (first, second) = await MigrateTwiceWith(("DATABASE_DRIVER", "sqlite"), ("DATABASE_PATH", Path.Combine(folder.FullName, "calminer.db")));

            Assert.Equal(0, first.ExitCode);
            Assert.StartsWith("database at version 2: applied 0001_initial, 0002_accounts", first.Output, StringComparison.Ordinal);
            Assert.Equal(0, second.ExitCode);
            Assert.StartsWith("database at version 2: already up to date", second.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder.FullName, "calminer.db")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_CreatesThePostgreSqlSchema_ThenHasNothingToDo()
    {
        Assert.True(
            Environment.GetEnvironmentVariable("DATABASE_HOST") is { Length: > 0 },
            "DATABASE_HOST is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");
        var schema = $"cli_migrate_{Guid.NewGuid():N}";

        var (first, second) = await MigrateTwiceWith(("DATABASE_DRIVER", "postgresql"), ("DATABASE_SCHEMA", schema));

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("database at version 2: applied 0001_initial, 0002_accounts", first.Output, StringComparison.Ordinal);
        Assert.StartsWith("database at version 2: already up to date", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_RejectsABadSetting_NamingIt_WithExit2()
    {
        var (run, _) = await MigrateTwiceWith(("DATABASE_DRIVER", "oracle"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("DATABASE_DRIVER", run.Error, StringComparison.Ordinal);
    }
}
