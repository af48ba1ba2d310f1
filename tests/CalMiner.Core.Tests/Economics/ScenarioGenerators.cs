using CalMiner.Scenarios;
using FsCheck;
using FsCheck.Fluent;

namespace CalMiner.Core.Tests.Economics;

/// <summary>A valid random scenario; shown as its JSON when a property fails.</summary>
public sealed record GeneratedScenario(ScenarioDocument Document)
{
    /// <inheritdoc />
    public override string ToString() => Document.ToJson();
}

/// <summary>Random annual cash flows of 1..40 periods, of any signs.</summary>
public sealed record CashFlows(double[] Values)
{
    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}

/// <summary>Conventional cash flows: one or more outlays first, then returns (≥ 0, at least one &gt; 0).</summary>
public sealed record ConventionalCashFlows(double[] Values)
{
    /// <inheritdoc />
    public override string ToString() => new CashFlows(Values).ToString();
}

/// <summary>FsCheck arbitraries for the economic model's properties.</summary>
public static class ScenarioArbitraries
{
    /// <summary>
    /// Valid scenarios: 1..40 periods, 1..3 products, random schedule, costs, equipment, capital, royalties, tax and working
    /// capital. A failing one is reported shrunk by <see cref="ScenarioShrinker"/>.
    /// </summary>
    public static Arbitrary<GeneratedScenario> Scenarios() => Arb.From(
        ScenarioGen.Scenario.Select(d => new GeneratedScenario(d)),
        s => ScenarioShrinker.Shrink(s.Document).Select(d => new GeneratedScenario(d)));

    /// <summary>Cash flows of any signs.</summary>
    public static Arbitrary<CashFlows> Flows() => Arb.From(ScenarioGen.Flows.Select(f => new CashFlows(f)));

    /// <summary>Conventional cash flows.</summary>
    public static Arbitrary<ConventionalCashFlows> ConventionalFlows() => Arb.From(ScenarioGen.ConventionalFlows.Select(f => new ConventionalCashFlows(f)));
}

/// <summary>Generators of valid scenario documents and their parts.</summary>
internal static class ScenarioGen
{
    private const int Steps = 1_000_000;

    /// <summary>A uniform number in [min, max] on a grid of a million steps.</summary>
    public static Gen<double> Between(double min, double max) =>
        Gen.Choose(0, Steps).Select(k => k == Steps ? max : min + (max - min) * k / Steps);

    /// <summary>Zero one time in <paramref name="oneIn"/>, otherwise a number in [min, max].</summary>
    public static Gen<double> ZeroOr(double min, double max, int oneIn = 5) =>
        Gen.Frequency((1, Gen.Constant(0.0)), (oneIn - 1, Between(min, max)));

    public static Gen<T> OneOf<T>(params T[] values) => Gen.Elements(values);

    public static Gen<bool> Chance(int percent) => Gen.Choose(1, 100).Select(k => k <= percent);

    public static Gen<T[]> ArrayOf<T>(int min, int max, Func<int, Gen<T>> item) =>
        Gen.Choose(min, max).SelectMany(n => Gen.CollectToArray(Enumerable.Range(0, n), item));

    public static readonly Gen<double[]> Flows =
        ArrayOf(1, 40, _ => Gen.Frequency((1, Gen.Constant(0.0)), (6, Between(-1000, 1000)), (1, Between(-1e6, 1e6))));

    public static readonly Gen<double[]> ConventionalFlows =
        from outlays in ArrayOf(1, 4, _ => Between(-1e6, -1))
        from returns in ArrayOf(1, 36, _ => ZeroOr(1, 5e5))
        from lastPositive in Between(1, 5e5)
        select outlays.Concat(returns).Append(lastPositive).ToArray();

    private static Gen<Product> ProductGen(string name, bool primary) =>
        from gradeUnit in OneOf(GradeUnit.GramsPerTonne, GradeUnit.PartsPerMillion, GradeUnit.Percent)
        from payableUnit in OneOf(PayableUnit.TroyOunce, PayableUnit.Gram, PayableUnit.Kilogram, PayableUnit.Tonne, PayableUnit.Pound)
        from recovery in Between(0.3, 1)
        from payability in Between(0.8, 1)
        from price in Between(1, 3000)
        // Selling costs stay below the price: more metal never lowers the NSR.
        from sellingShare in ZeroOr(0, 0.3, oneIn: 3)
        select new Product(
            Name: name,
            GradeUnit: gradeUnit,
            PayableUnit: payableUnit,
            Recovery: recovery,
            Payability: payability,
            Price: price,
            SellingCostPerUnit: price * sellingShare,
            Primary: primary);

