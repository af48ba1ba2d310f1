using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalMiner.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Tests;

/// <summary>
/// <c>calminer user</c> as real processes against a real SQLite file and the real PostgreSQL of the test run, with the
/// web app as a process of its own on the same database: what the CLI sets is what the web app signs in with.
/// </summary>
public sealed class UserCommandTests : IDisposable
{
    private static readonly string[] DatabaseVariables =
        ["DATABASE_DRIVER", "DATABASE_HOST", "DATABASE_PORT", "DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_NAME", "DATABASE_SCHEMA", "DATABASE_PATH", "REDIS_URL"];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("calminer-user-");

    public static TheoryData<string> BothDrivers() => ["sqlite", "postgresql"];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    /// <summary>The variables of a new, empty database of <paramref name="driver"/>; the others of the test run stay.</summary>
    private Dictionary<string, string?> NewDatabase(string driver)
    {
        if (driver == "postgresql")
        {
            DatabaseEnvironment.RequirePostgreSql();
            return new(StringComparer.Ordinal)
            {
                ["DATABASE_DRIVER"] = "postgresql",
                ["DATABASE_SCHEMA"] = $"cli_user_{Guid.NewGuid():N}",
                ["DATABASE_PATH"] = null,
                ["REDIS_URL"] = null,
            };
        }

        return new(StringComparer.Ordinal)
        {
            ["DATABASE_DRIVER"] = "sqlite",
            ["DATABASE_PATH"] = Path.Combine(_folder.FullName, "calminer.db"),
            ["DATABASE_SCHEMA"] = null,
            ["REDIS_URL"] = null,
        };
    }

