namespace CalMiner.Cli.Tests;

/// <summary>The tests read only what the repository holds, so that they pass on a fresh clone.</summary>
public sealed class TestFileTests
{
    [Fact]
    public void TheGoldSample_IsAFileOfTheRepository()
    {
        var root = Path.GetFullPath(CalMiner.Tests.RepositoryRoot.Path) + Path.DirectorySeparatorChar;

        Assert.StartsWith(root, Path.GetFullPath(Scenarios.GoldOpenPit), StringComparison.Ordinal);
        Assert.True(File.Exists(Scenarios.GoldOpenPit), $"{Scenarios.GoldOpenPit} is missing");
    }
}
