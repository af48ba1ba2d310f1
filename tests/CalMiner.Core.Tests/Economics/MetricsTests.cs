using CalMiner.Economics;
using CalMiner.Scenarios;
using static CalMiner.Core.Tests.Economics.TestScenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>Value metrics of small scenarios: discounting, IRR, payback, peak funding, C1, AISC, breakeven, computed by hand.</summary>
public sealed class MetricsTests
{
    // After-tax flows -1000, 1210: initial capital in period 0, 1210 oz sold at 1 $/oz in period 1, no tax.
    private static ScenarioDocument BuildThenSell() =>
        Create(2, Ounces(1, 1210)) with
        {
            Capital = [new CapitalItem(Name: "Plant", Category: CapitalCategory.Initial, Period: 0, Amount: 1000.0)],
        };

    // After-tax flows -1000, 600, 600, -100 (closure): no tax.
    private static ScenarioDocument WithClosure() =>
        Create(4, Ounces(1, 600), Ounces(2, 600)) with
        {
            Capital =
            [
                new CapitalItem(Name: "Plant", Category: CapitalCategory.Initial, Period: 0, Amount: 1000.0),
                new CapitalItem(Name: "Closure", Category: CapitalCategory.Closure, Period: 3, Amount: 100.0),
            ],
        };

    [Fact]
    public void Npv_DiscountsEachPeriodFromItsEnd_ByDefault()
    {
        // -1000 / 1.1 + 1210 / 1.21 = -909.0909 + 1000 = 90.909091.
        var result = Evaluate(BuildThenSell());

        Near.Sequence([-1000, 1210], result.Line(p => p.AfterTaxCashFlow));
        Near.Sequence([-1000 / 1.1, 1000], result.Line(p => p.DiscountedAfterTaxCashFlow));
        Near.Equal(1000 - 1000 / 1.1, result.Metrics.NpvAfterTax);
        Near.Equal(1000 - 1000 / 1.1, result.Metrics.NpvPreTax);
    }

    [Fact]
    public void Npv_DiscountsEachPeriodFromItsMiddle_WithMidPeriodDiscounting()
    {
        // -1000 / 1.1^0.5 + 1210 / 1.1^1.5 = -953.462589 + 1048.808848 = 95.346259 = 90.909091 x 1.1^0.5.
        var result = Evaluate(BuildThenSell() with { Discounting = Discounting.MidPeriod });

        Near.Sequence([-953.462589245592, 1048.80884817015], result.Line(p => p.DiscountedAfterTaxCashFlow));
        Near.Equal(95.3462589245592, result.Metrics.NpvAfterTax);
        Near.Equal((1000 - 1000 / 1.1) * Math.Sqrt(1.1), result.Metrics.NpvPreTax);
        Near.Equal(result.Metrics.NpvAfterTax, result.Totals.DiscountedAfterTaxCashFlow);
    }

    [Fact]
    public void Irr_IsTheRateThatReturnsTheOutlay_WhateverTheTiming()
    {
        // -1000 + 1210 / (1 + r) = 0 at r = 21 %.
        Near.Equal(0.21, Evaluate(BuildThenSell()).Metrics.IrrAfterTax);
        Near.Equal(0.21, Evaluate(BuildThenSell() with { Discounting = Discounting.MidPeriod }).Metrics.IrrAfterTax);
        Near.Equal(0.21, Evaluate(BuildThenSell()).Metrics.IrrPreTax);
    }

    [Fact]
    public void Irr_IsTheLargestRoot_WithAClosureCost()
    {
        // -1000, 600, 600, -100 change sign twice: the NPV is 0 at 7.2502508 % and again between -90 % and -50 %.
        var metrics = Evaluate(WithClosure()).Metrics;

        Near.Equal(0.0725025079530054, metrics.IrrAfterTax);
    }

    [Fact]
    public void Payback_And_PeakFunding_FollowTheCumulativeAfterTaxCashFlow()
    {
        // Cumulative -1000, -400, +200, +100: pays back 400/600 into period 2; the deepest point is -1000.
        var metrics = Evaluate(WithClosure()).Metrics;

        Near.Equal(2 + 400.0 / 600, metrics.PaybackYears);
        Near.Equal(1000, metrics.PeakFunding);
    }