    [Theory]
    [MemberData(nameof(BothDrivers))]
    public async Task UserCommands_SetWhatTheWebAppSignsInWith_AndChangesReachOpenSessions(string driver)
    {
        var database = NewDatabase(driver);
        Task<CliRun> Run(string? input, params string[] args) => Cli.RunProcessAsync(new CliProcess(input, _folder.FullName, database), args);
        Assert.Equal(0, (await Run(null, "migrate")).ExitCode);

        var ann = await Run("first password of ann\n", "user", "create", "--email", " Ann@Example.com", "--role", "admin", "--password-stdin");
        var bob = await Run(null, "user", "create", "--email", "bob@example.com");

        Assert.Equal((0, ""), (ann.ExitCode, ann.Output));
        Assert.Contains("created user ann@example.com with role admin", ann.Error, StringComparison.Ordinal);
        Assert.Equal(0, bob.ExitCode);
        var bobPassword = Assert.Single(bob.OutputLines);
        Assert.Matches("^[A-Za-z0-9]{20}$", bobPassword);
        Assert.Contains("created user bob@example.com with role analyst", bob.Error, StringComparison.Ordinal);
        Assert.Contains("this is the only time it is shown", bob.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(bobPassword, bob.Error, StringComparison.Ordinal);
        var duplicate = await Run(null, "user", "create", "--email", "ANN@example.com");
        Assert.Equal((1, ""), (duplicate.ExitCode, duplicate.Output));
        Assert.Contains("there is already a user with the email address ann@example.com", duplicate.Error, StringComparison.Ordinal);

        var list = await Run(null, "user", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(["EMAIL", "ROLE", "CREATED"], list.OutputLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            [["ann@example.com", "admin"], ["bob@example.com", "analyst"]],
            list.OutputLines.Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2]));
        Assert.All(list.OutputLines.Skip(1), line => Assert.Matches(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", line));
        Assert.DoesNotContain("AQAAAA", list.Output, StringComparison.Ordinal);

        await using var web = await WebHostProcess.StartAsync(_folder.FullName, new Dictionary<string, string?>(database));
        using var annBrowser = web.Browser();
        await SignInAsync(annBrowser, "ann@example.com", "first password of ann", HttpStatusCode.OK);
        Assert.Equal("admin", await RoleAsync(annBrowser));
        using var bobBrowser = web.Browser();
        await SignInAsync(bobBrowser, "bob@example.com", bobPassword, HttpStatusCode.OK);

        // The last admin stays an admin.
        var demoteLast = await Run(null, "user", "set-role", "--email", "ann@example.com", "--role", "viewer");
        Assert.Equal(1, demoteLast.ExitCode);
        Assert.Contains("ann@example.com is the last admin", demoteLast.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await Run(null, "user", "set-role", "--email", "bob@example.com", "--role", "admin")).ExitCode);
        var demoted = await Run(null, "user", "set-role", "--email", "ann@example.com", "--role", "viewer");
        Assert.Equal(0, demoted.ExitCode);
        Assert.Contains("changed the role of ann@example.com from admin to viewer", demoted.Error, StringComparison.Ordinal);

        // A new role is taken into the open session; a new password ends it.
        Assert.Equal("viewer", await RoleAsync(annBrowser));
        Assert.Equal("admin", await RoleAsync(bobBrowser));
        var reset = await Run("second password of ann", "user", "set-password", "--email", "ann@example.com", "--password-stdin");
        Assert.Equal((0, ""), (reset.ExitCode, reset.Output));
        Assert.Equal(HttpStatusCode.Unauthorized, (await annBrowser.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal("admin", await RoleAsync(bobBrowser));

        using var again = web.Browser();
        await SignInAsync(again, "ann@example.com", "first password of ann", HttpStatusCode.Unauthorized);
        await SignInAsync(again, "ann@example.com", "second password of ann", HttpStatusCode.OK);
        var generated = await Run(null, "user", "set-password", "--email", "bob@example.com");
        var newBobPassword = Assert.Single(generated.OutputLines);
        Assert.NotEqual(bobPassword, newBobPassword);
        using var bobAgain = web.Browser();
        await SignInAsync(bobAgain, "bob@example.com", newBobPassword, HttpStatusCode.OK);
        Assert.Equal("admin", await RoleAsync(bobAgain));
        Assert.All([ann, bob, list, demoted, reset, generated], run => Assert.Contains("database: " + driver + " ", run.Error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("short", "password must have at least 12 characters, not 5")]
    [InlineData("two\nlines of a password", "password must be one line")]
    public async Task APasswordFromStdin_ThatBreaksTheRules_IsInvalidInput_AndWritesNothing(string password, string problem)
    {
        var database = NewDatabase("sqlite");
        var how = new CliProcess(password, _folder.FullName, database);
        Assert.Equal(0, (await Cli.RunProcessAsync(how, "migrate")).ExitCode);

        var run = await Cli.RunProcessAsync(how, "user", "create", "--email", "carol@example.com", "--password-stdin");

        Assert.Equal((2, ""), (run.ExitCode, run.Output));
        Assert.Contains(problem, run.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await Cli.RunProcessAsync(how, "user", "set-password", "--email", "carol@example.com")).ExitCode);
    }

    [Fact]
    public async Task ThePasswordIsHashedAsTheWebAppHashesIt_AndTrailingLineEndsAreNotPartOfIt()
    {
        var database = NewDatabase("sqlite");
        Assert.Equal(0, (await Cli.RunProcessAsync(new CliProcess(null, _folder.FullName, database), "migrate")).ExitCode);

        var run = await Cli.RunProcessAsync(new CliProcess("  spaces count too  \r\n", _folder.FullName, database), "user", "create", "-e", "dan@example.com", "--password-stdin");

        Assert.Equal(0, run.ExitCode);
        await using var services = new ServiceCollection()
            .AddCalMinerData(new CalMinerDataOptions { Path = database["DATABASE_PATH"]! })
            .BuildServiceProvider();
        var credentials = (await services.GetRequiredService<UserRepository>().GetCredentialsAsync("dan@example.com"))!;
        var hasher = new PasswordHasher<UserAccount>();
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(credentials.Account, credentials.PasswordHash!, "  spaces count too  "));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(credentials.Account, credentials.PasswordHash!, "  spaces count too  \r\n"));
    }

    [Theory]
    [InlineData("user", "set-password", "--email", "nobody@example.com")]
    [InlineData("user", "set-role", "--email", "nobody@example.com", "--role", "admin")]
    public async Task AnUnknownUser_SaysHowToCreateOne_AndExitsWith1(params string[] args)
    {
        var database = NewDatabase("sqlite");
        Assert.Equal(0, (await Cli.RunProcessAsync(new CliProcess(null, _folder.FullName, database), "migrate")).ExitCode);

        var run = await Cli.RunProcessAsync(new CliProcess(null, _folder.FullName, database), args);

        Assert.Equal((1, ""), (run.ExitCode, run.Output));
        Assert.Contains("there is no user with the email address nobody@example.com: create one with 'calminer user create --email nobody@example.com'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnADatabaseThatIsNotMigrated_TheCommandsSayToMigrate()
    {
        var run = await Cli.RunProcessAsync(new CliProcess(null, _folder.FullName, NewDatabase("sqlite")), "user", "list");

        Assert.Equal((1, ""), (run.ExitCode, run.Output));
        Assert.Contains("run 'calminer migrate' first", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "user", "create" }, "--email")]
    [InlineData(new[] { "user", "set-role", "--email", "a@example.com" }, "--role")]
    [InlineData(new[] { "user", "set-role", "--email", "a@example.com", "--role", "owner" }, "'owner'")]
    [InlineData(new[] { "user", "set-password", "--email", "a@example.com", "--password", "in-the-history" }, "--password")]
    public async Task BadOptions_AreInvalidInput_PointingAtTheHelp(string[] args, string named)
    {
        var run = await Cli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage", run.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The README's steps from three different folders, with no DATABASE_* variable: the CLI and the web app find the same
    /// default database, in the user's data folder, say so, and the key and password the CLI made work on the web app.
    /// </summary>
    [Fact]
    public async Task TheWebAppAndTheCli_StartedFromDifferentFolders_UseTheSameDefaultDatabase()
    {
        var dataFolder = _folder.CreateSubdirectory("data-home").FullName;
        var environment = DatabaseVariables.ToDictionary(name => name, string? (_) => null, StringComparer.Ordinal);
        environment["XDG_DATA_HOME"] = dataFolder;
        var expected = Path.Combine(dataFolder, "calminer", "calminer.db");
        var (first, second, third) = (_folder.CreateSubdirectory("first").FullName, _folder.CreateSubdirectory("second").FullName, _folder.CreateSubdirectory("third").FullName);

        var migrate = await Cli.RunProcessAsync(new CliProcess(null, first, environment), "migrate");
        var admin = await Cli.RunProcessAsync(new CliProcess("password of the admin", second, environment), "user", "create", "--email", "admin@example.com", "--role", "admin", "--password-stdin");
        var key = await Cli.RunProcessAsync(new CliProcess(null, first, environment), "apikey", "create", "--email", "ci@example.com");
        await using var web = await WebHostProcess.StartAsync(third, environment);

        Assert.All([migrate, admin, key], run => Assert.Equal(0, run.ExitCode));
        Assert.All([migrate, admin, key], run => Assert.Contains($"database: sqlite {expected}", run.Error, StringComparison.Ordinal));
        Assert.Contains($"Database: sqlite {expected}", web.Log, StringComparison.Ordinal);
        using var client = web.Browser();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Assert.Single(key.OutputLines));
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("ci@example.com", me.GetProperty("email").GetString());
        using var browser = web.Browser();
        await SignInAsync(browser, "admin@example.com", "password of the admin", HttpStatusCode.OK);
        Assert.Equal([expected], Directory.EnumerateFiles(_folder.FullName, "*.db", SearchOption.AllDirectories));
    }

    private static async Task SignInAsync(HttpClient client, string email, string password, HttpStatusCode expected)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.True(response.StatusCode == expected, $"sign-in of {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string?> RoleAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/auth/me");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/auth/me: {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString();
    }
}
