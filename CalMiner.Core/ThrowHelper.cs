using System.Diagnostics.CodeAnalysis;

namespace CalMiner;

/// <summary>Throws for the public boundary, kept out of line so the callers stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string rule) =>
        throw new ArgumentOutOfRangeException(paramName, $"{paramName} {rule}.");

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static string ThrowUndefinedOutput(Simulation.SimulationOutput output) =>
        throw new ArgumentOutOfRangeException(nameof(output), output, $"{nameof(output)} must be one of the defined {nameof(Simulation.SimulationOutput)} values.");

    [DoesNotReturn]
    public static void ThrowPercentOutOfRange(string paramName, int percent) =>
        throw new ArgumentOutOfRangeException(paramName, percent, $"{paramName} must be within 0..100.");
}
