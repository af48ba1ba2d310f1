using System.CommandLine;
using System.Globalization;
using CalMiner.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Commands;

/// <summary><c>calminer audit list</c>: the audit log of the database the <c>DATABASE_*</c> variables name, newest first.</summary>
internal static class AuditCommand
{
    public static Command Create() =>
        new("audit", "Read the audit log: who changed what, when and from where.")
        {
            Subcommands = { ListSubcommand() },
        };

    private static Command ListSubcommand()
    {
        var workspace = new Option<string?>("--workspace", "-w") { Description = "Only the records of this workspace, by id or name.", HelpName = "ID|NAME" };
        var since = new Option<string?>("--since") { Description = "Only records from this time on, e.g. 2026-12-01 or 2026-12-01T08:00:00Z (UTC unless an offset is given).", HelpName = "TIME" };
        since.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !TryParseTime(result.Tokens[^1].Value, out _))
            {
                result.AddError("--since must be a time, e.g. 2026-12-01 or 2026-12-01T08:00:00Z.");
            }
        });
        var user = new Option<string?>("--user") { Description = "Only the writes of this user, by email address.", HelpName = "EMAIL" };
        var action = new Option<string?>("--action") { Description = "Only this action, e.g. scenario.delete, or every action on a target, e.g. scenario.", HelpName = "ACTION" };
        var limit = new Option<int>("--limit") { Description = $"The most records to show, 1..{AuditRepository.MaxPageSize}.", HelpName = "N", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > AuditRepository.MaxPageSize)
            {
                result.AddError($"--limit must be between 1 and {AuditRepository.MaxPageSize}.");
            }
        });
        var command = new Command("list", "List audit records, newest first: time (UTC), actor, action, target, workspace, summary, address.")
        {
            workspace, since, user, action, limit,
        };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            await using var services = await WorkspaceCommand.OpenAsync(parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            long? workspaceId = parseResult.GetValue(workspace) is { } named
                ? (await WorkspaceCommand.FindAsync(services.GetRequiredService<WorkspaceRepository>(), named, cancellationToken).ConfigureAwait(false)).Id
                : null;
            long? userId = null;
            if (parseResult.GetValue(user) is { } email)
            {
                userId = (await services.GetRequiredService<UserRepository>().FindByEmailAsync(email, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"there is no user with the email address {email.Trim()}.")).Id;
            }

            DateTimeOffset? from = TryParseTime(parseResult.GetValue(since), out var time) ? time : null;
            var page = await services.GetRequiredService<AuditRepository>()
                .ListAsync(new AuditFilter(workspaceId, from, userId, parseResult.GetValue(action)), 0, parseResult.GetValue(limit), cancellationToken).ConfigureAwait(false);
            var rows = page.Items.Select(e => new[]
            {
                WorkspaceCommand.Time(e.At), e.Actor, e.Action, Id(e.TargetId), Id(e.WorkspaceId), e.Summary, e.RemoteAddress ?? "-",
            }).ToList();
            await output.WriteAsync(WorkspaceCommand.Table(["TIME", "ACTOR", "ACTION", "TARGET", "WORKSPACE", "SUMMARY", "ADDRESS"], rows).AsMemory(), cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Error.WriteLineAsync($"{page.Items.Count} of {page.TotalCount} records").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static string Id(long? id) => id?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
