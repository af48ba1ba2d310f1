using CalMiner.Data.Tests.Infrastructure;
using Npgsql;

namespace CalMiner.Data.Tests;

/// <summary>The PostgreSQL data source: a standard connection string, the embedder's adjustments, and Npgsql's log.</summary>
public sealed class DataSourceTests
{
    private const string ConnectionStringSetting = "ConnectionStrings:CalMiner";

    [Fact]
    public async Task AConnectionString_AloneReachesTheDatabase_WithItsOtherSettings()
    {
        var server = DataHost.PostgreSqlServer();
        var schema = $"t_{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = server.Host,
            Port = server.Port,
            Username = server.User,
            Password = server.Password,
            Database = server.Database,
            SearchPath = schema,
            ApplicationName = "calminer-connection-string",
        }.ConnectionString;

        var options = CalMinerDataOptions.FromSettings(name => name == ConnectionStringSetting ? connectionString : null);
        await using var host = await DataHost.StartAsync(options, ownsStorage: true);
        var scenario = await host.Scenarios.CreateAsync(Samples.Gold, "alice");

        Assert.Equal((DatabaseDriver.PostgreSql, server.Host, server.Port, schema), (options.Driver, options.Host, options.Port, options.Schema));
        Assert.Equal(scenario.Id, (await host.Scenarios.GetAsync(scenario.Id))!.Id);
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{schema}' AND table_name = 'scenario'"));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid() AND application_name = 'calminer-connection-string'"));
        Assert.DoesNotContain(server.Password ?? "\0", options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DATABASE_HOST", "other-host")]
    [InlineData("DATABASE_NAME", "other_database")]
    [InlineData("DATABASE_SCHEMA", "other_schema")]
    [InlineData("DATABASE_PASSWORD", "other-password")]
    [InlineData("DATABASE_DRIVER", "sqlite")]
    public void AConnectionString_ThatContradictsADatabaseSetting_IsRefused_NamingIt(string setting, string value)
    {
        var settings = new Dictionary<string, string>
        {
            [ConnectionStringSetting] = "Host=db;Username=calminer;Password=secret;Database=calminer;Search Path=tenant_a",
            [setting] = value,
        };

        var error = Assert.Throws<DataConfigurationException>(() => CalMinerDataOptions.FromSettings(settings.GetValueOrDefault));

        Assert.Equal(setting, error.Setting);
        Assert.Contains(ConnectionStringSetting, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConnectionString_AndAgreeingDatabaseSettings_AreOneDatabase()
    {
        var settings = new Dictionary<string, string>
        {
            [ConnectionStringSetting] = "Host=db;Port=6543;Username=calminer;Database=calminer;SSL Mode=Require",
            ["DATABASE_HOST"] = "db",
            ["DATABASE_PASSWORD"] = "secret",
        };

        var options = CalMinerDataOptions.FromSettings(settings.GetValueOrDefault);

        Assert.Equal(("db", 6543, "calminer", "secret", "calminer"), (options.Host, options.Port, options.User, options.Password, options.Database));
        Assert.Equal("postgresql calminer@db:6543/calminer", options.DatabaseLocation);
    }

    [Fact]
    public void AnInvalidConnectionString_IsRefused_NamingIt()
    {
        var error = Assert.Throws<DataConfigurationException>(() => CalMinerDataOptions.FromSettings(name => name == ConnectionStringSetting ? "Hots=db" : null));

        Assert.Equal(ConnectionStringSetting, error.Setting);
    }

    [Fact]
    public async Task TheEmbeddersAdjustment_IsAppliedToTheDataSource()
    {
        await using var host = await DataHost.StartAsync(
            DataHost.NewDatabase(Engine.PostgreSql), ownsStorage: true, configureDataSource: data => data.ConnectionStringBuilder.ApplicationName = "calminer-configured");

        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid() AND application_name = 'calminer-configured'"));
    }

    [Fact]
    public async Task NpgsqlsLog_ReachesTheHostsLoggerFactory()
    {
        await using var host = await DataHost.StartAsync(Engine.PostgreSql);
        await host.Scenarios.CreateAsync(Samples.Gold, "alice");

        Assert.Contains(host.Logs.Entries, e => e.Category.StartsWith("Npgsql.", StringComparison.Ordinal));
    }
}
