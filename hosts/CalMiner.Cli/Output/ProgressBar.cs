using System.Diagnostics;
using System.Globalization;
using CalMiner.Simulation;

namespace CalMiner.Cli.Output;

/// <summary>
/// Shows a simulation's progress on standard error. On a terminal: one line redrawn in place
/// (carriage return, no escape sequences) a few times a second, erased when the run ends; nothing
/// for a run that ends within <see cref="TerminalDelay"/>. When standard error is redirected: only
/// for runs of at least the given iterations, as plain lines, at most one a second.
/// Reports come from the simulation's worker threads; they are throttled, so a report costs a
/// clock read and a lock at most.
/// </summary>
internal sealed class ProgressBar(TextWriter error, bool terminal, int redirectedFrom) : IProgress<SimulationProgress>, IDisposable
{
    private const int BarWidth = 30;
    private const int LineWidth = 79;
    private static readonly TimeSpan TerminalDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _next = terminal ? TerminalDelay : RedirectedInterval;
    private bool _drawn;
    private bool _closed;

    public void Report(SimulationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!terminal && value.Total < redirectedFrom)
        {
            return;
        }

        var now = _clock.Elapsed;
        if (now < _next)
        {
            return;
        }

        lock (_lock)
        {
            if (_closed || now < _next)
            {
                return;
            }

            _next = now + (terminal ? TerminalInterval : RedirectedInterval);
            var line = Line(value, now);
            if (terminal)
            {
                error.Write($"\r{line.PadRight(LineWidth)}");
            }
            else
            {
                error.WriteLine(line);
            }

            error.Flush();
            _drawn = true;
        }
    }

    /// <summary>Erases the line on a terminal; no report is shown after this.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            if (terminal && _drawn)
            {
                error.Write($"\r{new string(' ', LineWidth)}\r");
                error.Flush();
            }
        }
    }

    /// <summary>e.g. <c>simulating [##########--------------------]  33%  evaluating 330,000/1,000,000  0.4 s</c>.</summary>
    internal static string Line(SimulationProgress value, TimeSpan elapsed)
    {
        var fraction = value.Total <= 0 ? 0 : Math.Clamp((double)value.Completed / value.Total, 0, 1);
        var filled = (int)(fraction * BarWidth);
        var invariant = CultureInfo.InvariantCulture;
        return string.Create(
            invariant,
            $"simulating [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,3:0}%  {StageName(value.Stage)} {value.Completed:N0}/{value.Total:N0}  {elapsed.TotalSeconds:0.0} s");
    }

    private static string StageName(SimulationStage stage) => stage switch
    {
        SimulationStage.Sampling => "sampling",
        SimulationStage.Correlating => "correlating",
        SimulationStage.Evaluating => "evaluating",
        SimulationStage.Summarising => "summarising",
        _ => stage.ToString(),
    };
}
