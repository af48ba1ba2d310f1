using CalMiner.Data.Accounts;
using CalMiner.Data.Audit;
using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Async;

namespace CalMiner.Data;

/// <summary>
/// User accounts: an email address (unique, ignoring case), a role and an optional password hash.
/// Hashing passwords is the host's job (e.g. ASP.NET Core Identity's <c>PasswordHasher</c>); this
/// stores and returns the hash it made. Deleting a user deletes their API keys. Every change of a
/// role, a password or an account reaches the sessions checked through <see cref="UserStampCache"/>.
/// </summary>
public sealed class UserRepository
{
    private readonly CalMinerDatabase _database;
    private readonly TimeProvider _time;
    private readonly UserStampCache _stamps;

    internal UserRepository(CalMinerDatabase database, TimeProvider time, UserStampCache stamps)
    {
        _database = database;
        _time = time;
        _stamps = stamps;
    }

    /// <summary>Creates an account.</summary>
    /// <param name="email">The email address: trimmed and stored in lower case; a name, <c>@</c> and a domain, at most 254 characters, no spaces.</param>
    /// <param name="passwordHash">The password hash the host's hasher made, at most 1024 characters; <see langword="null"/> if the user may not sign in with a password (e.g. an automation user with API keys only).</param>
    /// <param name="role">What the user may do.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new account.</returns>
    /// <exception cref="ArgumentException">The email address, the hash or the role is invalid; <see cref="ArgumentException.ParamName"/> names it and the message says what is wrong.</exception>
    /// <exception cref="DuplicateEmailException">Another account has this email address, ignoring case; nothing was written.</exception>
    public async Task<UserAccount> CreateAsync(string email, string? passwordHash, UserRole role, CancellationToken cancellationToken = default)
    {
        var row = new AppUserRow
        {
            Email = AccountRules.NormaliseEmail(email),
            PasswordHash = CheckedHash(passwordHash),
            Role = AccountRules.RoleName(role),
            CreatedAt = AccountRules.Truncate(_time.GetUtcNow()),
            SecurityStamp = AccountRules.NewSecurityStamp(),
        };
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            row.Id = await db.InsertWithInt64IdentityAsync(row, token: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AccountRules.IsDuplicateEmail(e))
        {
            throw new DuplicateEmailException(row.Email);
        }

        await AuditLog.RecordAsync(db, row.CreatedAt, AuditActions.UserCreate, row.Id, null, $"Created {row.Email} as {row.Role}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ToAccount(row);
    }

    /// <summary>Reads an account.</summary>
    /// <param name="id">The account's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The account, or <see langword="null"/> if there is none with that id.</returns>
    public async Task<UserAccount?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var row = await db.Users.Where(u => u.Id == id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToAccount(row);
    }

    /// <summary>Finds the account with an email address, ignoring case and surrounding spaces.</summary>
    /// <param name="email">The email address.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The account, or <see langword="null"/> if there is none with that address (or it cannot be one).</returns>
    public async Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var row = await FindRowAsync(email, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToAccount(row);
    }

    /// <summary>Finds the account with an email address, ignoring case, with its password hash: for signing in.</summary>
    /// <param name="email">The email address the user typed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The account and its hash, or <see langword="null"/> if there is no account with that address (or it cannot be one).</returns>
    public async Task<UserCredentials?> GetCredentialsAsync(string email, CancellationToken cancellationToken = default)
    {
        var row = await FindRowAsync(email, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToCredentials(row);
    }

    /// <summary>Reads an account with its password hash and security stamp: for checking a session against it.</summary>
    /// <param name="id">The account's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The account, its hash and its stamp, or <see langword="null"/> if there is no account with that id.</returns>
    public async Task<UserCredentials?> GetCredentialsByIdAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var row = await db.Users.Where(u => u.Id == id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToCredentials(row);
    }

    /// <summary>Lists every account, by email address.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The accounts; empty when there are none.</returns>
    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var rows = await db.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToAccount)];
    }

    /// <summary>
    /// Replaces an account's password hash, or removes it, and gives the account a new
    /// <see cref="UserCredentials.SecurityStamp"/>, so that sessions opened with the old password end.
    /// </summary>
    /// <param name="id">The account's id.</param>
    /// <param name="passwordHash">The new hash, at most 1024 characters; <see langword="null"/> to stop password sign-in for the user.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was an account with that id.</returns>
    /// <exception cref="ArgumentException">The hash is empty or too long; <see cref="ArgumentException.ParamName"/> is <c>passwordHash</c>.</exception>
    public async Task<bool> SetPasswordHashAsync(long id, string? passwordHash, CancellationToken cancellationToken = default)
    {
        var hash = CheckedHash(passwordHash);
        var stamp = AccountRules.NewSecurityStamp();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Users.Where(u => u.Id == id)
            .Set(u => u.PasswordHash, hash)
            .Set(u => u.SecurityStamp, stamp)
            .UpdateAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        var email = await db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleAsync(cancellationToken).ConfigureAwait(false);
        await AuditLog.RecordAsync(
            db, _time.GetUtcNow(), AuditActions.UserSetPassword, id, null,
            hash is null ? $"Removed the password of {email}" : $"Set the password of {email}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await _stamps.ForgetAsync(id).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Replaces a password hash with a hash of the same password in a newer format, e.g. when the hasher asks for it at
    /// sign-in. The security stamp stays, so open sessions go on; nothing changes if the hash is no longer
    /// <paramref name="currentHash"/> (the password was set meanwhile).
    /// </summary>
    /// <param name="id">The account's id.</param>
    /// <param name="currentHash">The hash the password was checked against.</param>
    /// <param name="newHash">The new hash of the same password, at most 1024 characters.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the hash was replaced.</returns>
    /// <exception cref="ArgumentException">The new hash is empty or too long; <see cref="ArgumentException.ParamName"/> is <c>passwordHash</c>.</exception>
    public async Task<bool> RehashPasswordAsync(long id, string currentHash, string newHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(currentHash);
        ArgumentNullException.ThrowIfNull(newHash);
        var hash = CheckedHash(newHash);
        await using var db = _database.Open();
        return await db.Users.Where(u => u.Id == id && u.PasswordHash == currentHash)
            .Set(u => u.PasswordHash, hash)
            .UpdateAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Changes what a user may do.</summary>
    /// <param name="id">The account's id.</param>
    /// <param name="role">The new role.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The updated account, or <see langword="null"/> if there is none with that id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a <see cref="UserRole"/>.</exception>
    public async Task<UserAccount?> SetRoleAsync(long id, UserRole role, CancellationToken cancellationToken = default)
    {
        var name = AccountRules.RoleName(role);
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Users.Where(u => u.Id == id).Set(u => u.Role, name).UpdateAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return null;
        }

        var row = await db.Users.Where(u => u.Id == id).FirstAsync(cancellationToken).ConfigureAwait(false);
        await AuditLog.RecordAsync(db, _time.GetUtcNow(), AuditActions.UserSetRole, id, null, $"{row.Email} is now {name}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await _stamps.ForgetAsync(id).ConfigureAwait(false);
        return ToAccount(row);
    }

    /// <summary>Deletes an account with all its API keys.</summary>
    /// <param name="id">The account's id.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>Whether an account was deleted.</returns>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var email = await db.Users.Where(u => u.Id == id).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        // The foreign keys' ON DELETE CASCADE remove the keys and memberships with the user.
        if (email is null || await db.Users.Where(u => u.Id == id).DeleteAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        await AuditLog.RecordAsync(db, _time.GetUtcNow(), AuditActions.UserDelete, id, null, $"Deleted {email}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await _stamps.ForgetAsync(id).ConfigureAwait(false);
        return true;
    }

    /// <summary>Whether any account has the <see cref="UserRole.Admin"/> role, e.g. to offer to create the first one.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="true"/> if there is at least one administrator.</returns>
    public async Task<bool> AnyAdminAsync(CancellationToken cancellationToken = default)
    {
        var admin = AccountRules.RoleName(UserRole.Admin);
        await using var db = _database.Open();
        return await db.Users.AnyAsync(u => u.Role == admin, cancellationToken).ConfigureAwait(false);
    }

    internal static UserAccount ToAccount(AppUserRow row) =>
        new(row.Id, row.Email, AccountRules.ParseRole(row.Role), row.CreatedAt.ToUniversalTime());

    private static UserCredentials ToCredentials(AppUserRow row) => new(ToAccount(row), row.PasswordHash, row.SecurityStamp);

    private static string? CheckedHash(string? passwordHash)
    {
        AccountRules.CheckPasswordHash(passwordHash);
        return passwordHash;
    }

    private async Task<AppUserRow?> FindRowAsync(string email, CancellationToken cancellationToken)
    {
        if (AccountRules.LookupEmail(email) is not { } key)
        {
            return null;
        }

        await using var db = _database.Open();
        return await db.Users.Where(u => u.Email == key).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }
}
