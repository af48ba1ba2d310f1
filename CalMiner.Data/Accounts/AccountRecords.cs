using System.Text;

namespace CalMiner.Data;

/// <summary>What a user may do. Stored as <c>viewer</c>, <c>analyst</c> or <c>admin</c>.</summary>
public enum UserRole
{
    /// <summary>Reads scenarios, evaluations and simulation results.</summary>
    Viewer = 0,

    /// <summary>Also creates, edits and simulates scenarios.</summary>
    Analyst = 1,

    /// <summary>Also manages users and their API keys.</summary>
    Admin = 2,
}

/// <summary>A stored user account.</summary>
/// <param name="Id">The account's id.</param>
/// <param name="Email">The email address, trimmed and in lower case; unique.</param>
/// <param name="Role">What the user may do.</param>
/// <param name="CreatedAt">When the account was created (UTC, to the microsecond).</param>
public sealed record UserAccount(long Id, string Email, UserRole Role, DateTimeOffset CreatedAt);

/// <summary>An account with its stored password hash, for signing in. Its <see cref="object.ToString"/> leaves the hash and the stamp out.</summary>
/// <param name="Account">The account.</param>
/// <param name="PasswordHash">The password hash as the host's password hasher wrote it, or <see langword="null"/> if the user cannot sign in with a password (e.g. an automation user with API keys only).</param>
/// <param name="SecurityStamp">
/// Opaque text that changes whenever the password is set (<see cref="UserRepository.SetPasswordHashAsync"/>): a
/// host puts it in the sessions it opens and ends those whose stamp is no longer the account's.
/// </param>
public sealed record UserCredentials(UserAccount Account, string? PasswordHash, string SecurityStamp)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Account = ").Append(Account).Append(", HasPassword = ").Append(PasswordHash is not null);
        return true;
    }
}

/// <summary>Thrown when an account is created with an email address that another account has, ignoring case. Nothing was written.</summary>
public sealed class DuplicateEmailException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="email">The email address, as stored (trimmed, lower case).</param>
    public DuplicateEmailException(string email)
        : base($"There is already a user with the email address {email}.") => Email = email;

    /// <summary>The email address, as stored (trimmed, lower case).</summary>
    public string Email { get; }
}

/// <summary>A stored API key, without its secret (which is never stored).</summary>
/// <param name="Id">The key's id.</param>
/// <param name="UserId">The user the key authenticates as.</param>
/// <param name="Name">What the key is for, as its owner named it; 1..100 characters.</param>
/// <param name="Prefix">The first 8 characters of the secret after <c>cm_</c>, to tell keys apart in a list.</param>
/// <param name="CreatedAt">When the key was created (UTC, to the microsecond).</param>
public sealed record ApiKeyInfo(long Id, long UserId, string Name, string Prefix, DateTimeOffset CreatedAt);

/// <summary>A new API key with its secret. Its <see cref="object.ToString"/> leaves the secret out.</summary>
/// <param name="Key">The stored key.</param>
/// <param name="Secret">The secret, <c>cm_</c> and 43 base64url characters: show it to the user once, it cannot be read again.</param>
public sealed record CreatedApiKey(ApiKeyInfo Key, string Secret)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Key = ").Append(Key);
        return true;
    }
}
