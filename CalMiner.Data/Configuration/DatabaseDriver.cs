namespace CalMiner.Data;

/// <summary>The database engine CalMiner stores its data in.</summary>
public enum DatabaseDriver
{
    /// <summary>An embedded SQLite file (setting value <c>sqlite</c>); the zero-setup default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (setting value <c>postgresql</c>).</summary>
    PostgreSql,
}
