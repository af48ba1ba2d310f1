using System.CommandLine;
using CalMiner.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Commands;

/// <summary><c>calminer migrate</c>: brings the configured database to the latest schema version.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command(
            "migrate",
            "Apply the database migrations to the database the DATABASE_* variables name (by default the SQLite file calminer/calminer.db in the user's data folder).");
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            await using var services = await DataServices.FromEnvironmentAsync(parseResult.InvocationConfiguration.Error).ConfigureAwait(false);
            var result = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false);
            var applied = result.Applied.Count == 0 ? "already up to date" : $"applied {string.Join(", ", result.Applied)}";
            await output.WriteLineAsync($"database at version {result.CurrentVersion}: {applied}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
