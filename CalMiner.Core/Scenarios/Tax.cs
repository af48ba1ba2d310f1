namespace CalMiner.Scenarios;

/// <summary>Income tax.</summary>
/// <param name="Rate">Rate as a fraction of taxable income, in 0..1; default 0.</param>
/// <param name="LossCarryForward">Whether tax losses are carried forward against later taxable income; default true.</param>
public sealed record Tax(Bindable Rate = default, bool LossCarryForward = true)
{
    /// <summary>Rate as a fraction of taxable income, in 0..1; default 0.</summary>
    public Bindable Rate { get; init; } = Rate.Or(0);
}
