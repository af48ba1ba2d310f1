namespace CalMiner.Scenarios;

/// <summary>Multipliers applied across the model, each ≥ 0 and 1 when not given; typically bound to uncertain parameters.</summary>
/// <param name="Grade">Multiplies every grade.</param>
/// <param name="Throughput">Multiplies ore mined and ore processed.</param>
/// <param name="OperatingCost">Multiplies every operating cost.</param>
/// <param name="InitialCapital">Multiplies initial capital, equipment bought before production included.</param>
/// <param name="SustainingCapital">Multiplies sustaining capital, equipment bought or replaced during production included.</param>
public sealed record Factors(
    Bindable Grade = default,
    Bindable Throughput = default,
    Bindable OperatingCost = default,
    Bindable InitialCapital = default,
    Bindable SustainingCapital = default)
{
    /// <summary>Multiplies every grade.</summary>
    public Bindable Grade { get; init; } = Grade.Or(1);

    /// <summary>Multiplies ore mined and ore processed.</summary>
    public Bindable Throughput { get; init; } = Throughput.Or(1);

    /// <summary>Multiplies every operating cost.</summary>
    public Bindable OperatingCost { get; init; } = OperatingCost.Or(1);

    /// <summary>Multiplies initial capital, equipment bought before production included.</summary>
    public Bindable InitialCapital { get; init; } = InitialCapital.Or(1);

    /// <summary>Multiplies sustaining capital, equipment bought or replaced during production included.</summary>
    public Bindable SustainingCapital { get; init; } = SustainingCapital.Or(1);
}
