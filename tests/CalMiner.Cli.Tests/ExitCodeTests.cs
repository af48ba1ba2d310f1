using System.Text.Json.Nodes;

namespace CalMiner.Cli.Tests;

public sealed class ExitCodeTests : IDisposable
{
    private readonly Scenarios _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("evaluate", "{gold}", "--format", "xml")]
    [InlineData("evaluate", "{gold}", "--iterations", "3")]
    [InlineData("evaluate")]
    [InlineData("evaluate", "{gold}", "{gold}")]
    [InlineData("frobnicate", "{gold}")]
    [InlineData]
    public async Task ABadCommandLine_IsInvalidInput(params string[] args)
    {
        var run = await Cli.RunAsync([.. args.Select(a => a.Replace("{gold}", Scenarios.GoldOpenPit, StringComparison.Ordinal))]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExitsWith0()
    {
        var run = await Cli.RunAsync("evaluate", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--format <table|json|csv>", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_OfAnInvalidScenario_PrintsEveryProblem_AndExitsWith2()
    {
        var document = Scenarios.GoldOpenPitJson();
        document["periods"] = 0;
        document["products"]![0]!["recovery"] = 1.5;
        var text = document.ToJsonString();
        var expected = ValidateCommandTests.ProblemsOf(text);

        var run = await Cli.RunAsync("evaluate", _files.Write(text), "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.All(expected, problem => Assert.Contains(problem, run.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailure_ExitsWith1_WithItsMessage_AndNoStackTrace()
    {
        var run = await Cli.RunAsync(new FailingWriter(), CancellationToken.None, "evaluate", Scenarios.GoldOpenPit);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {FailingWriter.Message}", run.Error.TrimEnd());
    }

    [Fact]
    public async Task AFailure_WithVerbose_ShowsTheStackTrace()
    {
        var run = await Cli.RunAsync(new FailingWriter(), CancellationToken.None, "evaluate", Scenarios.GoldOpenPit, "--verbose");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: System.IO.IOException: {FailingWriter.Message}", run.Error, StringComparison.Ordinal);
        Assert.Contains(" at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_StopsTheCommand()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var run = await Cli.RunAsync(new StringWriter(), cancelled.Token, "evaluate", Scenarios.GoldOpenPit);

        Assert.Equal(130, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Equal("cancelled", run.Error.TrimEnd());
    }

    [Fact]
    public async Task TheBuiltCommand_WritesJsonToStandardOutput_AndExitsWith0()
    {
        var run = await Cli.RunProcessAsync("evaluate", Scenarios.GoldOpenPit, "--format", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.NotNull(JsonNode.Parse(run.Output)!["metrics"]!["npvAfterTax"]);
    }

    [Fact]
    public async Task TheBuiltCommand_ExitsWith2_ForAnInvalidScenario_WithTheProblemsOnStandardError()
    {
        var document = Scenarios.GoldOpenPitJson();
        document["discountRate"] = -1;
        var text = document.ToJsonString();

        var run = await Cli.RunProcessAsync("validate", _files.Write(text));

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains(Assert.Single(ValidateCommandTests.ProblemsOf(text)), run.Error, StringComparison.Ordinal);
    }

    /// <summary>Standard output on a full disk or a closed pipe.</summary>
    private sealed class FailingWriter : StringWriter
    {
        public const string Message = "No space left on device";

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException(Message);

        public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException(Message);
    }
}
