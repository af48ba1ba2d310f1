using CalMiner.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Commands;

/// <summary>CalMiner's data services for the database the <c>DATABASE_*</c> variables name, as the commands that use a database build them.</summary>
internal static class DataServices
{
    /// <summary>The services; a bad setting is invalid input, named in the message.</summary>
    public static ServiceProvider FromEnvironment()
    {
        CalMinerDataOptions options;
        try
        {
            options = CalMinerDataOptions.FromEnvironment();
        }
        catch (DataConfigurationException e)
        {
            throw new InvalidInputException("invalid database configuration", [e.Message]);
        }

        return new ServiceCollection().AddCalMinerData(options).BuildServiceProvider();
    }
}
