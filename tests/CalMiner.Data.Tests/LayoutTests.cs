namespace CalMiner.Data.Tests;

public sealed class LayoutTests
{
    [Fact]
    public void EveryPublicType_IsInTheRootNamespace_WhateverItsFolder()
    {
        var namespaces = typeof(CalMinerDataOptions).Assembly.GetExportedTypes().Select(t => t.Namespace).Distinct().Order().ToList();

        Assert.Equal(["CalMiner.Data", "Microsoft.Extensions.DependencyInjection"], namespaces);
    }
}
