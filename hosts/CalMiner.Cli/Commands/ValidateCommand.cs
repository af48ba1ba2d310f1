using System.CommandLine;
using CalMiner.Scenarios;

namespace CalMiner.Cli.Commands;

/// <summary>
/// <c>calminer validate FILE</c>: checks a scenario document against every rule of the format. A valid
/// document may still draw warnings (on stderr, exit code 0), e.g. correlations that a simulation refuses.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = CommonOptions.ScenarioFile();
        var command = new Command("validate", "Check a scenario document; print every problem found.") { file };
        command.SetAction(CommandAction.Of(async (parseResult, output, cancellationToken) =>
        {
            var scenario = ScenarioInput.Load(parseResult.GetRequiredValue(file));
            await output.WriteLineAsync(Summary(scenario).AsMemory(), cancellationToken).ConfigureAwait(false);
            var error = parseResult.InvocationConfiguration.Error;
            foreach (var warning in scenario.Warnings())
            {
                await error.WriteLineAsync($"warning: {ScenarioInput.Describe(warning)}".AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>e.g. <c>valid: Gold open pit (10 periods, 1 product, 7 uncertain parameters)</c>.</summary>
    internal static string Summary(ScenarioDocument scenario)
    {
        var uncertain = scenario.Parameters.Values.Count(p => p.Distribution is { Type: not DistributionType.Constant });
        return $"valid: {scenario.Name} ({Count(scenario.Periods, "period")}, {Count(scenario.Products.Count, "product")}, "
            + $"{Count(uncertain, "uncertain parameter")})";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
