using CalMiner.Scenarios;

namespace CalMiner.Cli.Commands;

/// <summary>Reads the scenario document a command was given.</summary>
internal static class ScenarioInput
{
    /// <summary>Reads and validates <paramref name="file"/>.</summary>
    /// <exception cref="InvalidInputException">The file is missing, or is not a valid scenario; every problem is listed.</exception>
    public static ScenarioDocument Load(FileInfo file)
    {
        try
        {
            return ScenarioDocument.Load(file.FullName);
        }
        catch (InvalidScenarioException e)
        {
            var problems = e.Errors.Count == 1 ? "1 problem" : $"{e.Errors.Count} problems";
            throw new InvalidInputException($"invalid: {file} ({problems})", [.. e.Errors.Select(error => error.ToString())]);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidInputException($"File does not exist: '{file}'.", []);
        }
    }

    /// <summary>A warning about the document, with what to do about it from the command line.</summary>
    public static string Describe(ScenarioWarning warning) =>
        warning.Path == "correlations"
            ? $"{warning}; simulate refuses them unless run with --repair-correlations, which uses the nearest valid matrix"
            : warning.ToString();
}
