using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CalMiner.Cli.Tests;

/// <summary>
/// <c>calminer workspace</c> and <c>calminer audit</c> as real processes against a real SQLite file and the real PostgreSQL
/// of the test run, with the web app as a process of its own on the same database: the members the CLI sets are who
/// the web app lets in, and the CLI reads the audit records of both.
/// </summary>
public sealed class WorkspaceCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("calminer-workspace-");

    public static TheoryData<string> BothDrivers() => ["sqlite", "postgresql"];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Theory]
    [MemberData(nameof(BothDrivers))]
    public async Task WorkspaceCommands_DecideWhoTheWebAppLetsIn_AndTheAuditLogShowsWhoDidWhat(string driver)
    {
        var database = NewDatabase(driver);
        Task<CliRun> Run(params string[] args) => Cli.RunProcessAsync(new CliProcess(null, _folder.FullName, database), args);
        Assert.Equal(0, (await Run("migrate")).ExitCode);
        var key = await Run("apikey", "create", "--email", "ann@example.com", "--role", "analyst");
        Assert.Equal(0, key.ExitCode);

        var created = await Run("workspace", "create", "--name", "Copper study");
        Assert.Equal(0, created.ExitCode);
        var copper = Assert.Single(created.OutputLines);
        Assert.Contains($"created workspace {copper} 'Copper study'", created.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await Run("workspace", "create", "--name", "Copper study")).ExitCode);
        Assert.Equal(2, (await Run("workspace", "create", "--name", " ")).ExitCode);

        Assert.Equal(0, (await Run("workspace", "add-member", "--workspace", "Copper study", "--email", "ann@example.com", "--role", "viewer")).ExitCode);
        var twice = await Run("workspace", "add-member", "-w", copper, "-e", "ann@example.com", "--role", "analyst");
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("already a member of workspace 'Copper study' (viewer)", twice.Error, StringComparison.Ordinal);
        var promoted = await Run("workspace", "set-role", "-w", copper, "-e", "ann@example.com", "--role", "analyst");
        Assert.Equal(0, promoted.ExitCode);
        Assert.Contains("ann@example.com is analyst in workspace 'Copper study'", promoted.Error, StringComparison.Ordinal);

        var list = await Run("workspace", "list");
        Assert.Equal(["ID", "NAME", "MEMBERS", "CREATED"], list.OutputLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["Copper study  1", "Default  0"], list.OutputLines.Skip(1).Select(l => string.Join("  ", Regex.Split(l, " {2,}")[1..3])));
        var members = await Run("workspace", "members", "-w", "Copper study");
        Assert.Equal(["ann@example.com", "analyst"], members.OutputLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        await using (var web = await WebHostProcess.StartAsync(_folder.FullName, database))
        {
            using var ann = web.Browser();
            ann.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Assert.Single(key.OutputLines));
            var scenario = await ann.PostAsync("/api/scenarios", new StringContent(File.ReadAllText(Scenarios.GoldOpenPit), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, scenario.StatusCode);
            var id = JsonDocument.Parse(await scenario.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

            Assert.Equal(0, (await Run("workspace", "remove-member", "-w", copper, "-e", "ann@example.com")).ExitCode);
            Assert.Equal(HttpStatusCode.NotFound, (await ann.GetAsync($"/api/scenarios/{id}")).StatusCode);
        }

        var audit = await Run("audit", "list", "--workspace", "Copper study");
        Assert.Equal(0, audit.ExitCode);
        Assert.Equal(["TIME", "ACTOR", "ACTION", "TARGET", "WORKSPACE", "SUMMARY", "ADDRESS"], audit.OutputLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = audit.OutputLines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["member.remove", "scenario.create", "member.set", "member.set", "workspace.create"], rows.Select(r => r[2]));
        Assert.Equal("ann@example.com", rows[1][1]);
        Assert.Equal("127.0.0.1", rows[1][^1]);
        Assert.All(rows.Where(r => r[2] != "scenario.create"), r => Assert.StartsWith("cli:", r[1], StringComparison.Ordinal));
        var since = await Run("audit", "list", "--action", "member.", "--since", "2000-01-01", "--limit", "2");
        Assert.Equal(3, since.OutputLines.Length);
        Assert.Contains("2 of 3 records", since.Error, StringComparison.Ordinal);
        var users = await Run("audit", "list", "--user", "ann@example.com");
        Assert.Equal(["scenario.create"], users.OutputLines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]));
    }

    [Theory]
    [InlineData(new[] { "workspace", "add-member", "--workspace", "Nowhere", "--email", "a@example.com", "--role", "viewer" }, 1, "there is no workspace 'Nowhere'")]
    [InlineData(new[] { "workspace", "set-role", "--workspace", "Default", "--email", "nobody@example.com", "--role", "viewer" }, 1, "there is no user with the email address nobody@example.com")]
    [InlineData(new[] { "workspace", "remove-member", "--workspace", "1", "--email", "ann@example.com" }, 1, "ann@example.com is not a member of workspace 'Default'")]
    [InlineData(new[] { "audit", "list", "--since", "yesterday" }, 2, "--since must be a time")]
    [InlineData(new[] { "audit", "list", "--limit", "0" }, 2, "--limit must be between 1 and 500")]
    public async Task BadWorkspaceCommands_SayWhatIsWrong(string[] args, int exitCode, string message)
    {
        var database = NewDatabase("sqlite");
        Assert.Equal(0, (await Cli.RunProcessAsync(new CliProcess(null, _folder.FullName, database), "migrate")).ExitCode);
        Assert.Equal(0, (await Cli.RunProcessAsync(new CliProcess(null, _folder.FullName, database), "apikey", "create", "--email", "ann@example.com")).ExitCode);

        var run = await Cli.RunProcessAsync(new CliProcess(null, _folder.FullName, database), args);

        Assert.Equal((exitCode, ""), (run.ExitCode, run.Output));
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "workspace", "add-member", "--workspace", "1", "--email", "a@example.com", "--role", "admin" }, "'admin'")]
    [InlineData(new[] { "workspace", "set-role", "--workspace", "1", "--email", "a@example.com" }, "--role")]
    [InlineData(new[] { "workspace", "create" }, "--name")]
    public async Task BadOptions_AreInvalidInput_PointingAtTheHelp(string[] args, string named)
    {
        var run = await Cli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage", run.Error, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> NewDatabase(string driver)
    {
        if (driver == "postgresql")
        {
            DatabaseEnvironment.RequirePostgreSql();
            return new(StringComparer.Ordinal)
            {
                ["DATABASE_DRIVER"] = "postgresql",
                ["DATABASE_SCHEMA"] = $"cli_workspace_{Guid.NewGuid():N}",
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
}
