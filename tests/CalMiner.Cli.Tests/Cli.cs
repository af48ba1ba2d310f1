using System.Diagnostics;
using System.Globalization;

namespace CalMiner.Cli.Tests;

/// <summary>What a run of <c>calminer</c> ended with.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Standard output split into lines, without the line ends.</summary>
    public string[] OutputLines => Output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}

/// <summary>Runs the CLI: in process through its entry point, or as the built <c>calminer.dll</c> in its own process.</summary>
internal static class Cli
{
    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(new StringWriter(CultureInfo.InvariantCulture), CancellationToken.None, args);

    public static async Task<CliRun> RunAsync(TextWriter output, CancellationToken cancellationToken, params string[] args)
    {
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = await CalMinerCli.RunAsync(args, output, error, cancellationToken);
        return new CliRun(exitCode, output.ToString() ?? "", error.ToString());
    }

    /// <summary>Runs <c>dotnet calminer.dll</c> as a separate process, as a user or a script would.</summary>
    public static async Task<CliRun> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "calminer.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error);
    }
}
