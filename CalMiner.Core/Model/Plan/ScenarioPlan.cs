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

    private ScenarioPlan(ScenarioDocument document, string[] parameterNames, SchedulePlan schedule, CostPlan costs, EquipmentPlan equipment, FinancePlan finance)
    {
        Document = document;
        ParameterNames = parameterNames;
        BaseValues = [.. document.Parameters.Values.Select(p => p.Value)];
        (Schedule, Costs, Equipment, Finance) = (schedule, costs, equipment, finance);
    }

    public ScenarioDocument Document { get; }

    public string[] ParameterNames { get; }

    public double[] BaseValues { get; }

    /// <summary>The compiled parts, each made by its own step; the members below read them.</summary>
    public SchedulePlan Schedule { get; }

    public CostPlan Costs { get; }

    public EquipmentPlan Equipment { get; }

    public FinancePlan Finance { get; }

    public int Periods => Schedule.Periods;

    public int FirstOperatingPeriod => Schedule.FirstOperatingPeriod;

    public double[] OreMined => Schedule.OreMined;

    public double[] WasteMined => Schedule.WasteMined;

    public double[] OreProcessed => Schedule.OreProcessed;

    public bool[] Operating => Schedule.Operating;

    public ProductPlan[] Products => Schedule.Products;

    public int PrimaryIndex => Schedule.PrimaryIndex;

    public Slot MiningPerTonne => Costs.MiningPerTonne;

    public Slot ProcessingPerTonne => Costs.ProcessingPerTonne;

    public Slot GeneralAndAdmin => Costs.GeneralAndAdmin;

    public Slot CarbonPrice => Costs.CarbonPrice;

    public ConsumablePlan[] Consumables => Costs.Consumables;

    public FleetPlan[] Fleets => Equipment.Fleets;

    /// <inheritdoc cref="EquipmentPlan.Initial"/>
    public double[] EquipmentInitial => Equipment.Initial;

    /// <inheritdoc cref="EquipmentPlan.Sustaining"/>
    public double[] EquipmentSustaining => Equipment.Sustaining;

    /// <inheritdoc cref="EquipmentPlan.InitialDepreciation"/>
    public double[] EquipmentInitialDepreciation => Equipment.InitialDepreciation;

    /// <inheritdoc cref="EquipmentPlan.SustainingDepreciation"/>
    public double[] EquipmentSustainingDepreciation => Equipment.SustainingDepreciation;

    public CapitalPlan[] Capital => Finance.Capital;

    public RoyaltyPlan[] Royalties => Finance.Royalties;

    public Slot TaxRate => Finance.TaxRate;

    public bool LossCarryForward => Finance.LossCarryForward;

    public double ReceivableFraction => Finance.ReceivableFraction;

    public double PayableFraction => Finance.PayableFraction;

    public Slot GradeFactor => Finance.GradeFactor;

    public Slot ThroughputFactor => Finance.ThroughputFactor;

    public Slot OperatingCostFactor => Finance.OperatingCostFactor;

    public Slot InitialCapitalFactor => Finance.InitialCapitalFactor;

    public Slot SustainingCapitalFactor => Finance.SustainingCapitalFactor;

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
            ThrowHelper.ThrowInvalidScenario(errors);
        }

        // Each step is a function of the document; equipment and finance also take the schedule, which they depreciate over.
        string[] names = [.. document.Parameters.Keys];
        var slots = new SlotBinder(names);
        var schedule = SchedulePlan.Compile(document, slots);
        return new ScenarioPlan(document, names, schedule, CostPlan.Compile(document, slots), EquipmentPlan.Compile(document, schedule, slots), FinancePlan.Compile(document, schedule, slots));
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
            _ => ThrowHelper.ThrowArgumentOutOfRange<double>(nameof(payable), payable, "payable must be a defined PayableUnit."),
        };
    }
}
