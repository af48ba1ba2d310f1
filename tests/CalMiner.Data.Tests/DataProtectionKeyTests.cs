using CalMiner.Data.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Data.Tests;

public sealed class DataProtectionKeyTests
{
    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task StoredElements_AreReadBackOldestFirst_ByEveryHostOnTheDatabase(Engine engine)
    {
        await using var first = await DataHost.StartAsync(engine);
        var keys = first.Services.GetRequiredService<DataProtectionKeyRepository>();
        Assert.Empty(keys.GetAll());
        const string Key = "<key id=\"1c5b…\" version=\"1\"><creationDate>2030-01-01T00:00:00Z</creationDate></key>";
        const string Revocation = "<revocation version=\"1\"><revocationDate>2030-02-01T00:00:00Z</revocationDate></revocation>";

        keys.Add("key-1c5b", Key);
        keys.Add(new string('n', 300), Revocation);

        Assert.Equal([Key, Revocation], keys.GetAll());
        // Another host on the same database: a second service provider over the same options.
        await using var second = new ServiceCollection().AddCalMinerData(first.Options).BuildServiceProvider();
        Assert.Equal([Key, Revocation], second.GetRequiredService<DataProtectionKeyRepository>().GetAll());
        Assert.Equal(256, await first.ScalarAsync("SELECT max(length(friendly_name)) FROM data_protection_key"));
        Assert.Equal("xml", Assert.Throws<ArgumentException>(() => keys.Add("key-2", " ")).ParamName);
    }
}
