using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CalMiner.Data.Accounts;

/// <summary>The rules of accounts and API keys, shared by the two repositories; the migration's CHECK constraints mirror them.</summary>
internal static class AccountRules
{
    public const int MaxEmailLength = 254;
    public const int MaxPasswordHashLength = 1024;
    public const int MaxKeyNameLength = 100;

    /// <summary>Characters of the secret after <c>cm_</c> that are stored, for display.</summary>
    public const int PrefixLength = 8;

    private const string SecretPrefix = "cm_";
    private const int SecretBytes = 32;

    // 32 bytes in base64url without padding.
    private static readonly int SecretLength = SecretPrefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>The email address as stored: trimmed and in lower case. Throws when it is not an address.</summary>
    public static string NormaliseEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var trimmed = email.Trim();
        if (trimmed.Length == 0)
        {
            ThrowHelper.ThrowArgument(nameof(email), "email must not be empty.");
        }

        if (trimmed.Length > MaxEmailLength)
        {
            ThrowHelper.ThrowArgument(nameof(email), $"email must have at most {MaxEmailLength} characters, not {trimmed.Length}.");
        }

        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            ThrowHelper.ThrowArgument(nameof(email), "email must be an address with a name, '@' and a domain, e.g. alice@example.com.");
        }

        if (trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            ThrowHelper.ThrowArgument(nameof(email), "email must not contain spaces or control characters.");
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>The form an email address is looked up by: trimmed, in lower case; <see langword="null"/> if it cannot be one.</summary>
    public static string? LookupEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var trimmed = email.Trim();
        return trimmed.Length is > 0 and <= MaxEmailLength ? trimmed.ToLowerInvariant() : null;
    }

    public static void CheckPasswordHash(string? passwordHash)
    {
        if (passwordHash is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(passwordHash))
        {
            ThrowHelper.ThrowArgument(nameof(passwordHash), "passwordHash must be null (no password sign-in) or not empty.");
        }

        if (passwordHash.Length > MaxPasswordHashLength)
        {
            ThrowHelper.ThrowArgument(nameof(passwordHash), $"passwordHash must have at most {MaxPasswordHashLength} characters.");
        }
    }

    public static string CheckKeyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxKeyNameLength)
        {
            ThrowHelper.ThrowArgument(nameof(name), $"name must have 1..{MaxKeyNameLength} characters, not {trimmed.Length}.");
        }

        return trimmed;
    }

    public static string RoleName(UserRole role) => role switch
    {
        UserRole.Viewer => "viewer",
        UserRole.Analyst => "analyst",
        UserRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "role must be viewer, analyst or admin."),
    };

    public static UserRole ParseRole(string name) => name switch
    {
        "viewer" => UserRole.Viewer,
        "analyst" => UserRole.Analyst,
        "admin" => UserRole.Admin,
        _ => ThrowHelper.ThrowInvalidData<UserRole>($"The stored role \"{name}\" is not viewer, analyst or admin."),
    };

    /// <summary>A new security stamp: 16 random bytes in lower-case hex.</summary>
    public static string NewSecurityStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A new secret: <c>cm_</c> and 32 random bytes in base64url (43 characters).</summary>
    public static string NewSecret() => SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string PrefixOf(string secret) => secret.Substring(SecretPrefix.Length, PrefixLength);

    /// <summary>
    /// The SHA-256 of a secret, which is all that is stored of it. A fast, unsalted hash is right
    /// here, unlike for passwords: a secret carries 256 random bits, so neither a dictionary nor
    /// brute force can find it from its hash, and lookups by hash stay one index probe.
    /// </summary>
    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.ASCII.GetBytes(secret));

    /// <summary>Whether <paramref name="secret"/> has the form of a secret: <c>cm_</c> and 43 base64url characters.</summary>
    public static bool IsWellFormedSecret(string? secret) =>
        secret is not null
        && secret.Length == SecretLength
        && secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
        && secret.AsSpan(SecretPrefix.Length).IndexOfAnyExcept(Base64UrlCharacters) < 0;

    /// <summary>Microsecond precision, as PostgreSQL stores it, so that what a write returns equals what a read gives.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>Whether <paramref name="e"/> is a violation of the unique index on <c>app_user.email</c>.</summary>
    public static bool IsDuplicateEmail(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName == "ux_app_user_email",
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteConstraintUnique && sqlite.Message.Contains("app_user.email", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Whether <paramref name="e"/> is a violation of a foreign key (e.g. a key for a user deleted meanwhile).</summary>
    public static bool IsForeignKeyViolation(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteConstraintForeignKey,
        _ => false,
    };

    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_FOREIGNKEY.
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintForeignKey = 787;

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
