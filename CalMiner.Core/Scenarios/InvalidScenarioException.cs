namespace CalMiner.Scenarios;

/// <summary>Thrown when a scenario document cannot be read or breaks the rules of the format.</summary>
public sealed class InvalidScenarioException : Exception
{
    /// <summary>Creates the exception for a non-empty list of problems.</summary>
    /// <param name="errors">Every problem found, each naming its field.</param>
    public InvalidScenarioException(IReadOnlyList<ScenarioError> errors)
        : base(Describe(errors)) =>
        Errors = errors;

    /// <summary>Every problem found, each naming its field.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }

    private static string Describe(IReadOnlyList<ScenarioError> errors) =>
        errors.Count == 1
            ? $"The scenario is invalid: {errors[0]}"
            : $"The scenario is invalid ({errors.Count} problems):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
}
