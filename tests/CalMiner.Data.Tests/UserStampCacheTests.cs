using CalMiner.Data.Tests.Infrastructure;

namespace CalMiner.Data.Tests;

/// <summary>
/// A user's stamp is kept in Redis, and every change through the repository removes it: two hosts on one database and
/// one Redis (replicas) read a change made on either at once.
/// </summary>
public sealed class UserStampCacheTests
{
    [Fact]
    public async Task Change_IsReadOnAnotherHostAtOnce_WhenMadeOnOne()
    {
        await using var first = await DataHost.StartAsync(Engine.PostgreSql, redis: true);
        await using var second = await DataHost.StartAsync(first.Options, migrate: false);
        var user = await first.Users.CreateAsync($"grace-{Guid.NewGuid():N}@example.com", "hash", UserRole.Admin);
        var stamps = second.Get<UserStampCache>();

        var before = await stamps.GetAsync(user.Id);
        Assert.Equal(UserRole.Admin, before!.Role);
        Assert.True(await RedisServer.KeyExistsAsync($"{Caching.CacheKeys.Namespace(first.Options)}user-stamp:{user.Id}"));
        // Cached: the same answer again, from Redis.
        Assert.Equal(before, await stamps.GetAsync(user.Id));

        await first.Users.SetRoleAsync(user.Id, UserRole.Viewer);
        Assert.Equal(before with { Role = UserRole.Viewer }, await stamps.GetAsync(user.Id));

        await first.Users.SetPasswordHashAsync(user.Id, "another hash");
        var renewed = await stamps.GetAsync(user.Id);
        Assert.NotEqual(before.SecurityStamp, renewed!.SecurityStamp);

        await first.Users.DeleteAsync(user.Id);
        Assert.Null(await stamps.GetAsync(user.Id));
    }
}
