using System.Security.Cryptography;
using System.Text;
using CalMiner.Data.Accounts;
using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CalMiner.Data;

/// <summary>
/// How sign-in attempts on one account are slowed down once they keep failing. <c>AddCalMinerData</c>
/// registers the defaults unless the host registered its own first.
/// </summary>
public sealed record SignInThrottleOptions
{
    /// <summary>Attempts in a row that may fail before the next one must wait, ≥ 1; default 5.</summary>
    public int FreeAttempts { get; init; } = 5;

    /// <summary>The wait after <see cref="FreeAttempts"/> failures, &gt; 0; default 1 second. It doubles with every further failure.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait, ≥ <see cref="FirstDelay"/>; default 5 minutes.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    internal void Validate()
    {
        if (FreeAttempts < 1)
        {
            ThrowHelper.ThrowArgument(nameof(FreeAttempts), $"{nameof(FreeAttempts)} must be ≥ 1, not {FreeAttempts}.");
        }

        if (FirstDelay <= TimeSpan.Zero || MaxDelay < FirstDelay)
        {
            ThrowHelper.ThrowArgument(nameof(MaxDelay), $"{nameof(FirstDelay)} must be > 0 and {nameof(MaxDelay)} at least as long, not {FirstDelay} and {MaxDelay}.");
        }
    }
}

/// <summary>
/// Sign-in attempts per account, in the database, so that every replica counts the same attempts
/// whatever address they come from. Each attempt is counted before its password is checked; a
/// success forgets the count. After <see cref="SignInThrottleOptions.FreeAttempts"/> attempts
/// without a success the next one must wait <see cref="SignInThrottleOptions.FirstDelay"/>, twice
/// as long after each further failure, up to <see cref="SignInThrottleOptions.MaxDelay"/>; an
/// attempt made too early is refused without being counted and without its password being checked.
/// Counts untouched for a day are forgotten. Accounts are known by the SHA-256 of the email address
/// as typed (trimmed, lower case), whether or not an account has it, so the throttle tells nothing
/// about which accounts exist and keeps nothing a stranger typed.
/// </summary>
public sealed class SignInThrottle
{
    private static readonly TimeSpan Memory = TimeSpan.FromDays(1);

    private readonly CalMinerDatabase _database;
    private readonly SignInThrottleOptions _options;
    private readonly TimeProvider _time;

    internal SignInThrottle(CalMinerDatabase database, SignInThrottleOptions options, TimeProvider time)
    {
        options.Validate();
        _database = database;
        _options = options;
        _time = time;
    }

    /// <summary>Counts an attempt to sign in as <paramref name="email"/>, unless it comes too early.</summary>
    /// <param name="email">The email address the user typed; any text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see cref="TimeSpan.Zero"/> when the password may be checked; else how long to wait before the next attempt (this one was not counted).</returns>
    public async Task<TimeSpan> BeginAttemptAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (KeyOf(email) is not { } key)
        {
            // No account can have this address: there is nothing to guess.
            return TimeSpan.Zero;
        }

        await using var db = _database.Open();
        for (var tries = 0; tries < 5; tries++)
        {
            var now = AccountRules.Truncate(_time.GetUtcNow());
            var row = await db.SignInThrottle.Where(r => r.AccountKey == key).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                if (await TryInsertAsync(db, key, now, cancellationToken).ConfigureAwait(false))
                {
                    return TimeSpan.Zero;
                }

                // Another attempt on the account was counted first: read its count.
                continue;
            }

            var stale = now - row.LastAttemptAt > Memory;
            if (!stale && row.RetryAt > now)
            {
                return row.RetryAt - now;
            }

            var attempts = stale ? 1 : row.Attempts + 1;
            // Counted only if nobody counted another attempt meanwhile: parallel attempts cannot all pass one opening.
            var counted = await db.SignInThrottle.Where(r => r.AccountKey == key && r.Attempts == row.Attempts)
                .Set(r => r.Attempts, attempts)
                .Set(r => r.RetryAt, RetryAt(attempts, now))
                .Set(r => r.LastAttemptAt, now)
                .UpdateAsync(cancellationToken).ConfigureAwait(false);
            if (counted > 0)
            {
                return TimeSpan.Zero;
            }
        }

        // Many attempts on the account at the same moment: this one waits its turn.
        return _options.FirstDelay;
    }

    /// <summary>Forgets the attempts counted on <paramref name="email"/>: after its password was right.</summary>
    /// <param name="email">The email address the user typed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that ends when the count is gone.</returns>
    public async Task SucceededAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (KeyOf(email) is { } key)
        {
            await using var db = _database.Open();
            await db.SignInThrottle.Where(r => r.AccountKey == key).DeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? KeyOf(string email) =>
        AccountRules.LookupEmail(email) is { } lookup ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lookup))) : null;

    /// <summary>When the attempt after the <paramref name="attempts"/>-th failure in a row may be made.</summary>
    private DateTimeOffset RetryAt(int attempts, DateTimeOffset now)
    {
        if (attempts < _options.FreeAttempts)
        {
            return now;
        }

        var delay = _options.FirstDelay;
        for (var failures = _options.FreeAttempts; failures < attempts && delay < _options.MaxDelay; failures++)
        {
            delay *= 2;
        }

        return now + (delay < _options.MaxDelay ? delay : _options.MaxDelay);
    }

    private async Task<bool> TryInsertAsync(CalMinerDb db, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await db.InsertAsync(
                new SignInThrottleRow { AccountKey = key, Attempts = 1, RetryAt = RetryAt(1, now), LastAttemptAt = now },
                token: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDuplicateKey(e))
        {
            return false;
        }

        // A new account key is rare (a typo, or a guess): then drop the counts nobody touched for a day, so strangers'
        // guesses do not pile up.
        var forgotten = now - Memory;
        await db.SignInThrottle.Where(r => r.LastAttemptAt < forgotten).DeleteAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static bool IsDuplicateKey(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19, // SQLITE_CONSTRAINT: the account key is taken.
        _ => false,
    };
}