    private static Gen<SchedulePeriod?> RowGen(int period, Product[] products, bool mustOperate) =>
        from present in Chance(mustOperate ? 100 : 85)
        from oreMined in ZeroOr(1e4, 5e6)
        from waste in ZeroOr(1e4, 2e7)
        from operates in Chance(mustOperate ? 100 : 80)
        from processed in Between(1e4, 5e6)
        from grades in Gen.CollectToArray(products, p => p.GradeUnit == GradeUnit.Percent ? ZeroOr(0.01, 3) : ZeroOr(0.01, 10))
        from withGrade in Gen.CollectToArray(products, _ => Chance(90))
        select present
            ? new SchedulePeriod(
                Period: period,
                OreMined: oreMined,
                WasteMined: waste,
                OreProcessed: operates ? processed : 0,
                Grades: products.Select((p, i) => (p.Name, Grade: grades[i], Given: withGrade[i]))
                    .Where(g => g.Given).ToDictionary(g => g.Name, g => g.Grade))
            : null;

    private static Gen<Consumable> ConsumableGen(int index) =>
        from driver in OneOf(ConsumableDriver.TonneMined, ConsumableDriver.TonneProcessed, ConsumableDriver.OperatingPeriod)
        from rate in driver == ConsumableDriver.OperatingPeriod ? Between(0, 1e5) : Between(0, 2)
        from price in Between(0, 2)
        from co2e in ZeroOr(0, 3)
        select new Consumable(Name: $"C{index}", Unit: "u", Driver: driver, RatePerDriver: rate, UnitPrice: price, Co2eKgPerUnit: co2e);

    private static Gen<Equipment> EquipmentGen(int index, int periods) =>
        from count in Gen.Choose(1, 20)
        from unitCost in Between(0, 1e7)
        from purchase in Gen.Choose(0, periods - 1)
        from costPerHour in Between(0, 1000)
        from availability in Between(0.5, 1)
        from utilisation in Between(0.3, 1)
        from lifeHours in Between(2000, 100_000)
        from years in Gen.Choose(1, 15)
        from capacity in Gen.Frequency((1, Gen.Constant<double?>(null)), (1, Between(10, 5000).Select(c => (double?)c)))
        select new Equipment(
            Name: $"E{index}",
            Count: count,
            UnitCost: unitCost,
            PurchasePeriod: purchase,
            OperatingCostPerHour: costPerHour,
            Availability: availability,
            Utilisation: utilisation,
            LifeHours: lifeHours,
            DepreciationYears: years,
            CapacityTonnesPerHour: capacity);

    private static Gen<CapitalItem> CapitalGen(int index, int periods) =>
        from category in OneOf(CapitalCategory.Initial, CapitalCategory.Sustaining, CapitalCategory.Closure)
        from period in Gen.Choose(0, periods - 1)
        from amount in Between(0, 5e8)
        from contingency in ZeroOr(0, 0.3, oneIn: 2)
        from years in Gen.Choose(1, 20)
        select new CapitalItem(Name: $"K{index}", Category: category, Period: period, Amount: amount, Contingency: contingency, DepreciationYears: years);

    private static Gen<Royalty> RoyaltyGen(int index) =>
        from rate in Between(0, 0.15)
        from basis in OneOf(RoyaltyBasis.Nsr, RoyaltyBasis.GrossRevenue)
        select new Royalty(Name: $"R{index}", Rate: rate, Basis: basis);

    private static readonly Gen<Factors> FactorsGen =
        from grade in Gen.Frequency((1, Gen.Constant(1.0)), (1, Between(0.7, 1.3)))
        from throughput in Gen.Frequency((1, Gen.Constant(1.0)), (1, Between(0.7, 1.3)))
        from operatingCost in Gen.Frequency((1, Gen.Constant(1.0)), (1, Between(0.7, 1.3)))
        from initialCapital in Gen.Frequency((1, Gen.Constant(1.0)), (1, Between(0.7, 1.5)))
        from sustainingCapital in Gen.Frequency((1, Gen.Constant(1.0)), (1, Between(0.7, 1.5)))
        select new Factors(
            Grade: grade,
            Throughput: throughput,
            OperatingCost: operatingCost,
            InitialCapital: initialCapital,
            SustainingCapital: sustainingCapital);

