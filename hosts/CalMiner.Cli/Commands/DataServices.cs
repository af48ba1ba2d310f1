using CalMiner.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Commands;

/// <summary>CalMiner's data services for the database the <c>DATABASE_*</c> variables name, as the commands that use a database build them.</summary>
internal static class DataServices
{
    /// <summary>
    /// The services; says on <paramref name="error"/> which database they use (the SQLite file, or the PostgreSQL
    /// server and database), so that a user sees whether it is the web app's. A bad setting is invalid input, named in the message.
    /// </summary>
    public static async Task<ServiceProvider> FromEnvironmentAsync(TextWriter error)
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

        await error.WriteLineAsync($"database: {options.DatabaseLocation}").ConfigureAwait(false);
        return new ServiceCollection().AddCalMinerData(options).BuildServiceProvider();
    }

    /// <summary>Stops the command, saying to migrate, when the database's schema is behind this version of CalMiner.</summary>
    public static async Task RequireLatestSchemaAsync(ServiceProvider services, string what, CancellationToken cancellationToken)
    {
        var migrator = services.GetRequiredService<DatabaseMigrator>();
        var version = await migrator.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version < migrator.LatestVersion)
        {
            throw new InvalidOperationException(
                $"the database schema is at version {version}, and {what} need version {migrator.LatestVersion}: run 'calminer migrate' first.");
        }
    }
}
