namespace CalMiner.Tests;

/// <summary>The folder holding CalMiner.sln, above the tests' build output: where the repository's own files are.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "CalMiner.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No CalMiner.sln above {AppContext.BaseDirectory}.");
    }
}
