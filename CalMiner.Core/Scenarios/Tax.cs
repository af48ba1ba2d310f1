namespace CalMiner.Scenarios;

/// <summary>Income tax.</summary>
public sealed record Tax
{
    /// <summary>Rate as a fraction of taxable income, in 0..1.</summary>
    public Bindable Rate { get; init; }

    /// <summary>Whether tax losses are carried forward against later taxable income; default true.</summary>
    public bool LossCarryForward { get; init; } = true;
}
