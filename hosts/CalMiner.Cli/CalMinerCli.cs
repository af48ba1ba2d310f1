using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using CalMiner.Cli.Commands;
using CalMiner.Data;

namespace CalMiner.Cli;

/// <summary>The <c>calminer</c> command line: its commands, and the exit code of a run.</summary>
internal static class CalMinerCli
{
    /// <summary>The root command with every subcommand; <paramref name="input"/> is standard input, for the commands that read a password from it.</summary>
    public static RootCommand CreateRootCommand(TextReader input) =>
        new("CalMiner: economic evaluation of mining projects.")
        {
            Options = { CommonOptions.Verbose },
            Subcommands =
            {
                ValidateCommand.Create(),
                EvaluateCommand.Create(),
                SimulateCommand.Create(),
                MigrateCommand.Create(),
                ApiKeyCommand.Create(),
                UserCommand.Create(input),
                WorkspaceCommand.Create(),
                AuditCommand.Create(),
            },
        };

    /// <summary>Parses <paramref name="args"/> and runs the command they name, with the process's standard input.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Where results go (standard output).</param>
    /// <param name="error">Where messages go (standard error).</param>
    /// <param name="cancellationToken">Stops the run; Ctrl-C and SIGTERM stop it too.</param>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, Console.In, output, error, cancellationToken);

    /// <summary>Parses <paramref name="args"/> and runs the command they name.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="input">Standard input, which <c>--password-stdin</c> reads.</param>
    /// <param name="output">Where results go (standard output).</param>
    /// <param name="error">Where messages go (standard error).</param>
    /// <param name="cancellationToken">Stops the run; Ctrl-C and SIGTERM stop it too.</param>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        // The audit log names whoever ran the command on this machine for the writes it makes.
        using var actor = AuditActor.Use(new AuditActor(null, $"cli:{Environment.UserName}", null, "calminer"));
        var parseResult = CreateRootCommand(input).Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parseResult.Action is ParseErrorAction parseError)
        {
            // The problems, with any "did you mean", go to standard error followed by a pointer to
            // the help; standard output stays empty for whatever reads it.
            parseError.ShowHelp = false;
            configuration = new InvocationConfiguration { Output = error, Error = error };
        }

        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        if (parseResult.Errors.Count == 0)
        {
            return exitCode;
        }

        // A bad option or a missing file is invalid input, like an invalid scenario.
        await error.WriteLineAsync($"Run '{CommandLine(parseResult.CommandResult)} --help' for usage.").ConfigureAwait(false);
        return ExitCodes.InvalidInput;
    }

    /// <summary>The command as typed, e.g. <c>calminer apikey create</c>.</summary>
    private static string CommandLine(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? symbol = result; symbol is CommandResult command; symbol = command.Parent)
        {
            names.Push(command.Command is RootCommand ? "calminer" : command.Command.Name);
        }

        return string.Join(' ', names);
    }
}
