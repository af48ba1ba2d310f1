using System.Runtime.CompilerServices;
using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>
/// A validated scenario compiled for evaluation: the schedule as per-period arrays, the equipment
/// replacement and depreciation schedules worked out once (they do not depend on any parameter),
/// and every bindable input as a <see cref="Slot"/> into a vector of parameter values. The scalar
/// model and the simulation engine both evaluate from this one plan.
/// </summary>
internal sealed class ScenarioPlan
{
    public const double HoursPerYear = 8760;
    public const double GramsPerTroyOunce = 31.1034768;
    public const double PoundsPerTonne = 2204.62262185;

    /// <summary>The largest magnitude of a parameter value, as the document rules allow for every amount.</summary>
    public const double MaxParameterMagnitude = 1e15;

    private ScenarioPlan(ScenarioDocument document)
    {
        Document = document;
        Periods = document.Periods;
        ParameterNames = [.. document.Parameters.Keys];
        BaseValues = [.. document.Parameters.Values.Select(p => p.Value)];
    }

    public ScenarioDocument Document { get; }

    public int Periods { get; }

    public string[] ParameterNames { get; }

    public double[] BaseValues { get; }

    public int FirstOperatingPeriod { get; private set; } = -1;

    public double[] OreMined { get; private set; } = [];

    public double[] WasteMined { get; private set; } = [];

    public double[] OreProcessed { get; private set; } = [];

    public bool[] Operating { get; private set; } = [];

    public ProductPlan[] Products { get; private set; } = [];

    public int PrimaryIndex { get; private set; }

    public Slot MiningPerTonne { get; private set; }

    public Slot ProcessingPerTonne { get; private set; }

    public Slot GeneralAndAdmin { get; private set; }

    public Slot CarbonPrice { get; private set; }

    public ConsumablePlan[] Consumables { get; private set; } = [];

    public FleetPlan[] Fleets { get; private set; } = [];

    /// <summary>Equipment bought before production, per period, before the initial-capital factor.</summary>
    public double[] EquipmentInitial { get; private set; } = [];

    /// <summary>Equipment bought or replaced during production, per period, before the sustaining-capital factor.</summary>
    public double[] EquipmentSustaining { get; private set; } = [];

    /// <summary>Depreciation of <see cref="EquipmentInitial"/>, per period, before the factor.</summary>
    public double[] EquipmentInitialDepreciation { get; private set; } = [];

    /// <summary>Depreciation of <see cref="EquipmentSustaining"/>, per period, before the factor.</summary>
    public double[] EquipmentSustainingDepreciation { get; private set; } = [];

    public CapitalPlan[] Capital { get; private set; } = [];

    public RoyaltyPlan[] Royalties { get; private set; } = [];

    public Slot TaxRate { get; private set; }

    public bool LossCarryForward { get; private set; }

    public double ReceivableFraction { get; private set; }

    public double PayableFraction { get; private set; }

    public Slot GradeFactor { get; private set; }

    public Slot ThroughputFactor { get; private set; }

    public Slot OperatingCostFactor { get; private set; }

    public Slot InitialCapitalFactor { get; private set; }

    public Slot SustainingCapitalFactor { get; private set; }

    // Documents are immutable, so a document validated and compiled once need not be again; the table
    // holds the plan only as long as the document is alive.
    private static readonly ConditionalWeakTable<ScenarioDocument, ScenarioPlan> Plans = new();

    /// <summary>The plan of <paramref name="document"/>, compiled on first use.</summary>
    /// <exception cref="InvalidScenarioException">The document breaks the rules of the format.</exception>
    public static ScenarioPlan For(ScenarioDocument document) =>
        Plans.TryGetValue(document, out var plan) ? plan : Plans.GetValue(document, Compile);

    /// <summary>Validates <paramref name="document"/> and compiles it.</summary>
    /// <exception cref="InvalidScenarioException">The document breaks the rules of the format.</exception>
    public static ScenarioPlan Compile(ScenarioDocument document)
    {
        var errors = document.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidScenarioException(errors);
        }

