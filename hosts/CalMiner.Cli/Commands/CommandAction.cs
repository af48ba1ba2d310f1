using System.CommandLine;

namespace CalMiner.Cli.Commands;

/// <summary>
/// Runs the body of a command and turns the way it ends into an exit code: invalid input prints
/// its problems, cancellation says so, anything else prints its message (and the stack trace with
/// <c>--verbose</c>). Every command goes through here, so they all fail the same way.
/// </summary>
internal static class CommandAction
{
    /// <summary>An action for <see cref="Command.SetAction(Func{ParseResult, CancellationToken, Task{int}})"/> that runs <paramref name="body"/>.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Of(Func<ParseResult, TextWriter, CancellationToken, Task<int>> body) =>
        async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                return await body(parseResult, output, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidInputException e)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                foreach (var detail in e.Details)
                {
                    await error.WriteLineAsync($"  {detail}").ConfigureAwait(false);
                }

                return ExitCodes.InvalidInput;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("cancelled").ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }
#pragma warning disable CA1031 // The last line of defence: whatever went wrong becomes a message and exit code 1.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var verbose = parseResult.GetValue(CommonOptions.Verbose);
                await error.WriteLineAsync(verbose ? $"error: {e}" : $"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        };
}
