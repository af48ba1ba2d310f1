namespace CalMiner.Scenarios;

/// <summary>A named input, with its base-case value and optionally the distribution of its uncertainty.</summary>
public sealed record Parameter
{
    /// <summary>The base-case value, used by the deterministic evaluation.</summary>
    public required double Value { get; init; }

    /// <summary>The unit, e.g. "USD/oz"; informative.</summary>
    public string? Unit { get; init; }

    /// <summary>What the parameter stands for; informative.</summary>
    public string? Description { get; init; }

    /// <summary>The distribution of the parameter in a simulation; <see langword="null"/> keeps it at <see cref="Value"/>.</summary>
    public Distribution? Distribution { get; init; }
}
