using Npgsql;
using StackExchange.Redis;

namespace CalMiner.Data.Tests;

/// <summary>
/// The servers that scripts/test.sh provisions answer: if these fail, every other data test
/// would fail for a reason that has nothing to do with CalMiner.Data.
/// </summary>
public sealed class ProvisionedServersAreReachable
{
    [Fact]
    public async Task PostgreSql_AnswersAQuery()
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgreSqlConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select version()", connection);

        var version = await command.ExecuteScalarAsync() as string;

        Assert.NotNull(version);
        Assert.Contains("PostgreSQL", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_StoresAndReturnsAValue()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.RedisOptions);
        var database = redis.GetDatabase();
        // A unique key, so parallel or repeated runs never read each other's value.
        var key = new RedisKey($"calminer:tests:{Guid.NewGuid():N}");
        var expected = $"value-{Guid.NewGuid():N}";

        var stored = await database.StringSetAsync(key, expected, TimeSpan.FromMinutes(1));
        var actual = await database.StringGetAsync(key);

        Assert.True(stored);
        Assert.Equal(expected, actual.ToString());
    }
}
