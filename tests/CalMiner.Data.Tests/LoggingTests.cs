using System.Reflection;
using Microsoft.Extensions.Logging;

namespace CalMiner.Data.Tests;

public sealed class LoggingTests
{
    [Fact]
    public void EveryLogEntry_HasAnEventIdOfItsOwn_InTheDataRange()
    {
        var ids = typeof(CalMinerDataOptions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => a.EventId)
            .ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 1000, 1999));
    }
}
