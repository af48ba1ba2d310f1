using CalMiner.Data.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Data.Tests;

public sealed class ConfigurationTests
{
    private const string Secret = "s3cr3t-Pa55";

    private static CalMinerDataOptions Read(params (string Name, string Value)[] settings)
    {
        var values = settings.ToDictionary(s => s.Name, s => s.Value);
        return CalMinerDataOptions.FromSettings(name => values.GetValueOrDefault(name));
    }

    [Fact]
    public void NoSettings_MeansSqliteInTheUsersDataFolder_WithAMemoryCache()
    {
        var options = Read();

        Assert.Equal(DatabaseDriver.Sqlite, options.Driver);
        var dataFolder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        Assert.Equal(Path.Combine(dataFolder, "calminer", "calminer.db"), options.Path);
        Assert.True(Path.IsPathFullyQualified(options.Path), options.Path);
        Assert.Equal(options.Path, new CalMinerDataOptions().Path);
        Assert.Equal("sqlite " + options.Path, options.DatabaseLocation);
        Assert.Null(options.RedisUrl);
    }

    [Fact]
    public void ARelativeDatabasePath_IsRelativeToTheCurrentFolder()
    {
        var options = Read(("DATABASE_PATH", Path.Combine("some", "where.db")));

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "some", "where.db"), options.Path);
    }

    [Fact]
    public void DatabaseLocation_NamesThePostgreSqlDatabase_WithoutThePassword()
    {
        var options = Read(("DATABASE_DRIVER", "postgresql"), ("DATABASE_HOST", "db"), ("DATABASE_USER", "calminer"),
            ("DATABASE_PASSWORD", Secret), ("DATABASE_NAME", "calminer"), ("DATABASE_SCHEMA", "tenant_a"));

        Assert.Equal("postgresql calminer@db:5432/calminer schema tenant_a", options.DatabaseLocation);
        Assert.Equal("postgresql calminer@db:5432/calminer", (options with { Schema = null }).DatabaseLocation);
    }

    [Fact]
    public void AnEmptySqlitePath_FailsNamingDatabasePath()
    {
        var error = Assert.Throws<DataConfigurationException>(() => new ServiceCollection().AddCalMinerData(new CalMinerDataOptions { Path = " " }));

        Assert.Equal("DATABASE_PATH", error.Setting);
    }

    [Fact]
    public void PostgreSqlSettings_AreRead()
    {
        var options = Read(("DATABASE_DRIVER", "postgresql"), ("DATABASE_HOST", "db"), ("DATABASE_PORT", "6543"), ("DATABASE_USER", "calminer"),
            ("DATABASE_PASSWORD", Secret), ("DATABASE_NAME", "calminer"), ("DATABASE_SCHEMA", "tenant_a"), ("REDIS_URL", "redis://cache:6380/2"));

        Assert.Equal(
            new CalMinerDataOptions { Driver = DatabaseDriver.PostgreSql, Host = "db", Port = 6543, User = "calminer", Password = Secret, Database = "calminer", Schema = "tenant_a", RedisUrl = "redis://cache:6380/2" },
            options);
        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DATABASE_DRIVER", "mysql")]
    [InlineData("DATABASE_PORT", "54x2")]
    [InlineData("DATABASE_PORT", "70000")]
    [InlineData("DATABASE_HOST", "")]
    [InlineData("DATABASE_USER", "")]
    [InlineData("DATABASE_NAME", "")]
    [InlineData("DATABASE_SCHEMA", "Robert'); DROP TABLE scenario;--")]
    [InlineData("REDIS_URL", "http://user:" + Secret + "@cache")]
    [InlineData("REDIS_URL", "redis://:" + Secret + "@cache/zero")]
    public void ABadSetting_FailsWithAMessageNamingIt_WithoutThePassword(string setting, string value)
    {
        var settings = new Dictionary<string, string>
        {
            ["DATABASE_DRIVER"] = "postgresql",
            ["DATABASE_HOST"] = "db",
            ["DATABASE_USER"] = "calminer",
            ["DATABASE_PASSWORD"] = Secret,
            ["DATABASE_NAME"] = "calminer",
            [setting] = value,
        };

        var error = Assert.Throws<DataConfigurationException>(() => CalMinerDataOptions.FromSettings(name => settings.GetValueOrDefault(name)));

        Assert.Equal(setting, error.Setting);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCalMinerData_ValidatesOptionsBuiltInCode()
    {
        var options = new CalMinerDataOptions { Driver = DatabaseDriver.PostgreSql, Host = "db", User = "u", Password = Secret };

        var error = Assert.Throws<DataConfigurationException>(() => new ServiceCollection().AddCalMinerData(options));

        Assert.Equal("DATABASE_NAME", error.Setting);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCalMinerData_KeepsServicesTheHostAlreadyRegistered()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);

        services.AddCalMinerData(DataHost.NewDatabase(Engine.Sqlite));
        services.AddCalMinerData(DataHost.NewDatabase(Engine.Sqlite));
        using var provider = services.BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
        Assert.Single(services, s => s.ServiceType == typeof(ScenarioRepository));
        Assert.NotNull(provider.GetRequiredService<CalMinerCache>());
    }

    [Fact]
    public void TheTestRun_HasAPostgreSqlServerAndARedisServer()
    {
        Assert.Equal(DatabaseDriver.PostgreSql, DataHost.PostgreSqlServer().Driver);
        Assert.StartsWith("redis", DataHost.RedisUrl(), StringComparison.Ordinal);
    }
}
