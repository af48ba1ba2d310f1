using System.Text.RegularExpressions;
using CalMiner.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Tests;

/// <summary><c>calminer apikey create</c> against a real SQLite file and the real PostgreSQL of the test run.</summary>
[Collection(DatabaseEnvironment.Name)]
public sealed partial class ApiKeyCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("calminer-apikey-");

    public static TheoryData<string> BothDrivers() => ["sqlite", "postgresql"];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [GeneratedRegex("^cm_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretFormat();

    /// <summary>The variables of a new, empty database of <paramref name="driver"/>.</summary>
    private (string Name, string? Value)[] NewDatabase(string driver)
    {
        if (driver == "postgresql")
        {
            DatabaseEnvironment.RequirePostgreSql();
            return [("DATABASE_DRIVER", "postgresql"), ("DATABASE_SCHEMA", $"cli_apikey_{Guid.NewGuid():N}")];
        }

        return [("DATABASE_DRIVER", "sqlite"), ("DATABASE_PATH", Path.Combine(_folder.FullName, $"{Guid.NewGuid():N}.db"))];
    }

    /// <summary>Runs <paramref name="body"/> with the database's repositories, built as a host would from the same variables.</summary>
    private static async Task<T> WithRepositoriesAsync<T>(Func<UserRepository, ApiKeyRepository, Task<T>> body)
    {
        await using var services = new ServiceCollection()
            .AddCalMinerData(CalMinerDataOptions.FromEnvironment() with { RedisUrl = null })
            .BuildServiceProvider();
        return await body(services.GetRequiredService<UserRepository>(), services.GetRequiredService<ApiKeyRepository>());
    }

    [Theory]
    [MemberData(nameof(BothDrivers))]
    public async Task Create_MakesTheUser_AndPrintsOnlyTheSecret_WhichAuthenticatesAsThem(string driver)
    {
        await DatabaseEnvironment.WithAsync(
            async () =>
            {
                Assert.Equal(0, (await Cli.RunAsync("migrate")).ExitCode);

                var run = await Cli.RunAsync("apikey", "create", "--email", " CI-Bot@Example.com");

                Assert.Equal(0, run.ExitCode);
                var secret = Assert.Single(run.OutputLines);
                Assert.Matches(SecretFormat(), secret);
                Assert.Equal(secret + Environment.NewLine, run.Output);
                Assert.Contains("created user ci-bot@example.com with role analyst", run.Error, StringComparison.Ordinal);
                Assert.Contains($"API key \"cli\" ({secret.Substring(3, 8)}…) for ci-bot@example.com: this is the only time its secret is shown", run.Error, StringComparison.Ordinal);
                Assert.DoesNotContain(secret[3..], run.Error, StringComparison.Ordinal);

                return await WithRepositoriesAsync(async (users, keys) =>
                {
                    var user = await keys.AuthenticateAsync(secret);
                    Assert.NotNull(user);
                    Assert.Equal("ci-bot@example.com", user.Email);
                    Assert.Equal(UserRole.Analyst, user.Role);
                    Assert.Null((await users.GetCredentialsAsync(user.Email))!.PasswordHash);
                    Assert.Equal(["cli"], (await keys.ListAsync(user.Id)).Select(k => k.Name));
                    return user;
                });
            },
            NewDatabase(driver));
    }

    [Theory]
    [MemberData(nameof(BothDrivers))]
    public async Task Create_ForAnExistingUser_AddsAKey_AndChangesTheRoleOnlyWhenAsked(string driver)
    {
        await DatabaseEnvironment.WithAsync(
            async () =>
            {
                Assert.Equal(0, (await Cli.RunAsync("migrate")).ExitCode);
                var first = await Cli.RunAsync("apikey", "create", "--email", "ops@example.com", "--role", "viewer");

                var same = await Cli.RunAsync("apikey", "create", "--email", "OPS@example.com", "--name", "laptop", "--role", "viewer");
                var unchanged = await Cli.RunAsync("apikey", "create", "--email", "ops@example.com", "--name", "backup");
                var promoted = await Cli.RunAsync("apikey", "create", "--email", "ops@example.com", "--name", "deploy", "--role", "admin");

                Assert.All([first, same, unchanged, promoted], run => Assert.Equal(0, run.ExitCode));
                Assert.Contains("created user ops@example.com with role viewer", first.Error, StringComparison.Ordinal);
                Assert.DoesNotContain("created user", same.Error, StringComparison.Ordinal);
                Assert.DoesNotContain("changed the role", same.Error + unchanged.Error, StringComparison.Ordinal);
                Assert.Contains("changed the role of ops@example.com from viewer to admin", promoted.Error, StringComparison.Ordinal);
                var secrets = new[] { first, same, unchanged, promoted }.Select(run => Assert.Single(run.OutputLines)).ToList();
                Assert.Equal(4, secrets.Distinct().Count());

                return await WithRepositoriesAsync(async (users, keys) =>
                {
                    var user = Assert.Single(await users.ListAsync());
                    Assert.Equal(UserRole.Admin, user.Role);
                    foreach (var secret in secrets)
                    {
                        Assert.Equal(user, await keys.AuthenticateAsync(secret));
                    }

                    Assert.Equal(["cli", "laptop", "backup", "deploy"], (await keys.ListAsync(user.Id)).Select(k => k.Name));
                    return user;
                });
            },
            NewDatabase(driver));
    }

    [Theory]
    [MemberData(nameof(BothDrivers))]
    public async Task Create_OnADatabaseThatIsNotMigrated_SaysToMigrate_AndExitsWith1(string driver)
    {
        var run = await DatabaseEnvironment.WithAsync(() => Cli.RunAsync("apikey", "create", "--email", "ci@example.com"), NewDatabase(driver));

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains("run 'calminer migrate' first", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--email", "not-an-address", "email must be an address")]
    [InlineData("--email", "  ", "email must not be empty")]
    [InlineData("--role", "owner", "'owner'")]
    [InlineData("--name", " ", "--name must have 1..100 characters")]
    [InlineData("--name", "{101}", "--name must have 1..100 characters")]
    public async Task Create_WithBadInput_ExitsWith2_AndWritesNothing(string option, string value, string message)
    {
        value = value == "{101}" ? new string('n', 101) : value;
        string[] args = option == "--email" ? ["apikey", "create", "--email", value] : ["apikey", "create", "--email", "ci@example.com", option, value];

        var users = await DatabaseEnvironment.WithAsync(
            async () =>
            {
                Assert.Equal(0, (await Cli.RunAsync("migrate")).ExitCode);
                var run = await Cli.RunAsync(args);

                Assert.Equal(2, run.ExitCode);
                Assert.Empty(run.Output);
                Assert.Contains(message, run.Error, StringComparison.Ordinal);
                return await WithRepositoriesAsync((users, _) => users.ListAsync());
            },
            NewDatabase("sqlite"));

        Assert.Empty(users);
    }

    [Fact]
    public async Task Create_WithoutEmail_IsInvalidInput_PointingAtItsHelp()
    {
        var run = await Cli.RunAsync("apikey", "create");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--email", run.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'calminer apikey create --help'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesTheOptions()
    {
        var run = await Cli.RunAsync("apikey", "create", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--email <EMAIL>", run.Output, StringComparison.Ordinal);
        Assert.Contains("--role <viewer|analyst|admin>", run.Output, StringComparison.Ordinal);
        Assert.Contains("--name <NAME>", run.Output, StringComparison.Ordinal);
    }
}
