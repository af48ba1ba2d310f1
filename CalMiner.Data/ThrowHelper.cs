using System.Diagnostics.CodeAnalysis;

namespace CalMiner.Data;

/// <summary>Throws of the data library, kept out of the callers so that those stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowConfiguration(string setting, string message) =>
        throw new DataConfigurationException(setting, message);

    [DoesNotReturn]
    public static T ThrowConfiguration<T>(string setting, string message) =>
        throw new DataConfigurationException(setting, message);

    [DoesNotReturn]
    public static void ThrowConcurrency(long scenarioId, int expectedVersion, int? currentVersion) =>
        throw new ScenarioConcurrencyException(scenarioId, expectedVersion, currentVersion);

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowKeyNotFound(string message) =>
        throw new KeyNotFoundException(message);

    [DoesNotReturn]
    public static T ThrowArgument<T>(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static T ThrowInvalidData<T>(string message) =>
        throw new InvalidOperationException(message);
}
