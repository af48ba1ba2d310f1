using CalMiner.Data.Accounts;
using CalMiner.Data.Audit;
using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Async;

namespace CalMiner.Data;

/// <summary>
/// API keys: secrets that authenticate a program as one user. A secret is <c>cm_</c> and 43
/// base64url characters (32 random bytes); only its SHA-256 is stored, with its first characters
/// for display, so it is shown once, when it is created, and cannot be read back.
/// </summary>
public sealed class ApiKeyRepository
{
    private readonly CalMinerDatabase _database;
    private readonly TimeProvider _time;

    internal ApiKeyRepository(CalMinerDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Creates a key for a user.</summary>
    /// <param name="userId">The user the key authenticates as.</param>
    /// <param name="name">What the key is for, e.g. <c>ci</c>; trimmed, 1..100 characters.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored key and its secret, which is not stored and cannot be read again.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or longer than 100 characters; <see cref="ArgumentException.ParamName"/> is <c>name</c>.</exception>
    /// <exception cref="KeyNotFoundException">There is no user with id <paramref name="userId"/>; nothing was written.</exception>
    public async Task<CreatedApiKey> CreateAsync(long userId, string name, CancellationToken cancellationToken = default)
    {
        var secret = AccountRules.NewSecret();
        var row = new ApiKeyRow
        {
            UserId = userId,
            Name = AccountRules.CheckKeyName(name),
            Prefix = AccountRules.PrefixOf(secret),
            SecretHash = AccountRules.HashSecret(secret),
            CreatedAt = AccountRules.Truncate(_time.GetUtcNow()),
        };
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken).ConfigureAwait(false))
        {
            ThrowNoUser(userId);
        }

        try
        {
            row.Id = await db.InsertWithInt64IdentityAsync(row, token: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AccountRules.IsForeignKeyViolation(e))
        {
            // The user was deleted between the check and the insert.
            ThrowNoUser(userId);
        }

        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(cancellationToken).ConfigureAwait(false);
        await AuditLog.RecordAsync(db, row.CreatedAt, AuditActions.ApiKeyCreate, row.Id, null, $"Created key '{row.Name}' (cm_{row.Prefix}…) for {email}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(ToInfo(row), secret);
    }

    /// <summary>
    /// Whether <paramref name="text"/> has the form of a secret (<c>cm_</c> and 43 base64url characters): anything else
    /// can be refused without a lookup.
    /// </summary>
    /// <param name="text">What a client presented, e.g. from an <c>Authorization</c> header; any text.</param>
    /// <returns><see langword="true"/> if it could be a secret.</returns>
    public static bool IsWellFormedSecret(string? text) => AccountRules.IsWellFormedSecret(text);

    /// <summary>The user a secret authenticates as.</summary>
    /// <param name="secret">The secret the client presented, e.g. from an <c>Authorization</c> header; any text.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The key's user, or <see langword="null"/> if the text is not a secret, or no stored key has it
    /// (never created, or revoked, or its user deleted). It does not throw on malformed input.
    /// </returns>
    public async Task<UserAccount?> AuthenticateAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!AccountRules.IsWellFormedSecret(secret))
        {
            return null;
        }

        var hash = AccountRules.HashSecret(secret);
        await using var db = _database.Open();
        var user = await (
                from key in db.ApiKeys
                join u in db.Users on key.UserId equals u.Id
                where key.SecretHash == hash
                select u)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return user is null ? null : UserRepository.ToAccount(user);
    }

    /// <summary>Lists a user's keys, oldest first, without their secrets.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys; empty when the user has none or does not exist.</returns>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await db.ApiKeys.Where(k => k.UserId == userId).OrderBy(k => k.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToInfo)];
    }

    /// <summary>Revokes (deletes) one of a user's keys: its secret no longer authenticates.</summary>
    /// <param name="keyId">The key's id.</param>
    /// <param name="userId">The user the key must belong to, so that a user can revoke only their own keys.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>Whether a key was revoked; <see langword="false"/> if there is no key with that id belonging to that user.</returns>
    public async Task<bool> RevokeAsync(long keyId, long userId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var key = await db.ApiKeys.Where(k => k.Id == keyId && k.UserId == userId).Select(k => new { k.Name, k.Prefix }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (key is null || await db.ApiKeys.Where(k => k.Id == keyId && k.UserId == userId).DeleteAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        await AuditLog.RecordAsync(db, _time.GetUtcNow(), AuditActions.ApiKeyRevoke, keyId, null, $"Revoked key '{key.Name}' (cm_{key.Prefix}…) of user {userId}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static ApiKeyInfo ToInfo(ApiKeyRow row) => new(row.Id, row.UserId, row.Name, row.Prefix, row.CreatedAt.ToUniversalTime());

    private static void ThrowNoUser(long userId) =>
        ThrowHelper.ThrowKeyNotFound($"There is no user with id {userId}: an API key needs an existing user.");
}
