namespace CalMiner.Scenarios;

/// <summary>
/// One mining scenario: the interchange document that the CLI reads, the API imports and exports,
/// and the data library stores. Immutable; change it with <c>with</c> expressions.
/// </summary>
/// <remarks>Read one with <see cref="Load(string)"/> or <see cref="Parse(string)"/>, check one built in code with <see cref="Validate"/>.</remarks>
public sealed partial record ScenarioDocument
{
    /// <summary>The version of the document format this library reads and writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of the document format; must be <see cref="CurrentSchemaVersion"/>.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Name of the scenario, not empty.</summary>
    public required string Name { get; init; }

    /// <summary>Free-text description.</summary>
    public string? Description { get; init; }

    /// <summary>ISO 4217 code of the currency every amount is in, e.g. "USD".</summary>
    public required string Currency { get; init; }

    /// <summary>Calendar year of period 0; period <c>i</c> is labelled <c>StartYear + i</c>.</summary>
    public required int StartYear { get; init; }

    /// <summary>Number of annual periods, 1..100.</summary>
    public required int Periods { get; init; }

    /// <summary>Real annual discount rate as a fraction, e.g. 0.05, in 0..1.</summary>
    public required double DiscountRate { get; init; }

    /// <summary>When in a period its cash flow is discounted; default end of period.</summary>
    public Discounting Discounting { get; init; } = Discounting.EndOfPeriod;

    /// <summary>The products, exactly one of them primary.</summary>
    public required IReadOnlyList<Product> Products { get; init; }

    /// <summary>The mine plan: one row per period with activity.</summary>
    public required IReadOnlyList<SchedulePeriod> Schedule { get; init; }

    /// <summary>Unit operating costs.</summary>
    public OperatingCosts OperatingCosts { get; init; } = new();

    /// <summary>Consumables and their drivers.</summary>
    public IReadOnlyList<Consumable> Consumables { get; init; } = [];

    /// <summary>Equipment fleets.</summary>
    public IReadOnlyList<Equipment> Equipment { get; init; } = [];

    /// <summary>Capital items.</summary>
    public IReadOnlyList<CapitalItem> Capital { get; init; } = [];

    /// <summary>Royalties.</summary>
    public IReadOnlyList<Royalty> Royalties { get; init; } = [];

    /// <summary>Income tax; default none.</summary>
    public Tax Tax { get; init; } = new();

    /// <summary>Working capital terms; default none.</summary>
    public WorkingCapital WorkingCapital { get; init; } = new();

    /// <summary>Multipliers applied across the model; default all 1.</summary>
    public Factors Factors { get; init; } = new();

    /// <summary>Named inputs that bindable fields refer to, by name.</summary>
    public IReadOnlyDictionary<string, Parameter> Parameters { get; init; } = new Dictionary<string, Parameter>();

    /// <summary>Target rank correlations between uncertain parameters.</summary>
    public IReadOnlyList<Correlation> Correlations { get; init; } = [];

    /// <summary>Defaults for a simulation run.</summary>
    public SimulationSettings Simulation { get; init; } = new();

    /// <summary>The primary product.</summary>
    /// <exception cref="InvalidOperationException">The document does not have exactly one primary product.</exception>
    [System.Text.Json.Serialization.JsonIgnore]
    public Product PrimaryProduct => Products.Single(p => p.Primary);

    /// <inheritdoc />
    public bool Equals(ScenarioDocument? other) =>
        other is not null
        && SchemaVersion == other.SchemaVersion
        && Name == other.Name
        && Description == other.Description
        && Currency == other.Currency
        && StartYear == other.StartYear
        && Periods == other.Periods
        && DiscountRate.Equals(other.DiscountRate)
        && Discounting == other.Discounting
        && Structural.Equal(Products, other.Products)
        && Structural.Equal(Schedule, other.Schedule)
        && OperatingCosts == other.OperatingCosts
        && Structural.Equal(Consumables, other.Consumables)
        && Structural.Equal(Equipment, other.Equipment)
        && Structural.Equal(Capital, other.Capital)
        && Structural.Equal(Royalties, other.Royalties)
        && Tax == other.Tax
        && WorkingCapital == other.WorkingCapital
        && Factors == other.Factors
        && Structural.Equal(Parameters, other.Parameters)
        && Structural.Equal(Correlations, other.Correlations)
        && Simulation == other.Simulation;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Currency, StartYear, Periods, DiscountRate, Products.Count, Schedule.Count);
}
