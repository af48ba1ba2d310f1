using System.Globalization;
using System.Text;
using CalMiner.Data.Accounts;
using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.Caching.Distributed;

namespace CalMiner.Data;

/// <summary>What a sign-in session is checked against on every request: the user's role and security stamp.</summary>
/// <param name="Role">The user's role now.</param>
/// <param name="SecurityStamp">The user's security stamp now; a new password replaces it.</param>
public sealed record UserStamp(UserRole Role, string SecurityStamp);

/// <summary>
/// The current <see cref="UserStamp"/> of each user, for checking sessions on every request. With
/// Redis (<see cref="CalMinerDataOptions.RedisUrl"/>) a stamp is kept there for up to
/// <see cref="Lifetime"/>, and every change through <see cref="UserRepository"/> (a role, a password,
/// a deletion), on any host or the CLI, removes it, so that every replica reads the change on its next
/// request. Without Redis, or while it is unreachable, each read asks the database (one lookup by
/// primary key). Nothing is kept in process memory, which another replica's change could not reach.
/// </summary>
public sealed class UserStampCache
{
    /// <summary>
    /// How long a stamp stays in Redis: the longest a change takes to reach sessions when its removal
    /// from Redis was lost (Redis unreachable at that moment).
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    // A read that began before a change may write the old stamp back just after the change removed it; removing it
    // again a moment later closes that window.
    private static readonly TimeSpan SecondRemoval = TimeSpan.FromSeconds(1);

    private const string NoUser = "-";

    private readonly CalMinerDatabase _database;
    private readonly IDistributedCache? _redis;
    private readonly TimeProvider _time;

    internal UserStampCache(CalMinerDatabase database, IDistributedCache? redis, TimeProvider time)
    {
        _database = database;
        _redis = redis;
        _time = time;
    }

    /// <summary>The user's role and security stamp now.</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stamp, or <see langword="null"/> if there is no user with that id (any more).</returns>
    public async Task<UserStamp?> GetAsync(long userId, CancellationToken cancellationToken = default)
    {
        if (_redis is null)
        {
            return await ReadAsync(userId, cancellationToken).ConfigureAwait(false);
        }

        var key = Key(userId);
        if (await _redis.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return Decode(Encoding.UTF8.GetString(cached));
        }

        var stamp = await ReadAsync(userId, cancellationToken).ConfigureAwait(false);
        await _redis.SetAsync(
            key,
            Encoding.UTF8.GetBytes(stamp is null ? NoUser : $"{AccountRules.RoleName(stamp.Role)}|{stamp.SecurityStamp}"),
            new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime },
            cancellationToken).ConfigureAwait(false);
        return stamp;
    }

    /// <summary>Drops the user's stamp after a change, so that the next read on any replica asks the database.</summary>
    internal async Task ForgetAsync(long userId)
    {
        if (_redis is null)
        {
            return;
        }

        await RemoveAsync(_redis, Key(userId)).ConfigureAwait(false);
        _ = RemoveAgainAsync(_redis, Key(userId), _time);
    }

    private static async Task RemoveAgainAsync(IDistributedCache redis, string key, TimeProvider time)
    {
        await Task.Delay(SecondRemoval, time).ConfigureAwait(false);
        await RemoveAsync(redis, key).ConfigureAwait(false);
    }

    private static async Task RemoveAsync(IDistributedCache redis, string key)
    {
        try
        {
            await redis.RemoveAsync(key).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The change is committed: a Redis that cannot be reached keeps the old stamp at most Lifetime.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<UserStamp?> ReadAsync(long userId, CancellationToken cancellationToken)
    {
        await using var db = _database.Open();
        var row = await db.Users.Where(u => u.Id == userId)
            .Select(u => new { u.Role, u.SecurityStamp })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new UserStamp(AccountRules.ParseRole(row.Role), row.SecurityStamp);
    }

    private static UserStamp? Decode(string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? null : new UserStamp(AccountRules.ParseRole(value[..bar]), value[(bar + 1)..]);
    }

    private static string Key(long userId) => string.Create(CultureInfo.InvariantCulture, $"user-stamp:{userId}");
}
