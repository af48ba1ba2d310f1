using CalMiner.Scenarios;
using static CalMiner.Core.Tests.Economics.TestScenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>Contained, recovered and payable metal, revenue, NSR and royalties, computed by hand.</summary>
public sealed class ProductionAndRevenueTests
{
    [Theory]
    // 1000 t x 31.1034768 g/t = 31 103.4768 g = 1000 troy oz.
    [InlineData(GradeUnit.GramsPerTonne, PayableUnit.TroyOunce, 1000, 31.1034768, 1000)]
    [InlineData(GradeUnit.GramsPerTonne, PayableUnit.Gram, 1000, 2.5, 2500)]
    [InlineData(GradeUnit.GramsPerTonne, PayableUnit.Kilogram, 2000, 5, 10)]
    // 1 t x 1 000 000 g/t = 1 t of metal.
    [InlineData(GradeUnit.GramsPerTonne, PayableUnit.Tonne, 1_000_000, 2, 2)]
    // 1000 t x 453.59237 g/t = 453 592.37 g = 0.45359237 t = 1000 lb (1 t = 2204.62262185 lb).
    [InlineData(GradeUnit.GramsPerTonne, PayableUnit.Pound, 1000, 453.59237, 1000)]
    // ppm is g/t.
    [InlineData(GradeUnit.PartsPerMillion, PayableUnit.Gram, 2000, 5, 10_000)]
    [InlineData(GradeUnit.PartsPerMillion, PayableUnit.Kilogram, 4000, 250, 1000)]
    [InlineData(GradeUnit.PartsPerMillion, PayableUnit.TroyOunce, 1000, 31.1034768, 1000)]
    // 10 000 t x 1.5 % = 150 t of metal = 330 693.3932775 lb.
    [InlineData(GradeUnit.Percent, PayableUnit.Tonne, 10_000, 1.5, 150)]
    [InlineData(GradeUnit.Percent, PayableUnit.Pound, 10_000, 1.5, 330_693.3932775)]
    // 500 t x 0.2 % = 1 t = 1000 kg.
    [InlineData(GradeUnit.Percent, PayableUnit.Kilogram, 500, 0.2, 1000)]
    // 1000 t x 0.01 % = 0.1 t = 100 000 g = 3215.0746568628 oz.
    [InlineData(GradeUnit.Percent, PayableUnit.TroyOunce, 1000, 0.01, 3215.0746568628)]
    public void Contained_ConvertsTheGradeToThePayableUnit(GradeUnit gradeUnit, PayableUnit payableUnit, double tonnes, double grade, double expected)
    {
        var scenario = Create(1, new SchedulePeriod(Period: 0, OreProcessed: tonnes, Grades: new Dictionary<string, double> { ["M"] = grade })) with
        {
            Products = [new Product(Name: "M", GradeUnit: gradeUnit, PayableUnit: payableUnit, Recovery: 1.0, Price: 1.0, Primary: true)],
        };

        var product = Evaluate(scenario).Periods[0].Products[0];

        Near.Equal(expected, product.Contained);
        Near.Equal(expected, product.Payable);
    }

    [Fact]
    public void Payable_IsContainedTimesRecoveryTimesPayability_AndNsrDeductsTheSellingCost()
    {
        // 1000 oz contained; recovered 1000 x 0.9 = 900; payable 900 x 0.95 = 855;
        // gross 855 x 2000 = 1 710 000; selling 855 x 10 = 8550; NSR 1 701 450.
        var scenario = Create(1, Ounces(0, 1000)) with
        {
            Products = [Gold(2000) with { Recovery = 0.9, Payability = 0.95, SellingCostPerUnit = 10.0 }],
        };

        var period = Evaluate(scenario).Periods[0];
        var gold = period.Products[0];

        Near.Equal(1000, gold.Contained);
        Near.Equal(900, gold.Recovered);
        Near.Equal(855, gold.Payable);
        Near.Equal(1_710_000, gold.GrossRevenue);
        Near.Equal(8550, gold.SellingCosts);
        Near.Equal(1_701_450, gold.Nsr);
        Near.Equal(855, period.PrimaryPayable);
        Near.Equal(1_710_000, period.GrossRevenue);
        Near.Equal(8550, period.SellingCosts);
        Near.Equal(1_701_450, period.Nsr);
    }

    [Fact]
    public void Revenue_AddsEveryProduct_AndPrimaryPayableCountsOnlyThePrimary()
    {
        // 10 000 t at 1.5 % Cu: 330 693.3932775 lb contained x 0.8 x 0.965 = 255 295.29961023 lb payable;
        // at 4.10 $/lb gross 1 046 710.72840194, less 0.25 $/lb TC/RC: NSR 982 886.90349939.
        // Au by-product 0.311034768 g/t: 100 oz contained x 0.7 = 70 oz; gross 70 x 2000 = 140 000; NSR 70 x 1990 = 139 300.
        var scenario = Create(1, new SchedulePeriod(
            Period: 0,
            OreProcessed: 10_000,
            Grades: new Dictionary<string, double> { ["Cu"] = 1.5, ["Au"] = 0.311034768 })) with
        {
            Products =
            [
                new Product(
                    Name: "Cu", GradeUnit: GradeUnit.Percent, PayableUnit: PayableUnit.Pound, Recovery: 0.8, Payability: 0.965,
                    Price: 4.10, SellingCostPerUnit: 0.25, Primary: true),
                Gold(2000) with { Recovery = 0.7, SellingCostPerUnit = 10.0, Primary = false },
            ],
        };

        var period = Evaluate(scenario).Periods[0];

        Near.Equal(255_295.29961023, period.Products[0].Payable);
        Near.Equal(70, period.Products[1].Payable);
        Near.Equal(255_295.29961023, period.PrimaryPayable);
        Near.Equal(1_046_710.72840194 + 140_000, period.GrossRevenue);
        Near.Equal(982_886.90349939 + 139_300, period.Nsr);
    }

