using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CalMiner.Cli.Tests;

/// <summary>The web app started as its own process (<c>dotnet CalMiner.Web.dll</c>) on a free loopback port, as a user starts it.</summary>
internal sealed partial class WebHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private WebHostProcess(Process process) => _process = process;

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1");

    /// <summary>What it has written to standard output and standard error so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts it in <paramref name="workingDirectory"/> (environment Testing unless <paramref name="environment"/> says otherwise) and waits until it listens.</summary>
    public static async Task<WebHostProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>(environment, StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
        };
        variables.TryAdd("ASPNETCORE_ENVIRONMENT", "Testing");
        var start = Cli.DotnetStart(Path.Combine(AppContext.BaseDirectory, "CalMiner.Web.dll"), workingDirectory, variables);
        var host = new WebHostProcess(new Process { StartInfo = start });
        host._process.OutputDataReceived += (_, line) => host.Append(line.Data);
        host._process.ErrorDataReceived += (_, line) => host.Append(line.Data);
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (ListeningOn().Match(host.Log) is not { Success: true } match)
        {
            if (host._process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = host.Log;
                await host.DisposeAsync();
                throw new InvalidOperationException($"The web app did not start:{Environment.NewLine}{log}");
            }

            await Task.Delay(100);
        }

        host.Address = new Uri(ListeningOn().Match(host.Log).Groups[1].Value);
        return host;
    }

    /// <summary>A client of the app that keeps cookies, as a browser does.</summary>
    public HttpClient Browser() => new(new HttpClientHandler { UseCookies = true }) { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
