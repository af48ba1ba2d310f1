using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CalMiner.Cli.Output;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Cli.Commands;

/// <summary>
/// <c>calminer simulate FILE [--iterations N] [--seed S] [--sampling monteCarlo|latinHypercube] [--threads T]
/// [--format table|json] [--samples FILE.csv] [--repair-correlations]</c>: a Monte Carlo run of a
/// scenario; what is not given comes from the document's <c>simulation</c> section.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Runs at least this long show their progress even when standard error is not a terminal.</summary>
    public const int ProgressIterations = 100_000;

    private const int MaxIterations = 100_000_000;

    // As the scenario document and the simulation's JSON spell them.
    private const string MonteCarloName = "monteCarlo";
    private const string LatinHypercubeName = "latinHypercube";

    public static Command Create()
    {
        var file = CommonOptions.ScenarioFile();
        var iterations = new Option<int?>("--iterations", "-n")
        {
            Description = "Number of iterations; default from the document's simulation section.",
            HelpName = "N",
        };
        iterations.Validators.Add(result =>
        {
            if (Integer(result) is < 1 or > MaxIterations)
            {
                result.AddError($"--iterations must be within 1..{MaxIterations.ToString("N0", CultureInfo.InvariantCulture)}.");
            }
        });
        var seed = new Option<long?>("--seed", "-s")
        {
            Description = "Seed of the random streams; default from the document.",
            HelpName = "S",
        };
        var sampling = new Option<string?>("--sampling")
        {
            Description = "Latin Hypercube or plain Monte Carlo; default from the document.",
            HelpName = "monteCarlo|latinHypercube",
        };
        sampling.AcceptOnlyFromAmong(MonteCarloName, LatinHypercubeName);
        var threads = new Option<int?>("--threads", "-t")
        {
            Description = "Threads to use; default all cores. Results do not depend on it.",
            HelpName = "T",
        };
        threads.Validators.Add(result =>
        {
            if (Integer(result) is < 1)
            {
                result.AddError("--threads must be at least 1.");
            }
        });
        var format = CommonOptions.Format(OutputFormat.Table, OutputFormat.Json);
        var samples = new Option<FileInfo?>("--samples")
        {
            Description = "Also write every iteration's sampled inputs and outputs to this CSV file.",
            HelpName = "FILE.csv",
        };
        var repair = new Option<bool>("--repair-correlations")
        {
            Description = "Repair an invalid correlation matrix to the nearest valid one instead of stopping.",
        };

        var command = new Command("simulate", "Run a Monte Carlo simulation of a scenario: distributions of the metrics, sensitivity, tornado.")
        {
            file,
            iterations,
            seed,
            sampling,
            threads,
            format,
            samples,
            repair,
        };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var scenario = ScenarioInput.Load(parseResult.GetRequiredValue(file));
            if (!parseResult.GetValue(repair) && scenario.Warnings().FirstOrDefault(w => w.Path == "correlations") is { } contradiction)
            {
                throw new InvalidInputException("invalid correlations", [ScenarioInput.Describe(contradiction)]);
            }

            var samplesFile = parseResult.GetValue(samples);
            if (samplesFile?.Directory is { Exists: false } folder)
            {
                throw new InvalidInputException($"--samples: the folder '{folder}' does not exist.", []);
            }

            var options = new SimulationOptions
            {
                Iterations = parseResult.GetValue(iterations),
                Seed = parseResult.GetValue(seed),
                Sampling = parseResult.GetValue(sampling) switch
                {
                    LatinHypercubeName => SamplingMethod.LatinHypercube,
                    MonteCarloName => SamplingMethod.MonteCarlo,
                    _ => null,
                },
                MaxDegreeOfParallelism = parseResult.GetValue(threads) ?? -1,
                RepairCorrelations = parseResult.GetValue(repair),
                KeepSamples = samplesFile is not null,
            };

            var error = parseResult.InvocationConfiguration.Error;
            var (result, seconds) = await RunAsync(scenario, options, error, cancellationToken).ConfigureAwait(false);

            if (samplesFile is not null)
            {
                await WriteSamplesAsync(samplesFile.FullName, result.Samples!, cancellationToken).ConfigureAwait(false);
            }

            var text = (parseResult.GetValue(format) ?? OutputFormat.Table) switch
            {
                OutputFormat.Json => result.ToJson(Math.Round(seconds, 3)) + Environment.NewLine,
                _ => SimulationTableRenderer.Render(scenario, result, seconds),
            };
            await output.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The option's integer, or null when it is missing or not an integer (the parser reports that itself).</summary>
    private static int? Integer(System.CommandLine.Parsing.OptionResult result) =>
        result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Writes the samples' CSV form (see <see cref="SampleCsv"/>) to a file, UTF-8 without a byte order mark.</summary>
    private static async Task WriteSamplesAsync(string path, SimulationSamples samples, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
        await samples.WriteCsvAsync(writer, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(SimulationResult Result, double Seconds)> RunAsync(ScenarioDocument scenario, SimulationOptions options, TextWriter error, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        using var progress = new ProgressBar(error, terminal, ProgressIterations);
        var clock = Stopwatch.StartNew();
        try
        {
            // The run observes the token, but not in every stage (correlating, summarising); waiting
            // on it here lets Ctrl-C end the command at once, leaving the run to die with the process.
            var result = await Task.Run(() => MonteCarlo.Run(scenario, options, progress, cancellationToken), CancellationToken.None)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return (result, clock.Elapsed.TotalSeconds);
        }
        catch (ArgumentException e)
        {
            // Options out of range, or a correlation matrix that is not valid: the input's fault.
            throw new InvalidInputException($"invalid: {e.Message}", []);
        }
        catch (InvalidScenarioException e)
        {
            throw new InvalidInputException("invalid scenario", [.. e.Errors.Select(problem => problem.ToString())]);
        }
    }
}
