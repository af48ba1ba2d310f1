using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CalMiner.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CalMiner.Cli.Commands;

/// <summary>
/// <c>calminer user create|set-password|set-role|list</c>: the accounts of the database the <c>DATABASE_*</c>
/// variables name, without the web app, e.g. to get back in when the first admin's password is lost. A password
/// is read from standard input (<c>--password-stdin</c>), never from the command line where the shell's history
/// would keep it, or else generated and printed once on standard output. Passwords are hashed as the web app
/// hashes them (ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>).
/// </summary>
internal static class UserCommand
{
    // The web API's rules for a password (POST /api/users).
    private const int MinPasswordLength = 12;
    private const int MaxPasswordLength = 1024;
    private const int GeneratedPasswordLength = 20;

    // No look-alikes (0/O, 1/l/I): a generated password may be typed from the screen.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private static readonly string[] RoleNames = ["viewer", "analyst", "admin"];

    public static Command Create(TextReader input) =>
        new("user", "Manage the user accounts of the database the DATABASE_* variables name: create one, set a password or a role, list them.")
        {
            Subcommands = { CreateSubcommand(input), SetPasswordSubcommand(input), SetRoleSubcommand(), ListSubcommand() },
        };

    private static Command CreateSubcommand(TextReader input)
    {
        var email = EmailOption("The new user's email address.");
        var role = new Option<string>("--role")
        {
            Description = "What the user may do.",
            HelpName = "viewer|analyst|admin",
            DefaultValueFactory = _ => "analyst",
        };
        role.AcceptOnlyFromAmong(RoleNames);
        var passwordStdin = PasswordStdinOption();
        var command = new Command(
            "create",
            "Create a user who signs in with a password: read from standard input with --password-stdin, or generated and printed once on standard output.")
        {
            email,
            role,
            passwordStdin,
        };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var wanted = ParseRole(parseResult.GetRequiredValue(role));
            var password = await NewPasswordAsync(parseResult.GetValue(passwordStdin), input, cancellationToken).ConfigureAwait(false);
            await using var services = await OpenAsync(error, cancellationToken).ConfigureAwait(false);
            var users = services.GetRequiredService<UserRepository>();

            UserAccount user;
            try
            {
                // PasswordHasher does not read the account it is given; the real one has no id until it is stored.
                var hash = Hash(new UserAccount(0, parseResult.GetRequiredValue(email), wanted, default), password.Text);
                user = await users.CreateAsync(parseResult.GetRequiredValue(email), hash, wanted, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e) when (e.ParamName == "email")
            {
                throw InvalidEmail(e);
            }
            catch (DuplicateEmailException e)
            {
                throw new InvalidOperationException($"there is already a user with the email address {e.Email}: use 'calminer user set-password' or 'calminer user set-role'.", e);
            }

            await error.WriteLineAsync($"created user {user.Email} with role {RoleName(user.Role)}").ConfigureAwait(false);
            await ShowGeneratedAsync(password, user, output, error, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command SetPasswordSubcommand(TextReader input)
    {
        var email = EmailOption("The user's email address.");
        var passwordStdin = PasswordStdinOption();
        var command = new Command(
            "set-password",
            "Give a user a new password, read from standard input with --password-stdin, or generated and printed once on standard output. The user's web sessions signed in with the old one end.")
        {
            email,
            passwordStdin,
        };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var password = await NewPasswordAsync(parseResult.GetValue(passwordStdin), input, cancellationToken).ConfigureAwait(false);
            await using var services = await OpenAsync(error, cancellationToken).ConfigureAwait(false);
            var users = services.GetRequiredService<UserRepository>();
            var user = await FindAsync(users, parseResult.GetRequiredValue(email), cancellationToken).ConfigureAwait(false);

            if (!await users.SetPasswordHashAsync(user.Id, Hash(user, password.Text), cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"the user {user.Email} was deleted meanwhile.");
            }

            await error.WriteLineAsync($"set a new password for {user.Email}; the web sessions signed in with the old one end").ConfigureAwait(false);
            await ShowGeneratedAsync(password, user, output, error, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command SetRoleSubcommand()
    {
        var email = EmailOption("The user's email address.");
        var role = new Option<string>("--role")
        {
            Description = "What the user may do from now on.",
            HelpName = "viewer|analyst|admin",
            Required = true,
        };
        role.AcceptOnlyFromAmong(RoleNames);
        var command = new Command("set-role", "Change what a user may do. The last admin cannot be demoted.")
        {
            email,
            role,
        };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var wanted = ParseRole(parseResult.GetRequiredValue(role));
            await using var services = await OpenAsync(error, cancellationToken).ConfigureAwait(false);
            var users = services.GetRequiredService<UserRepository>();
            var user = await FindAsync(users, parseResult.GetRequiredValue(email), cancellationToken).ConfigureAwait(false);
            if (user.Role == wanted)
            {
                await error.WriteLineAsync($"{user.Email} already has role {RoleName(wanted)}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (user.Role == UserRole.Admin
                && (await users.ListAsync(cancellationToken).ConfigureAwait(false)).Count(u => u.Role == UserRole.Admin) <= 1)
            {
                throw new InvalidOperationException($"{user.Email} is the last admin: it cannot be demoted. Make another user an admin first.");
            }

            _ = await users.SetRoleAsync(user.Id, wanted, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the user {user.Email} was deleted meanwhile.");
            await error.WriteLineAsync($"changed the role of {user.Email} from {RoleName(user.Role)} to {RoleName(wanted)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ListSubcommand()
    {
        var command = new Command("list", "List the users by email address: email, role, and when each was created (UTC). No secrets.");
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            await using var services = await OpenAsync(parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            var users = await services.GetRequiredService<UserRepository>().ListAsync(cancellationToken).ConfigureAwait(false);
            var width = users.Select(u => u.Email.Length).Append("EMAIL".Length).Max();
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{"EMAIL".PadRight(width)}  {"ROLE",-7}  CREATED").AppendLine();
            foreach (var user in users)
            {
                text.Append(CultureInfo.InvariantCulture, $"{user.Email.PadRight(width)}  {RoleName(user.Role),-7}  {user.CreatedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}").AppendLine();
            }

            await output.WriteAsync(text.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    // Made when a password is hashed, not when the command line is built: the other commands do not load Identity.
    private static string Hash(UserAccount user, string password) => new PasswordHasher<UserAccount>().HashPassword(user, password);

    private static Option<string> EmailOption(string description) => new("--email", "-e")
    {
        Description = description,
        HelpName = "EMAIL",
        Required = true,
    };

    private static Option<bool> PasswordStdinOption() => new("--password-stdin")
    {
        Description = $"Read the password from standard input ({MinPasswordLength}..{MaxPasswordLength} characters, one line), e.g. printf '%s' \"$PASSWORD\" | calminer user …",
    };

    private static async Task<ServiceProvider> OpenAsync(TextWriter error, CancellationToken cancellationToken)
    {
        var services = await DataServices.FromEnvironmentAsync(error).ConfigureAwait(false);
        try
        {
            await DataServices.RequireLatestSchemaAsync(services, "user accounts", cancellationToken).ConfigureAwait(false);
            return services;
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<UserAccount> FindAsync(UserRepository users, string email, CancellationToken cancellationToken) =>
        await users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"there is no user with the email address {email.Trim()}: create one with 'calminer user create --email {email.Trim()}'.");

    /// <summary>The password from standard input, checked, or a new random one.</summary>
    private static async Task<NewPassword> NewPasswordAsync(bool fromStdin, TextReader input, CancellationToken cancellationToken)
    {
        if (!fromStdin)
        {
            return new NewPassword(RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength), Generated: true);
        }

        var text = await input.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        // One line ending is what echo and a here-string add; it is not part of the password.
        text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        var problem = text switch
        {
            _ when text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal) => "password must be one line",
            { Length: < MinPasswordLength } => $"password must have at least {MinPasswordLength} characters, not {text.Length}",
            { Length: > MaxPasswordLength } => $"password must have at most {MaxPasswordLength} characters",
            _ => null,
        };
        return problem is null
            ? new NewPassword(text, Generated: false)
            : throw new InvalidInputException("invalid password on standard input", [problem]);
    }

    private static async Task ShowGeneratedAsync(NewPassword password, UserAccount user, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!password.Generated)
        {
            return;
        }

        await output.WriteLineAsync(password.Text.AsMemory(), cancellationToken).ConfigureAwait(false);
        await error.WriteLineAsync($"the password of {user.Email} is on standard output: this is the only time it is shown, store it now.").ConfigureAwait(false);
    }

    private static InvalidInputException InvalidEmail(ArgumentException e) =>
        new("invalid --email", [e.Message.Replace(" (Parameter 'email')", "", StringComparison.Ordinal)]);

    private static UserRole ParseRole(string name) => Enum.Parse<UserRole>(name, ignoreCase: true);

    private static string RoleName(UserRole role) => role.ToString().ToLowerInvariant();

    private sealed record NewPassword(string Text, bool Generated);
}
