using System.Globalization;

namespace CalMiner.Data.Database;

/// <summary>How instants are stored on SQLite: UTC ISO 8601 text of fixed width, which sorts and compares as the instants do.</summary>
internal static class Timestamps
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToSqlite(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
