namespace CalMiner.Scenarios;

/// <summary>A saleable product: a metal recovered from the processed ore.</summary>
/// <param name="Name">Name, unique in the scenario; the key of the schedule's grades.</param>
/// <param name="GradeUnit">The unit of this product's grades in the schedule.</param>
/// <param name="PayableUnit">The unit the product is sold and priced in.</param>
/// <param name="Recovery">Metallurgical recovery, a fraction in 0..1.</param>
/// <param name="Price">Price in scenario currency per payable unit, ≥ 0.</param>
/// <param name="Payability">Fraction of recovered metal that is paid for, in 0..1; default 1.</param>
/// <param name="SellingCostPerUnit">Treatment/refining charges and freight in currency per payable unit, ≥ 0; default 0.</param>
/// <param name="Primary">Whether this is the primary product, the one unit costs are expressed per. Exactly one is.</param>
public sealed record Product(
    string Name,
    GradeUnit GradeUnit,
    PayableUnit PayableUnit,
    Bindable Recovery,
    Bindable Price,
    Bindable Payability = default,
    Bindable SellingCostPerUnit = default,
    bool Primary = false)
{
    /// <summary>Fraction of recovered metal that is paid for, in 0..1; default 1.</summary>
    public Bindable Payability { get; init; } = Payability.Or(1);

    /// <summary>Treatment/refining charges and freight in currency per payable unit, ≥ 0; default 0.</summary>
    public Bindable SellingCostPerUnit { get; init; } = SellingCostPerUnit.Or(0);
}
