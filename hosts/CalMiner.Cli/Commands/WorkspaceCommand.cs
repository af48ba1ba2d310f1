using System.CommandLine;
using System.Globalization;
using System.Text;
using CalMiner.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Commands;

/// <summary>
/// <c>calminer workspace create|rename|list|members|add-member|remove-member|set-role</c>: the workspaces of the
/// database the <c>DATABASE_*</c> variables name and who belongs to them with which role, without the web app.
/// A workspace is named by its id or its name. Every change is recorded in the audit log as made by <c>cli:USER</c>.
/// </summary>
internal static class WorkspaceCommand
{
    private static readonly string[] RoleNames = ["viewer", "analyst", "owner"];

    public static Command Create() =>
        new("workspace", "Manage the workspaces of the database the DATABASE_* variables name and their members.")
        {
            Subcommands =
            {
                CreateSubcommand(), RenameSubcommand(), ListSubcommand(), MembersSubcommand(),
                AddMemberSubcommand(), RemoveMemberSubcommand(), SetRoleSubcommand(),
            },
        };

    private static Command CreateSubcommand()
    {
        var name = NameOption("The new workspace's name, 1..100 characters, unique.");
        var command = new Command("create", "Create a workspace with no members; prints its id on standard output.") { name };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            await using var services = await OpenAsync(error, cancellationToken).ConfigureAwait(false);
            var workspace = await NamedAsync(() => services.GetRequiredService<WorkspaceRepository>().CreateAsync(parseResult.GetRequiredValue(name), cancellationToken)).ConfigureAwait(false);
            await output.WriteLineAsync(workspace.Id.ToString(CultureInfo.InvariantCulture).AsMemory(), cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync($"created workspace {workspace.Id} '{workspace.Name}'").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command RenameSubcommand()
    {
        var workspace = WorkspaceOption();
        var name = NameOption("The new name, 1..100 characters, unique.");
        var command = new Command("rename", "Rename a workspace.") { workspace, name };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            await using var services = await OpenAsync(error, cancellationToken).ConfigureAwait(false);
            var workspaces = services.GetRequiredService<WorkspaceRepository>();
            var found = await FindAsync(workspaces, parseResult.GetRequiredValue(workspace), cancellationToken).ConfigureAwait(false);
            var renamed = await NamedAsync(() => workspaces.RenameAsync(found.Id, parseResult.GetRequiredValue(name), cancellationToken)).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"workspace {found.Id} was deleted meanwhile.");
            await error.WriteLineAsync($"renamed workspace {found.Id} from '{found.Name}' to '{renamed.Name}'").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ListSubcommand()
    {
        var command = new Command("list", "List the workspaces by name: id, name, number of members, and when each was created (UTC).");
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            await using var services = await OpenAsync(parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            var workspaces = services.GetRequiredService<WorkspaceRepository>();
            var all = await workspaces.ListAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<string[]>();
            foreach (var w in all)
            {
                var members = await workspaces.ListMembersAsync(w.Id, cancellationToken).ConfigureAwait(false);
                rows.Add([w.Id.ToString(CultureInfo.InvariantCulture), w.Name, members.Count.ToString(CultureInfo.InvariantCulture), Time(w.CreatedAt)]);
            }

            await output.WriteAsync(Table(["ID", "NAME", "MEMBERS", "CREATED"], rows).AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command MembersSubcommand()
    {
        var workspace = WorkspaceOption();
        var command = new Command("members", "List a workspace's members by email, with their roles there.") { workspace };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            await using var services = await OpenAsync(parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            var workspaces = services.GetRequiredService<WorkspaceRepository>();
            var found = await FindAsync(workspaces, parseResult.GetRequiredValue(workspace), cancellationToken).ConfigureAwait(false);
            var members = await workspaces.ListMembersAsync(found.Id, cancellationToken).ConfigureAwait(false);
            var rows = members.Select(m => new[] { m.Email, RoleName(m.Role) }).ToList();
            await output.WriteAsync(Table(["EMAIL", "ROLE"], rows).AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command AddMemberSubcommand() => MemberChange(
        "add-member", "Make a user a member of a workspace with a role there.", needsRole: true, mustBeMember: false);

    private static Command SetRoleSubcommand() => MemberChange(
        "set-role", "Change a member's role in a workspace.", needsRole: true, mustBeMember: true);

    private static Command RemoveMemberSubcommand() => MemberChange(
        "remove-member", "Remove a user from a workspace: they no longer see its scenarios and runs.", needsRole: false, mustBeMember: true);

    private static Command MemberChange(string name, string description, bool needsRole, bool mustBeMember)
    {
        var workspace = WorkspaceOption();
        var email = new Option<string>("--email", "-e") { Description = "The user's email address.", HelpName = "EMAIL", Required = true };
        var role = new Option<string>("--role") { Description = "The user's role in the workspace.", HelpName = "viewer|analyst|owner", Required = true };
        role.AcceptOnlyFromAmong(RoleNames);
        var command = new Command(name, description) { workspace, email };
        if (needsRole)
        {
            command.Options.Add(role);
        }

        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            await using var services = await OpenAsync(error, cancellationToken).ConfigureAwait(false);
            var workspaces = services.GetRequiredService<WorkspaceRepository>();
            var found = await FindAsync(workspaces, parseResult.GetRequiredValue(workspace), cancellationToken).ConfigureAwait(false);
            var address = parseResult.GetRequiredValue(email).Trim();
            var user = await services.GetRequiredService<UserRepository>().FindByEmailAsync(address, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"there is no user with the email address {address}: create one with 'calminer user create --email {address}'.");
            var member = (await workspaces.ListMembersAsync(found.Id, cancellationToken).ConfigureAwait(false)).FirstOrDefault(m => m.UserId == user.Id);
            if (mustBeMember && member is null)
            {
                throw new InvalidOperationException($"{user.Email} is not a member of workspace '{found.Name}': add them with 'calminer workspace add-member'.");
            }

            if (!mustBeMember && member is not null)
            {
                throw new InvalidOperationException($"{user.Email} is already a member of workspace '{found.Name}' ({RoleName(member.Role)}): change the role with 'calminer workspace set-role'.");
            }

            if (!needsRole)
            {
                _ = await workspaces.RemoveMemberAsync(found.Id, user.Id, cancellationToken).ConfigureAwait(false);
                await error.WriteLineAsync($"removed {user.Email} from workspace '{found.Name}'").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var wanted = Enum.Parse<WorkspaceRole>(parseResult.GetRequiredValue(role), ignoreCase: true);
            if (!await workspaces.SetMemberAsync(found.Id, user.Id, wanted, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"the user {user.Email} or workspace '{found.Name}' was deleted meanwhile.");
            }

            await error.WriteLineAsync($"{user.Email} is {RoleName(wanted)} in workspace '{found.Name}'").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The workspace an id or a name names.</summary>
    internal static async Task<Workspace> FindAsync(WorkspaceRepository workspaces, string idOrName, CancellationToken cancellationToken)
    {
        var found = long.TryParse(idOrName, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await workspaces.GetAsync(id, cancellationToken).ConfigureAwait(false)
            : await workspaces.FindByNameAsync(idOrName, cancellationToken).ConfigureAwait(false);
        return found ?? throw new InvalidOperationException($"there is no workspace '{idOrName.Trim()}': 'calminer workspace list' shows them.");
    }

    internal static Option<string> WorkspaceOption() => new("--workspace", "-w")
    {
        Description = "The workspace, by id or name.",
        HelpName = "ID|NAME",
        Required = true,
    };

    internal static async Task<ServiceProvider> OpenAsync(TextWriter error, CancellationToken cancellationToken)
    {
        var services = await DataServices.FromEnvironmentAsync(error).ConfigureAwait(false);
        try
        {
            await DataServices.RequireLatestSchemaAsync(services, "workspaces", cancellationToken).ConfigureAwait(false);
            return services;
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Columns padded to their widest cell, two spaces apart, one row a line.</summary>
    internal static string Table(string[] header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            text.AppendJoin("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).AppendLine();
        }

        return text.ToString();
    }

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<T> NamedAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (ArgumentException e) when (e.ParamName == "name")
        {
            throw new InvalidInputException("invalid --name", [e.Message.Replace(" (Parameter 'name')", "", StringComparison.Ordinal)]);
        }
        catch (DuplicateWorkspaceNameException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    private static Option<string> NameOption(string description) => new("--name") { Description = description, HelpName = "NAME", Required = true };

    private static string RoleName(WorkspaceRole role) => role.ToString().ToLowerInvariant();
}
