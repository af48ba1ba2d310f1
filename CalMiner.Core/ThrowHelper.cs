using System.Diagnostics.CodeAnalysis;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner;

/// <summary>
/// Every exception CalMiner.Core throws, kept out of line so the callers stay small. Each names the
/// real parameter (or the document field) at fault; messages read "<c>name rule.</c>".
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string rule) =>
        throw new ArgumentOutOfRangeException(paramName, $"{paramName} {rule}.");

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, object? actualValue, string message) =>
        ThrowArgumentOutOfRange<object>(paramName, actualValue, message);

    /// <inheritdoc cref="ThrowArgumentOutOfRange(string, object?, string)"/>
    [DoesNotReturn]
    public static T ThrowArgumentOutOfRange<T>(string paramName, object? actualValue, string message) =>
        throw new ArgumentOutOfRangeException(paramName, actualValue, message);

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) => ThrowArgument<object>(paramName, message);

    /// <inheritdoc cref="ThrowArgument(string, string)"/>
    [DoesNotReturn]
    public static T ThrowArgument<T>(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    /// <summary>A field of a distribution (or other part of a scenario) passed as an argument breaks a rule: "<c>field rule.</c>".</summary>
    [DoesNotReturn]
    public static void ThrowInvalidField(string field, string rule) => ThrowInvalidField<object>(field, rule);

    /// <inheritdoc cref="ThrowInvalidField(string, string)"/>
    [DoesNotReturn]
    public static T ThrowInvalidField<T>(string field, string rule) =>
        throw new ArgumentException($"{field} {rule}.", field);

    /// <summary>The options ask for a number of iterations outside 1..<see cref="SimulationLimits.MaxIterations"/>.</summary>
    [DoesNotReturn]
    public static void ThrowIterationsOutOfRange(string paramName, int iterations) =>
        throw new ArgumentOutOfRangeException(
            paramName, iterations, $"{paramName}.Iterations must be within 1..{SimulationLimits.MaxIterations}.");

    [DoesNotReturn]
    public static string ThrowUndefinedOutput(SimulationOutput output) =>
        throw new ArgumentOutOfRangeException(nameof(output), output, $"{nameof(output)} must be one of the defined {nameof(SimulationOutput)} values.");

    [DoesNotReturn]
    public static void ThrowPercentOutOfRange(string paramName, int percent) =>
        throw new ArgumentOutOfRangeException(paramName, percent, $"{paramName} must be within 0..100.");

    /// <summary>A method was called in a state where it has nothing to do: a bug in the caller.</summary>
    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) =>
        throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowInvalidScenario(IReadOnlyList<ScenarioError> errors) => ThrowInvalidScenario<object>(errors);

    /// <inheritdoc cref="ThrowInvalidScenario(IReadOnlyList{ScenarioError})"/>
    [DoesNotReturn]
    public static T ThrowInvalidScenario<T>(IReadOnlyList<ScenarioError> errors) =>
        throw new InvalidScenarioException(errors);

    /// <summary>A JSON token of the wrong kind; System.Text.Json adds the path to the message.</summary>
    [DoesNotReturn]
    public static T ThrowJson<T>(string message) =>
        throw new System.Text.Json.JsonException(message);

    /// <summary>Text that should name something (e.g. a convergence metric) does not.</summary>
    [DoesNotReturn]
    public static T ThrowFormat<T>(string message) =>
        throw new FormatException(message);
}
