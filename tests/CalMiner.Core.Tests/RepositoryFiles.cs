namespace CalMiner.Core.Tests;

/// <summary>Files of the repository.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Sample(string name) => Path.Combine(Root, "samples", name);

    public static IEnumerable<string> Samples => Directory.EnumerateFiles(Path.Combine(Root, "samples"), "*.json").Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CalMiner.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CalMiner.sln above {AppContext.BaseDirectory}.");
    }
}
