using CalMiner.Data.Accounts;
using CalMiner.Data.Database;
using LinqToDB;

namespace CalMiner.Data;

/// <summary>
/// The key ring of ASP.NET Core data protection (what encrypts sign-in cookies and antiforgery tokens),
/// stored in the database so that every host on it shares the keys and they survive restarts. It stores
/// the XML elements the key manager gives it, as given: encrypting them is the host's choice (e.g.
/// <c>ProtectKeysWithCertificate</c>). Synchronous, because ASP.NET Core's <c>IXmlRepository</c> is.
/// </summary>
public sealed class DataProtectionKeyRepository
{
    /// <summary>The longest friendly name stored; longer ones are cut.</summary>
    private const int MaxFriendlyNameLength = 256;

    private readonly CalMinerDatabase _database;
    private readonly TimeProvider _time;

    internal DataProtectionKeyRepository(CalMinerDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Every stored element, oldest first.</summary>
    /// <returns>The XML text of each element; empty when none is stored yet.</returns>
    public IReadOnlyList<string> GetAll()
    {
        using var db = _database.Open();
        return [.. db.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.Xml)];
    }

    /// <summary>Stores one more element (a new key, or a revocation).</summary>
    /// <param name="friendlyName">What the key manager calls it, e.g. <c>key-&lt;guid&gt;</c>; at most 256 characters are kept.</param>
    /// <param name="xml">The element's XML text; not empty.</param>
    /// <exception cref="ArgumentException"><paramref name="xml"/> is empty; <see cref="ArgumentException.ParamName"/> is <c>xml</c>.</exception>
    public void Add(string friendlyName, string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (string.IsNullOrWhiteSpace(xml))
        {
            ThrowHelper.ThrowArgument(nameof(xml), "xml must not be empty.");
        }

        var name = friendlyName ?? "";
        using var db = _database.Open();
        db.Insert(new DataProtectionKeyRow
        {
            FriendlyName = name.Length > MaxFriendlyNameLength ? name[..MaxFriendlyNameLength] : name,
            Xml = xml,
            CreatedAt = AccountRules.Truncate(_time.GetUtcNow()),
        });
    }
}
