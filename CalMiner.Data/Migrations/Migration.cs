using System.Reflection;

namespace CalMiner.Data.Migrations;

/// <summary>One versioned change of the schema, as a script per database engine.</summary>
/// <param name="Version">The version the database is at once the migration is applied, from 1.</param>
/// <param name="Name">Short name, e.g. <c>initial</c>.</param>
/// <param name="PostgreSql">The PostgreSQL script; its tables are unqualified (the search path picks the schema).</param>
/// <param name="Sqlite">The SQLite script.</param>
internal sealed record Migration(int Version, string Name, string PostgreSql, string Sqlite)
{
    private const string Prefix = "CalMiner.Data.Migrations.";

    /// <summary>The migrations shipped in this assembly (<c>Migrations/Sql/NNNN_name.{postgresql|sqlite}.sql</c>), in order.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    public string Id => $"{Version:D4}_{Name}";

    private static List<Migration> Load()
    {
        var assembly = typeof(Migration).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Resource: name, Parts: name[Prefix.Length..^".sql".Length].Split('.')))
            .ToLookup(script => script.Parts[0], StringComparer.Ordinal);

        var migrations = new List<Migration>();
        foreach (var group in scripts.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var id = group.Key;
            var underscore = id.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(id.AsSpan(0, underscore), System.Globalization.CultureInfo.InvariantCulture);
            string Read(string engine) =>
                group.SingleOrDefault(s => s.Parts[1] == engine).Resource is { } resource
                    ? ReadResource(assembly, resource)
                    : ThrowHelper.ThrowInvalidData<string>($"Migration {id} has no {engine} script.");

            migrations.Add(new Migration(version, id[(underscore + 1)..], Read("postgresql"), Read("sqlite")));
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
