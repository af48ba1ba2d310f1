using System.CommandLine;
using CalMiner.Cli.Output;
using CalMiner.Economics;

namespace CalMiner.Cli.Commands;

/// <summary><c>calminer evaluate FILE [--format table|json|csv]</c>: the deterministic cash-flow model of a scenario.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var file = CommonOptions.ScenarioFile();
        var format = CommonOptions.Format(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var command = new Command("evaluate", "Evaluate a scenario at its base case: cash flows per period and value metrics.")
        {
            file,
            format,
        };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var scenario = ScenarioInput.Load(parseResult.GetRequiredValue(file));
            cancellationToken.ThrowIfCancellationRequested();
            var result = EconomicModel.Evaluate(scenario);
            cancellationToken.ThrowIfCancellationRequested();
            var text = (parseResult.GetValue(format) ?? OutputFormat.Table) switch
            {
                OutputFormat.Json => result.ToJson() + Environment.NewLine,
                OutputFormat.Csv => result.ToCsv(),
                _ => TableRenderer.Render(scenario, result),
            };
            await output.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
