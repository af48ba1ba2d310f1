using System.Text.Json.Serialization;

namespace CalMiner.Scenarios;

/// <summary>
/// One mining scenario: the interchange document that the CLI reads, the API imports and exports,
/// and the data library stores. Immutable; change it with <c>with</c> expressions.
/// </summary>
/// <remarks>Read one with <see cref="Load(string)"/> or <see cref="Parse(string)"/>; check one built in code with <see cref="Validate"/>.</remarks>
/// <param name="Name">Name of the scenario, not empty.</param>
/// <param name="Currency">ISO 4217 code of the currency every amount is in, e.g. "USD".</param>
/// <param name="StartYear">Calendar year of period 0; period <c>i</c> is labelled <c>StartYear + i</c>.</param>
/// <param name="Periods">Number of annual periods, 1..100.</param>
/// <param name="DiscountRate">Real annual discount rate as a fraction, e.g. 0.05, in 0..1.</param>
/// <param name="Products">The products, exactly one of them primary.</param>
/// <param name="Schedule">The mine plan: one row per period with activity.</param>
/// <param name="Description">Free-text description.</param>
/// <param name="Discounting">When in a period its cash flow is discounted; default end of period.</param>
/// <param name="OperatingCosts">Unit operating costs; default none.</param>
/// <param name="Consumables">Consumables and their drivers.</param>
/// <param name="Equipment">Equipment fleets.</param>
/// <param name="Capital">Capital items.</param>
/// <param name="Royalties">Royalties.</param>
/// <param name="Tax">Income tax; default none.</param>
/// <param name="WorkingCapital">Working capital terms; default none.</param>
/// <param name="Factors">Multipliers applied across the model; default all 1.</param>
/// <param name="Parameters">Named inputs that bindable fields refer to, by name.</param>
/// <param name="Correlations">Target rank correlations between uncertain parameters.</param>
/// <param name="Simulation">Defaults for a simulation run.</param>
/// <param name="SchemaVersion">Version of the document format; must be <see cref="CurrentSchemaVersion"/>.</param>
public sealed partial record ScenarioDocument(
    string Name,
    string Currency,
    int StartYear,
    int Periods,
    double DiscountRate,
    IReadOnlyList<Product> Products,
    IReadOnlyList<SchedulePeriod> Schedule,
    string? Description = null,
    Discounting Discounting = Discounting.EndOfPeriod,
    OperatingCosts? OperatingCosts = null,
    IReadOnlyList<Consumable>? Consumables = null,
    IReadOnlyList<Equipment>? Equipment = null,
    IReadOnlyList<CapitalItem>? Capital = null,
    IReadOnlyList<Royalty>? Royalties = null,
    Tax? Tax = null,
    WorkingCapital? WorkingCapital = null,
    Factors? Factors = null,
    IReadOnlyDictionary<string, Parameter>? Parameters = null,
    IReadOnlyList<Correlation>? Correlations = null,
    SimulationSettings? Simulation = null,
    int SchemaVersion = ScenarioDocument.CurrentSchemaVersion)
{
    /// <summary>The version of the document format this library reads and writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of the document format; must be <see cref="CurrentSchemaVersion"/>.</summary>
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; init; } = SchemaVersion;

    /// <summary>Unit operating costs; default none.</summary>
    public OperatingCosts OperatingCosts { get; init; } = OperatingCosts ?? new();

    /// <summary>Consumables and their drivers.</summary>
    public IReadOnlyList<Consumable> Consumables { get; init; } = Consumables ?? [];

    /// <summary>Equipment fleets.</summary>
    public IReadOnlyList<Equipment> Equipment { get; init; } = Equipment ?? [];

    /// <summary>Capital items.</summary>
    public IReadOnlyList<CapitalItem> Capital { get; init; } = Capital ?? [];

    /// <summary>Royalties.</summary>
    public IReadOnlyList<Royalty> Royalties { get; init; } = Royalties ?? [];

    /// <summary>Income tax; default none.</summary>
    public Tax Tax { get; init; } = Tax ?? new();

    /// <summary>Working capital terms; default none.</summary>
    public WorkingCapital WorkingCapital { get; init; } = WorkingCapital ?? new();

    /// <summary>Multipliers applied across the model; default all 1.</summary>
    public Factors Factors { get; init; } = Factors ?? new();

    /// <summary>Named inputs that bindable fields refer to, by name.</summary>
    public IReadOnlyDictionary<string, Parameter> Parameters { get; init; } = Parameters ?? new Dictionary<string, Parameter>();

    /// <summary>Target rank correlations between uncertain parameters.</summary>
    public IReadOnlyList<Correlation> Correlations { get; init; } = Correlations ?? [];

    /// <summary>Defaults for a simulation run.</summary>
    public SimulationSettings Simulation { get; init; } = Simulation ?? new();

    /// <summary>The primary product.</summary>
    /// <exception cref="InvalidOperationException">The document does not have exactly one primary product.</exception>
    [JsonIgnore]
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