    public static readonly Gen<ScenarioDocument> Scenario =
        from periods in Gen.Choose(1, 40)
        from productCount in Gen.Choose(1, 3)
        from primaryIndex in Gen.Choose(0, productCount - 1)
        from products in Gen.CollectToArray(Enumerable.Range(0, productCount), i => ProductGen($"P{i}", i == primaryIndex))
        from anchor in Gen.Choose(0, periods - 1)
        from rows in Gen.CollectToArray(Enumerable.Range(0, periods), i => RowGen(i, products, i == anchor))
        from mining in Between(0, 5)
        from processing in Between(0, 30)
        from ga in ZeroOr(0, 2e7)
        from carbonPrice in ZeroOr(0, 100, oneIn: 2)
        from consumables in ArrayOf(0, 3, ConsumableGen)
        from equipment in ArrayOf(0, 3, i => EquipmentGen(i, periods))
        from capital in ArrayOf(0, 6, i => CapitalGen(i, periods))
        from royalties in ArrayOf(0, 2, RoyaltyGen)
        from taxRate in ZeroOr(0, 0.45)
        from carryForward in Chance(70)
        from receivableDays in ZeroOr(0, 90, oneIn: 3)
        from payableDays in ZeroOr(0, 90, oneIn: 3)
        from factors in FactorsGen
        from discountRate in Between(0, 0.25)
        from discounting in OneOf(Discounting.EndOfPeriod, Discounting.MidPeriod)
        from bindPrice in Chance(30)
        from bindGradeFactor in Chance(20)
        from startYear in Gen.Choose(2000, 2100)
        select Bind(
            new ScenarioDocument(
                Name: "Generated",
                Description: "A random valid scenario",
                Currency: "USD",
                StartYear: startYear,
                Periods: periods,
                DiscountRate: discountRate,
                Discounting: discounting,
                Products: products,
                Schedule: rows.OfType<SchedulePeriod>().ToArray(),
                OperatingCosts: new OperatingCosts(
                    MiningPerTonne: mining,
                    ProcessingPerTonne: processing,
                    GeneralAndAdminPerPeriod: ga,
                    CarbonPricePerTonne: carbonPrice),
                Consumables: consumables,
                Equipment: equipment,
                Capital: capital,
                Royalties: royalties,
                Tax: new Tax(Rate: taxRate, LossCarryForward: carryForward),
                WorkingCapital: new WorkingCapital(ReceivableDays: receivableDays, PayableDays: payableDays),
                Factors: factors),
            bindPrice,
            bindGradeFactor);

    // Binds the primary price and the grade factor to uncertain parameters, with their base case at the generated value.
    private static ScenarioDocument Bind(ScenarioDocument d, bool price, bool gradeFactor)
    {
        var parameters = new Dictionary<string, Parameter>();
        var products = d.Products.ToArray();
        if (price)
        {
            var i = Array.FindIndex(products, p => p.Primary);
            var value = products[i].Price.Number;
            parameters["primaryPrice"] = new Parameter(
                Value: value,
                Unit: "USD/unit",
                Distribution: new Distribution { Type = DistributionType.Normal, Mean = value, Sd = value / 10, Truncate = new Truncation { Min = 0, Max = 3 * value } });
            products[i] = products[i] with { Price = Bindable.Of("primaryPrice") };
        }

        var factors = d.Factors;
        if (gradeFactor)
        {
            parameters["gradeFactor"] = new Parameter(
                Value: factors.Grade.Number,
                Distribution: new Distribution { Type = DistributionType.Triangular, Min = 0.6, Mode = 1, Max = 1.4 });
            factors = factors with { Grade = Bindable.Of("gradeFactor") };
        }

        return d with { Products = products, Factors = factors, Parameters = parameters };
    }

    /// <summary>The value of an input: its number, or its parameter's base-case value.</summary>
    public static double Resolve(this ScenarioDocument d, Bindable input) =>
        input.IsParameter ? d.Parameters[input.Parameter].Value : input.Number;
}
