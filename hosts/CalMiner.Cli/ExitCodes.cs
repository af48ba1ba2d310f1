namespace CalMiner.Cli;

/// <summary>The exit codes of <c>calminer</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Anything that is not the input's fault: an I/O error, a bug. The message is on standard error.</summary>
    public const int Failure = 1;

    /// <summary>The input is wrong: an invalid scenario (every problem on standard error), a missing file, a bad option.</summary>
    public const int InvalidInput = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM: 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
