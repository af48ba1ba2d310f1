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
        var exitCode = await CalMinerCli.RunAsync(args, TextReader.Null, output, error, cancellationToken);
        return new CliRun(exitCode, output.ToString() ?? "", error.ToString());
    }

    /// <summary>Runs the CLI in process with <paramref name="input"/> as its standard input.</summary>
    public static async Task<CliRun> RunWithInputAsync(string input, params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = await CalMinerCli.RunAsync(args, new StringReader(input), output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>dotnet calminer.dll</c> as a separate process, as a user or a script would.</summary>
    public static Task<CliRun> RunProcessAsync(params string[] args) => RunProcessAsync(new CliProcess(), args);

    /// <summary>Runs <c>dotnet calminer.dll</c> as a separate process, started as <paramref name="how"/> says.</summary>
    public static async Task<CliRun> RunProcessAsync(CliProcess how, params string[] args)
    {
        var start = DotnetStart(Path.Combine(AppContext.BaseDirectory, "calminer.dll"), how.WorkingDirectory, how.Environment);
        start.RedirectStandardInput = true;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(how.Input ?? "");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error);
    }

    /// <summary>How to start <c>dotnet</c> with <paramref name="assembly"/>: in <paramref name="workingDirectory"/>, with the test's environment changed by <paramref name="environment"/> (a null value removes the variable).</summary>
    public static ProcessStartInfo DotnetStart(string assembly, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.ArgumentList.Add(assembly);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }
}

/// <summary>How a CLI process is started: its standard input, working folder and environment changes (a null value removes the variable).</summary>
internal sealed record CliProcess(string? Input = null, string? WorkingDirectory = null, IReadOnlyDictionary<string, string?>? Environment = null);
