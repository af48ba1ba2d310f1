namespace CalMiner.Cli.Commands;

/// <summary>The user's input is wrong; the command ends with <see cref="ExitCodes.InvalidInput"/>.</summary>
/// <param name="message">What is wrong, in one line.</param>
/// <param name="details">The individual problems, one line each.</param>
internal sealed class InvalidInputException(string message, IReadOnlyList<string> details) : Exception(message)
{
    /// <summary>The individual problems, one line each.</summary>
    public IReadOnlyList<string> Details { get; } = details;
}