    [Fact]
    public void Grade_IsZero_ForAProductMissingFromTheSchedulesGrades()
    {
        var scenario = Create(1, Ounces(0, 1000)) with
        {
            Products = [Gold(2000), Gold(20) with { Name = "Ag", Primary = false }],
        };

        var period = Evaluate(scenario).Periods[0];

        Assert.Equal(0, period.Products[1].Contained);
        Near.Equal(2_000_000, period.GrossRevenue);
    }

    [Fact]
    public void Royalty_OnNsr_IsTheRateTimesTheNsr()
    {
        // 1000 oz at 2000 $/oz less 50 $/oz: gross 2 000 000, NSR 1 950 000; 3 % of NSR = 58 500.
        var scenario = Create(1, Ounces(0, 1000)) with
        {
            Products = [Gold(2000) with { SellingCostPerUnit = 50.0 }],
            Royalties = [new Royalty(Name: "State", Rate: 0.03)],
        };

        Near.Equal(58_500, Evaluate(scenario).Periods[0].Royalties);
    }

    [Fact]
    public void Royalty_OnGrossRevenue_IsTheRateTimesTheGrossRevenue()
    {
        // 2 % of 2 000 000 = 40 000, although the NSR is 1 950 000.
        var scenario = Create(1, Ounces(0, 1000)) with
        {
            Products = [Gold(2000) with { SellingCostPerUnit = 50.0 }],
            Royalties = [new Royalty(Name: "Streaming", Rate: 0.02, Basis: RoyaltyBasis.GrossRevenue)],
        };

        Near.Equal(40_000, Evaluate(scenario).Periods[0].Royalties);
    }

    [Fact]
    public void Royalties_OnBothBases_AddUp_AndReduceEbitda()
    {
        // 58 500 + 40 000 = 98 500; EBITDA = 1 950 000 - 98 500.
        var scenario = Create(1, Ounces(0, 1000)) with
        {
            Products = [Gold(2000) with { SellingCostPerUnit = 50.0 }],
            Royalties =
            [
                new Royalty(Name: "State", Rate: 0.03, Basis: RoyaltyBasis.Nsr),
                new Royalty(Name: "Streaming", Rate: 0.02, Basis: RoyaltyBasis.GrossRevenue),
            ],
        };

        var period = Evaluate(scenario).Periods[0];

        Near.Equal(98_500, period.Royalties);
        Near.Equal(1_851_500, period.Ebitda);
    }

    [Fact]
    public void GradeFactor_MultipliesEveryGrade()
    {
        // 1000 oz x 1.1 = 1100 oz of gold; 20 000 oz x 1.1 = 22 000 oz of silver.
        var scenario = Create(1, new SchedulePeriod(
            Period: 0,
            OreProcessed: 1000,
            Grades: new Dictionary<string, double> { ["Au"] = GramsPerTroyOunce, ["Ag"] = 20 * GramsPerTroyOunce })) with
        {
            Products = [Gold(2000), Gold(20) with { Name = "Ag", Primary = false }],
            Factors = new Factors(Grade: 1.1),
        };

        var period = Evaluate(scenario).Periods[0];

        Near.Equal(1100, period.Products[0].Contained);
        Near.Equal(22_000, period.Products[1].Contained);
        Near.Equal(1100 * 2000 + 22_000 * 20, period.GrossRevenue);
    }

    [Fact]
    public void ThroughputFactor_MultipliesOreMinedAndProcessed_NotWaste()
    {
        // Ore mined 1000 x 1.2 = 1200, processed 1000 x 1.2 = 1200 t at 1 oz/t = 1200 oz, waste stays 3000.
        // Mining (1200 + 3000) x 2 = 8400; processing 1200 x 10 = 12 000.
        var scenario = Create(1, Ounces(0, 1000, wasteMined: 3000) with { OreMined = 1000 }) with
        {
            OperatingCosts = new OperatingCosts(MiningPerTonne: 2.0, ProcessingPerTonne: 10.0),
            Factors = new Factors(Throughput: 1.2),
        };

        var period = Evaluate(scenario).Periods[0];

        Near.Equal(1200, period.OreMined);
        Near.Equal(3000, period.WasteMined);
        Near.Equal(1200, period.OreProcessed);
        Near.Equal(1200, period.PrimaryPayable);
        Near.Equal(8400, period.MiningCost);
        Near.Equal(12_000, period.ProcessingCost);
    }
}
