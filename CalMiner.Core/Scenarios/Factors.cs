namespace CalMiner.Scenarios;

/// <summary>Multipliers applied across the model, each ≥ 0 and 1 by default; typically bound to uncertain parameters.</summary>
public sealed record Factors
{
    /// <summary>Multiplies every grade.</summary>
    public Bindable Grade { get; init; } = 1.0;

    /// <summary>Multiplies ore mined and ore processed.</summary>
    public Bindable Throughput { get; init; } = 1.0;

    /// <summary>Multiplies every operating cost.</summary>
    public Bindable OperatingCost { get; init; } = 1.0;

    /// <summary>Multiplies initial capital, equipment bought before production included.</summary>
    public Bindable InitialCapital { get; init; } = 1.0;

    /// <summary>Multiplies sustaining capital, equipment bought or replaced during production included.</summary>
    public Bindable SustainingCapital { get; init; } = 1.0;
}