    [Fact]
    public void DiscountedPayback_UsesTheDiscountedFlows()
    {
        // Discounted: -909.0909, 495.8678, 450.7889, -68.3013; cumulative -909.0909, -413.2231, +37.5657:
        // 413.2231 / 450.7889 = 11/12 into period 2.
        Near.Equal(2 + 11.0 / 12, Evaluate(WithClosure()).Metrics.DiscountedPaybackYears);
    }

    [Fact]
    public void NpvProfile_GivesTheNpvAtTheStandardRates()
    {
        double[] afterTax = [-1000, 600, 600, -100];
        var profile = Evaluate(WithClosure()).Metrics.NpvProfile;

        Near.Sequence([0, 0.05, 0.08, 0.10, 0.12, 0.15], profile.Select(p => p.Rate).ToArray());
        // At 0 %: the undiscounted sum, 100.
        Near.Equal(100, profile[0].NpvAfterTax);
        // At 5 %: -1000/1.05 + 600/1.05^2 + 600/1.05^3 - 100/1.05^4 = -952.381 + 544.218 + 518.303 - 82.270 = 27.869.
        Near.Sequence(
            [100, 27.869046333575, -8.726274412399519, -30.735605491428288, -51.024475478967204, -78.54460211334279],
            profile.Select(p => p.NpvAfterTax).ToArray());
        Near.Sequence(profile.Select(p => Finance.Npv(afterTax, p.Rate)).ToArray(), profile.Select(p => p.NpvPreTax).ToArray());
    }

    [Fact]
    public void BreakevenPrice_IsAbsent_WhenTheByProductAloneMakesTheNpvPositive()
    {
        // 100 oz of gold and 100 oz of silver at 20 $/oz, no costs: NPV = (100 P + 2000) / 1.21 > 0 for every price P >= 0.
        // Only P = -20 would make it 0, and a price below 0 is not a price (the format rejects it).
        var scenario = Create(2, new SchedulePeriod(1, OreProcessed: 100, Grades: new Dictionary<string, double> { ["Au"] = GramsPerTroyOunce, ["Ag"] = GramsPerTroyOunce })) with
        {
            Products = [Gold(10), Gold(20) with { Name = "Ag", Primary = false }],
        };

        Assert.Null(Evaluate(scenario).Metrics.BreakevenPrice);
    }

    [Fact]
    public void Metrics_AreAbsent_WhenTheProjectNeverPaysBack()
    {
        // Only costs: the flows never change sign and the cumulative never recovers.
        var scenario = WithClosure() with { Products = [Gold(0)] };
        var metrics = Evaluate(scenario).Metrics;

        Assert.Null(metrics.IrrAfterTax);
        Assert.Null(metrics.IrrPreTax);
        Assert.Null(metrics.PaybackYears);
        Assert.Null(metrics.DiscountedPaybackYears);
        Near.Equal(1100, metrics.PeakFunding);
    }

    [Fact]
    public void Payback_IsZero_AndPeakFundingZero_WhenTheCumulativeIsNeverNegative()
    {
        var metrics = Evaluate(Create(2, Ounces(0, 100), Ounces(1, 100))).Metrics;

        Assert.Equal(0, metrics.PaybackYears);
        Assert.Equal(0, metrics.DiscountedPaybackYears);
        Assert.Equal(0, metrics.PeakFunding);
    }

    // Periods 1 and 2 each process 500 t carrying 500 oz of gold (2000 $/oz, 10 $/oz refining) and 5000 oz of silver
    // (20 $/oz, 2 $/oz refining); G&A 500 000 a period; a 2 % NSR royalty; sustaining capital 100 000 in period 1;
    // a fleet bought in period 0 (initial) running 8760 h a year with a 10 000 h life, replaced in period 2 for 5000.
    private static ScenarioDocument GoldWithSilverByProduct()
    {
        SchedulePeriod Row(int period) => new SchedulePeriod(
            Period: period,
            OreProcessed: 500,
            Grades: new Dictionary<string, double> { ["Au"] = GramsPerTroyOunce, ["Ag"] = 10 * GramsPerTroyOunce });

        return Create(3, Row(1), Row(2)) with
        {
            Products =
            [
                Gold(2000) with { SellingCostPerUnit = 10.0 },
                Gold(20) with { Name = "Ag", SellingCostPerUnit = 2.0, Primary = false },
            ],
            OperatingCosts = new OperatingCosts(GeneralAndAdminPerPeriod: 500_000.0),
            Royalties = [new Royalty(Name: "State", Rate: 0.02)],
            Capital = [new CapitalItem(Name: "Tailings", Category: CapitalCategory.Sustaining, Period: 1, Amount: 100_000.0)],
            Equipment =
            [
                new Equipment(
                    Name: "Loader", Count: 1, UnitCost: 5000, PurchasePeriod: 0, OperatingCostPerHour: 0.0,
                    Availability: 1, Utilisation: 1, LifeHours: 10_000),
            ],
        };
    }

