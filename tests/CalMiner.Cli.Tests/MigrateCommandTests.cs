namespace CalMiner.Cli.Tests;

/// <summary><c>calminer migrate</c> against a real SQLite file and the real PostgreSQL of the test run.</summary>
[Collection(DatabaseEnvironment.Name)]
public sealed class MigrateCommandTests
{
    private static Task<(CliRun First, CliRun Second)> MigrateTwiceWith(params (string Name, string? Value)[] variables) =>
        DatabaseEnvironment.WithAsync(async () => (await Cli.RunAsync("migrate"), await Cli.RunAsync("migrate")), variables);

    [Fact]
    public async Task Migrate_CreatesTheSqliteSchema_ThenHasNothingToDo()
    {
        var folder = Directory.CreateTempSubdirectory("calminer-migrate-");
        try
        {
            var (first, second) = await MigrateTwiceWith(("DATABASE_DRIVER", "sqlite"), ("DATABASE_PATH", Path.Combine(folder.FullName, "calminer.db")));

            Assert.Equal(0, first.ExitCode);
            Assert.StartsWith("database at version 6: applied 0001_initial, 0002_accounts, 0003_sessions, 0004_correlation_repair, 0006_run_quotas", first.Output, StringComparison.Ordinal);
            Assert.Equal(0, second.ExitCode);
            Assert.StartsWith("database at version 6: already up to date", second.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder.FullName, "calminer.db")));
            Assert.Contains($"database: sqlite {Path.Combine(folder.FullName, "calminer.db")}", first.Error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_CreatesThePostgreSqlSchema_ThenHasNothingToDo()
    {
        DatabaseEnvironment.RequirePostgreSql();
        var schema = $"cli_migrate_{Guid.NewGuid():N}";

        var (first, second) = await MigrateTwiceWith(("DATABASE_DRIVER", "postgresql"), ("DATABASE_SCHEMA", schema));

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("database at version 6: applied 0001_initial, 0002_accounts, 0003_sessions, 0004_correlation_repair, 0006_run_quotas", first.Output, StringComparison.Ordinal);
        Assert.StartsWith("database at version 6: already up to date", second.Output, StringComparison.Ordinal);
        Assert.Contains($"schema {schema}", first.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.GetEnvironmentVariable("DATABASE_PASSWORD")!, first.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_RejectsABadSetting_NamingIt_WithExit2()
    {
        var (run, _) = await MigrateTwiceWith(("DATABASE_DRIVER", "oracle"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("DATABASE_DRIVER", run.Error, StringComparison.Ordinal);
    }
}
