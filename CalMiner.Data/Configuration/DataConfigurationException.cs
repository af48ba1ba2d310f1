namespace CalMiner.Data;

/// <summary>
/// Thrown when a data setting is missing or invalid. The message names the setting and never
/// contains the database password.
/// </summary>
public sealed class DataConfigurationException : Exception
{
    /// <summary>Creates the exception for the setting <paramref name="setting"/>.</summary>
    /// <param name="setting">The name of the setting, e.g. <c>DATABASE_PORT</c>.</param>
    /// <param name="message">What is wrong with it, naming the setting.</param>
    public DataConfigurationException(string setting, string message)
        : base(message) =>
        Setting = setting;

    /// <summary>The name of the offending setting, e.g. <c>DATABASE_PORT</c>.</summary>
    public string Setting { get; }
}
