using System.CommandLine;
using CalMiner.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Commands;

/// <summary>
/// <c>calminer apikey create --email E [--role viewer|analyst|admin] [--name N]</c>: an API key for
/// a user of the database the <c>DATABASE_*</c> variables name, creating the user (without a
/// password) when there is none with that address. Only the secret goes to standard output, so
/// that a script can capture it; it is not stored and cannot be shown again.
/// </summary>
internal static class ApiKeyCommand
{
    /// <summary>The longest key name; <see cref="ApiKeyRepository.CreateAsync"/> refuses longer ones.</summary>
    private const int MaxNameLength = 100;

    private const string DefaultName = "cli";

    public static Command Create() =>
        new("apikey", "Manage the API keys that programs use to call the web API as a user.")
        {
            Subcommands = { CreateSubcommand() },
        };

    private static Command CreateSubcommand()
    {
        var email = new Option<string>("--email", "-e")
        {
            Description = "The user's email address; the user is created, without a password, when there is none with it.",
            HelpName = "EMAIL",
            Required = true,
        };
        var role = new Option<string?>("--role")
        {
            Description = "The role of a new user (default analyst), or the new role of an existing one.",
            HelpName = "viewer|analyst|admin",
        };
        role.AcceptOnlyFromAmong("viewer", "analyst", "admin");
        var name = new Option<string>("--name")
        {
            Description = "What the key is for, to tell it apart in a list.",
            HelpName = "NAME",
            DefaultValueFactory = _ => DefaultName,
        };
        name.Validators.Add(result =>
        {
            // Checked before anything is written, so that a bad name does not leave a new user behind.
            if (result.Tokens.Count > 0 && result.Tokens[^1].Value.Trim().Length is 0 or > MaxNameLength)
            {
                result.AddError($"--name must have 1..{MaxNameLength} characters.");
            }
        });

        var command = new Command(
            "create",
            "Create an API key for a user of the database the DATABASE_* variables name, and print its secret (shown only once) on standard output.")
        {
            email,
            role,
            name,
        };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var address = parseResult.GetRequiredValue(email);
            var wanted = parseResult.GetValue(role) is { } r ? Enum.Parse<UserRole>(r, ignoreCase: true) : (UserRole?)null;
            var keyName = parseResult.GetRequiredValue(name);

            await using var services = await DataServices.FromEnvironmentAsync(error).ConfigureAwait(false);
            await DataServices.RequireLatestSchemaAsync(services, "API keys", cancellationToken).ConfigureAwait(false);

            var users = services.GetRequiredService<UserRepository>();
            var (user, created) = await FindOrCreateUserAsync(users, address, wanted ?? UserRole.Analyst, cancellationToken).ConfigureAwait(false);
            if (created)
            {
                await error.WriteLineAsync($"created user {user.Email} with role {RoleName(user.Role)}").ConfigureAwait(false);
            }
            else if (wanted is { } newRole && newRole != user.Role)
            {
                var previous = user.Role;
                user = await users.SetRoleAsync(user.Id, newRole, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"the user {user.Email} was deleted meanwhile.");
                await error.WriteLineAsync($"changed the role of {user.Email} from {RoleName(previous)} to {RoleName(newRole)}").ConfigureAwait(false);
            }

            var key = await services.GetRequiredService<ApiKeyRepository>().CreateAsync(user.Id, keyName, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(key.Secret.AsMemory(), cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync(
                $"API key \"{key.Key.Name}\" ({key.Key.Prefix}…) for {user.Email}: this is the only time its secret is shown, store it now.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<(UserAccount User, bool Created)> FindOrCreateUserAsync(UserRepository users, string email, UserRole role, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (existing, false);
        }

        try
        {
            return (await users.CreateAsync(email, passwordHash: null, role, cancellationToken).ConfigureAwait(false), true);
        }
        catch (ArgumentException e) when (e.ParamName == "email")
        {
            // The repository's message names the field as "email"; the problem line drops its "(Parameter 'email')" suffix.
            throw new InvalidInputException("invalid --email", [e.Message.Replace(" (Parameter 'email')", "", StringComparison.Ordinal)]);
        }
        catch (DuplicateEmailException)
        {
            // Someone created the user between the look-up and the insert: use theirs.
            return (await users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the user {email} was created and deleted meanwhile."), false);
        }
    }

    private static string RoleName(UserRole role) => role switch
    {
        UserRole.Viewer => "viewer",
        UserRole.Analyst => "analyst",
        _ => "admin",
    };
}
