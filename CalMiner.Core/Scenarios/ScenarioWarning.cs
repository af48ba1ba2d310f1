using CalMiner.Simulation.Correlation;

namespace CalMiner.Scenarios;

/// <summary>Something legal in a scenario document but probably wrong; see <see cref="ScenarioDocument.Warnings"/>.</summary>
/// <param name="Path">The field it is about, as a JSON path like <see cref="ScenarioError.Path"/>, e.g. <c>correlations</c>.</param>
/// <param name="Message">What is wrong, e.g. <c>contradict one another: …</c>.</param>
public sealed record ScenarioWarning(string Path, string Message)
{
    /// <summary>The path and the message, e.g. <c>correlations contradict one another: …</c>.</summary>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path} {Message}";
}

/// <summary>Finds the warnings of a valid document.</summary>
internal static class ScenarioWarnings
{
    public static IReadOnlyList<ScenarioWarning> Of(ScenarioDocument document)
    {
        var correlations = document.Correlations ?? [];
        if (correlations.Count == 0)
        {
            return [];
        }

        // The matrix a simulation builds: every parameter named by a correlation, the pairs given, 0 elsewhere.
        string[] names = [.. correlations.SelectMany(c => c is null ? [null!] : new[] { c.A, c.B }).Distinct(StringComparer.Ordinal)];
        if (names.Any(name => name is null || document.Parameters?.GetValueOrDefault(name)?.Distribution is null))
        {
            // A pair that names no uncertain parameter breaks a rule: Validate reports it.
            return [];
        }

        CorrelationMatrixCheck check;
        try
        {
            check = CorrelationMatrixValidation.Check(CorrelationMatrix.FromPairs(names, correlations));
        }
        catch (ArgumentException)
        {
            // A pair that breaks the rules of the format: Validate reports it.
            return [];
        }

        return check.Problem == CorrelationProblem.NotPositiveSemiDefinite
            ? [new ScenarioWarning("correlations", CorrelationMatrixValidation.Contradiction(check.SmallestEigenvalue))]
            : [];
    }
}