    [Fact]
    public void CashCost_CreditsByProductNsr_PerPayablePrimaryUnit()
    {
        // (opex 1 000 000 + gold refining 1000 x 10 - silver NSR 10 000 x 18) / 1000 oz = 830 $/oz.
        var result = Evaluate(GoldWithSilverByProduct());

        Near.Equal(1000, result.Totals.PrimaryPayable);
        Near.Equal(830, result.Metrics.CashCostPerUnit);
    }

    [Fact]
    public void Aisc_AddsRoyaltiesAndSustainingCapitalIncludingReplacements_PerPayablePrimaryUnit()
    {
        // Royalty 2 % x (1000 x 1990 + 10 000 x 18) = 43 400; sustaining 100 000 + replacement 5000.
        // AISC = 830 + (43 400 + 105 000) / 1000 = 978.4 $/oz. The initial fleet purchase is not sustaining.
        var result = Evaluate(GoldWithSilverByProduct());

        Near.Equal(43_400, result.Totals.Royalties);
        Near.Equal(105_000, result.Totals.SustainingCapital);
        Near.Equal(978.4, result.Metrics.AiscPerUnit);
    }

    [Fact]
    public void CashCost_And_Aisc_AreAbsent_WithoutPrimaryProduction()
    {
        var scenario = Create(2, Waste(0, 100), new SchedulePeriod(Period: 1, OreProcessed: 100)) with
        {
            OperatingCosts = new OperatingCosts(MiningPerTonne: 1.0),
        };

        var metrics = Evaluate(scenario).Metrics;

        Assert.Null(metrics.CashCostPerUnit);
        Assert.Null(metrics.AiscPerUnit);
        Assert.Null(metrics.Co2eKgPerUnit);
    }

    // 1000 of initial capital in period 0 (10-year life, so all of it deducted in period 1, the last);
    // 100 oz sold in period 1; tax 30 %.
    private static ScenarioDocument SmallTaxedMine(double price) =>
        Create(2, Ounces(1, 100)) with
        {
            Products = [Gold(price)],
            Capital = [new CapitalItem(Name: "Plant", Category: CapitalCategory.Initial, Period: 0, Amount: 1000.0)],
            Tax = new Tax(Rate: 0.3),
        };

    [Fact]
    public void BreakevenPrice_MakesTheAfterTaxNpvZero_WithoutTax()
    {
        // -1000 / 1.1 + 100 P / 1.21 = 0: P = 11.
        var breakeven = Evaluate(SmallTaxedMine(50) with { Tax = new Tax() }).Metrics.BreakevenPrice;

        Near.Equal(11, breakeven);
    }

    [Fact]
    public void BreakevenPrice_MakesTheAfterTaxNpvZero_WithTax()
    {
        // Period 1: taxable 100 P - 1000, after-tax 100 P - 0.3 (100 P - 1000) = 70 P + 300.
        // -1000 / 1.1 + (70 P + 300) / 1.21 = 0: 70 P = 1100 - 300, P = 80/7 = 11.428571.
        var breakeven = Evaluate(SmallTaxedMine(50)).Metrics.BreakevenPrice;

        Near.Equal(80.0 / 7, breakeven);
        Near.Equal(0, Evaluate(SmallTaxedMine(breakeven!.Value)).Metrics.NpvAfterTax, 1e-9);
    }

    [Fact]
    public void BreakevenPrice_IsThePriceThatMakesTheNpvZero_WhenReEvaluated()
    {
        var scenario = GoldWithSilverByProduct() with { Tax = new Tax(Rate: 0.25) };
        var breakeven = Evaluate(scenario).Metrics.BreakevenPrice;

        Assert.NotNull(breakeven);
        var atBreakeven = scenario with { Products = [scenario.Products[0] with { Price = breakeven.Value }, scenario.Products[1]] };
        var npv = Evaluate(atBreakeven).Metrics.NpvAfterTax;

        // Within a millionth of the project's undiscounted revenue at that price.
        Assert.True(Math.Abs(npv) <= 1e-6 * 1000 * breakeven.Value, $"NPV at the breakeven price {breakeven} is {npv}");
    }
}