        var plan = new ScenarioPlan(document);
        plan.CompileSchedule();
        plan.CompileCosts();
        plan.CompileEquipment();
        plan.CompileFinance();
        return plan;
    }

    /// <summary>The base-case parameter values with <paramref name="overrides"/> applied.</summary>
    public double[] ParameterValues(IReadOnlyDictionary<string, double>? overrides)
    {
        var values = (double[])BaseValues.Clone();
        if (overrides is null)
        {
            return values;
        }

        foreach (var (name, value) in overrides)
        {
            var index = Array.IndexOf(ParameterNames, name);
            if (index < 0)
            {
                ThrowHelper.ThrowArgument(nameof(overrides), $"\"{name}\" is not a parameter of the scenario.");
            }

            if (!(Math.Abs(value) <= MaxParameterMagnitude))
            {
                ThrowHelper.ThrowArgument(nameof(overrides), $"The value of \"{name}\" must be a finite number within ±1e15.");
            }

            values[index] = value;
        }

        return values;
    }

    /// <summary>The straight-line depreciation of one unit of capital spent in <paramref name="spendPeriod"/>, per period.</summary>
    /// <remarks>It starts at the later of the spend and the first operating period; what is left at the last period is deducted then.</remarks>
    public double[] DepreciationShape(int spendPeriod, int years)
    {
        var shape = new double[Periods];
        var start = FirstOperatingPeriod >= 0 ? Math.Max(spendPeriod, FirstOperatingPeriod) : spendPeriod;
        for (var k = 0; k < years; k++)
        {
            var period = start + k;
            if (period >= Periods - 1)
            {
                shape[Periods - 1] += (years - k) / (double)years;
                break;
            }

            shape[period] += 1.0 / years;
        }

        return shape;
    }

    private Slot Bind(Bindable input) =>
        input.IsParameter ? new Slot(Array.IndexOf(ParameterNames, input.Parameter), 0) : new Slot(-1, input.Number);

    private void CompileSchedule()
    {
        OreMined = new double[Periods];
        WasteMined = new double[Periods];
        OreProcessed = new double[Periods];
        Operating = new bool[Periods];
        var products = Document.Products;
        var grades = new double[products.Count][];
        for (var k = 0; k < products.Count; k++)
        {
            grades[k] = new double[Periods];
        }

        foreach (var row in Document.Schedule)
        {
            OreMined[row.Period] = row.OreMined;
            WasteMined[row.Period] = row.WasteMined;
            OreProcessed[row.Period] = row.OreProcessed;
            Operating[row.Period] = row.OreProcessed > 0;
            for (var k = 0; k < products.Count; k++)
            {
                grades[k][row.Period] = row.Grades.TryGetValue(products[k].Name, out var grade) ? grade : 0;
            }
        }

        FirstOperatingPeriod = Array.IndexOf(Operating, true);
        Products = new ProductPlan[products.Count];
        for (var k = 0; k < products.Count; k++)
        {
            var product = products[k];
            Products[k] = new ProductPlan(
                product.Name,
                grades[k],
                PayableUnitsPerTonneGrade(product.GradeUnit, product.PayableUnit),
                Bind(product.Recovery),
                Bind(product.Payability),
                Bind(product.Price),
                Bind(product.SellingCostPerUnit));
            if (product.Primary)
            {
                PrimaryIndex = k;
            }
        }
    }

    private void CompileCosts()
    {
        var costs = Document.OperatingCosts;
        MiningPerTonne = Bind(costs.MiningPerTonne);
        ProcessingPerTonne = Bind(costs.ProcessingPerTonne);
        GeneralAndAdmin = Bind(costs.GeneralAndAdminPerPeriod);
        CarbonPrice = Bind(costs.CarbonPricePerTonne);
        Consumables = [.. Document.Consumables.Select(c => new ConsumablePlan(c.Driver, Bind(c.RatePerDriver), Bind(c.UnitPrice), c.Co2eKgPerUnit / 1000))];
    }

    private void CompileEquipment()
    {
        EquipmentInitial = new double[Periods];
        EquipmentSustaining = new double[Periods];
        EquipmentInitialDepreciation = new double[Periods];
        EquipmentSustainingDepreciation = new double[Periods];
        var fleets = new List<FleetPlan>();
        foreach (var equipment in Document.Equipment)
        {
            var cost = equipment.Count * equipment.UnitCost;
            var hoursPerPeriod = HoursPerYear * equipment.Availability * equipment.Utilisation;
            var initial = FirstOperatingPeriod < 0 || equipment.PurchasePeriod < FirstOperatingPeriod;
            Spend(equipment.PurchasePeriod, initial);

            // A fleet is replaced in the operating period in which its hours per unit would pass its life;
            // the new fleet's hours start from zero in that period. A new fleet is never replaced before it works.
            var hours = 0.0;
            for (var t = equipment.PurchasePeriod; t < Periods; t++)
            {
                if (!Operating[t])
                {
                    continue;
                }

                if (hours > 0 && hours + hoursPerPeriod > equipment.LifeHours)
                {
                    Spend(t, initial: false);
                    hours = 0;
                }

                hours += hoursPerPeriod;
            }

            fleets.Add(new FleetPlan(equipment.Count, equipment.PurchasePeriod, hoursPerPeriod, Bind(equipment.OperatingCostPerHour)));

            void Spend(int period, bool initial)
            {
                var (spend, depreciation) = initial
                    ? (EquipmentInitial, EquipmentInitialDepreciation)
                    : (EquipmentSustaining, EquipmentSustainingDepreciation);
                spend[period] += cost;
                var shape = DepreciationShape(period, equipment.DepreciationYears);
                for (var t = 0; t < Periods; t++)
                {
                    depreciation[t] += cost * shape[t];
                }
            }
        }

        Fleets = [.. fleets];
    }

    private void CompileFinance()
    {
        Capital = [.. Document.Capital.Select(c => new CapitalPlan(
            c.Category,
            c.Period,
            Bind(c.Amount),
            1 + c.Contingency,
            c.Category == CapitalCategory.Closure ? new double[Periods] : DepreciationShape(c.Period, c.DepreciationYears)))];
        Royalties = [.. Document.Royalties.Select(r => new RoyaltyPlan(Bind(r.Rate), r.Basis))];
        TaxRate = Bind(Document.Tax.Rate);
        LossCarryForward = Document.Tax.LossCarryForward;
        ReceivableFraction = Document.WorkingCapital.ReceivableDays / 365;
        PayableFraction = Document.WorkingCapital.PayableDays / 365;
        var factors = Document.Factors;
        GradeFactor = Bind(factors.Grade);
        ThroughputFactor = Bind(factors.Throughput);
        OperatingCostFactor = Bind(factors.OperatingCost);
        InitialCapitalFactor = Bind(factors.InitialCapital);
        SustainingCapitalFactor = Bind(factors.SustainingCapital);
    }

    /// <summary>Payable units of metal in one tonne of ore at grade 1.</summary>
    internal static double PayableUnitsPerTonneGrade(GradeUnit grade, PayableUnit payable)
    {
        // Grams per tonne and ppm give grams of metal; percent gives tonnes of metal (t × % / 100).
        var grams = grade == GradeUnit.Percent ? 1e6 / 100 : 1;
        return payable switch
        {
            PayableUnit.TroyOunce => grams / GramsPerTroyOunce,
            PayableUnit.Gram => grams,
            PayableUnit.Kilogram => grams / 1e3,
            PayableUnit.Tonne => grams / 1e6,
            PayableUnit.Pound => grams / 1e6 * PoundsPerTonne,
            _ => throw new ArgumentOutOfRangeException(nameof(payable)),
        };
    }
}

/// <summary>A bindable input: the value of parameter <see cref="Parameter"/>, or <see cref="Constant"/> when that is −1.</summary>
internal readonly record struct Slot(int Parameter, double Constant)
{
    public double Value(ReadOnlySpan<double> parameters) => Parameter >= 0 ? parameters[Parameter] : Constant;
}

internal sealed record ProductPlan(string Name, double[] Grade, double PayableUnitsPerTonneGrade, Slot Recovery, Slot Payability, Slot Price, Slot SellingCost);

internal sealed record ConsumablePlan(ConsumableDriver Driver, Slot Rate, Slot Price, double Co2eTonnesPerUnit);

internal sealed record FleetPlan(int Count, int PurchasePeriod, double HoursPerPeriod, Slot CostPerHour);

/// <summary>A capital item; <see cref="Depreciation"/> is the share of its amount deducted in each period.</summary>
internal sealed record CapitalPlan(CapitalCategory Category, int Period, Slot Amount, double WithContingency, double[] Depreciation);

internal sealed record RoyaltyPlan(Slot Rate, RoyaltyBasis Basis);
