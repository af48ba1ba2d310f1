namespace CalMiner.Scenarios;

/// <summary>A named input, with its base-case value and optionally the distribution of its uncertainty.</summary>
/// <param name="Value">The base-case value, used by the deterministic evaluation.</param>
/// <param name="Unit">The unit, e.g. "USD/oz"; informative.</param>
/// <param name="Description">What the parameter stands for; informative.</param>
/// <param name="Distribution">The distribution of the parameter in a simulation; <see langword="null"/> keeps it at <paramref name="Value"/>.</param>
public sealed record Parameter(double Value, string? Unit = null, string? Description = null, Distribution? Distribution = null);
