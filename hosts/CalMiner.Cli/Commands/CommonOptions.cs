using System.CommandLine;
using CalMiner.Cli.Output;

namespace CalMiner.Cli.Commands;

/// <summary>Arguments and options that several commands share, so they read and behave the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary><c>--verbose</c>: print the stack trace of an unexpected failure; accepted by every command.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show the full details of an unexpected failure.",
        Recursive = true,
    };

    /// <summary>The scenario document a command reads; it must exist.</summary>
    public static Argument<FileInfo> ScenarioFile()
    {
        var argument = new Argument<FileInfo>("FILE") { Description = "The scenario document (JSON)." };
        argument.AcceptExistingOnly();
        return argument;
    }

    /// <summary><c>--format</c>, restricted to <paramref name="formats"/>; <see langword="null"/> when not given, which means the first of them.</summary>
    public static Option<OutputFormat?> Format(params OutputFormat[] formats)
    {
        var names = formats.Select(f => f.ToString().ToLowerInvariant()).ToArray();
        var option = new Option<OutputFormat?>("--format", "-f")
        {
            Description = $"How to write the result; default {names[0]}.",
            HelpName = string.Join('|', names),
        };
        option.AcceptOnlyFromAmong(names);
        return option;
    }
}
