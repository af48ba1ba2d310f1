namespace CalMiner.Core.Tests;

/// <summary>Files of the repository.</summary>
internal static class RepositoryFiles
{
    public static string Root => CalMiner.Tests.RepositoryRoot.Path;

    public static string Sample(string name) => Path.Combine(Root, "samples", name);

    public static IEnumerable<string> Samples => Directory.EnumerateFiles(Path.Combine(Root, "samples"), "*.json").Order(StringComparer.Ordinal);
}
