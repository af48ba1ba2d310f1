namespace CalMiner.Scenarios;

/// <summary>A saleable product: a metal recovered from the processed ore.</summary>
public sealed record Product
{
    /// <summary>Name, unique in the scenario; the key of the schedule's grades.</summary>
    public required string Name { get; init; }

    /// <summary>The unit of this product's grades in the schedule.</summary>
    public required GradeUnit GradeUnit { get; init; }

    /// <summary>The unit the product is sold and priced in.</summary>
    public required PayableUnit PayableUnit { get; init; }

    /// <summary>Metallurgical recovery, a fraction in 0..1.</summary>
    public required Bindable Recovery { get; init; }

    /// <summary>Fraction of recovered metal that is paid for, in 0..1; default 1.</summary>
    public Bindable Payability { get; init; } = 1.0;

    /// <summary>Price in scenario currency per payable unit, ≥ 0.</summary>
    public required Bindable Price { get; init; }

    /// <summary>Treatment/refining charges and freight in currency per payable unit, ≥ 0; default 0.</summary>
    public Bindable SellingCostPerUnit { get; init; }

    /// <summary>Whether this is the primary product, the one unit costs are expressed per. Exactly one is.</summary>
    public bool Primary { get; init; }
}
