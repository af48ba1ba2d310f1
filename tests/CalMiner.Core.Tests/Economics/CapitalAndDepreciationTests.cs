using CalMiner.Scenarios;
using static CalMiner.Core.Tests.Economics.TestScenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>Capital with contingency and factors, equipment purchase and replacement, and tax depreciation, computed by hand.</summary>
public sealed class CapitalAndDepreciationTests
{
    private static Equipment Fleet(string name, int count, double unitCost, int purchasePeriod) => new Equipment(
        Name: name,
        Count: count,
        UnitCost: unitCost,
        PurchasePeriod: purchasePeriod,
        OperatingCostPerHour: 0.0,
        Availability: 0.5,
        Utilisation: 0.5,
        LifeHours: 1e9);

    // Period 0 builds the mine; periods 1..periods-1 process 100 oz each.
    private static ScenarioDocument ConstructionThenProduction(int periods) =>
        Create(periods, [Waste(0, 1000), .. Enumerable.Range(1, periods - 1).Select(i => Ounces(i, 100))]);

    [Fact]
    public void Capital_AddsContingency_AndItsCategoryFactor_ButClosureHasNoFactor()
    {
        // Initial 1000 x 1.10 x 1.2 = 1320; sustaining 500 x 1.20 x 0.5 = 300; closure 200 x 1.25 = 250, factors ignored.
        var scenario = ConstructionThenProduction(3) with
        {
            Capital =
            [
                new CapitalItem(Name: "Plant", Category: CapitalCategory.Initial, Period: 0, Amount: 1000.0, Contingency: 0.10),
                new CapitalItem(Name: "Rebuild", Category: CapitalCategory.Sustaining, Period: 1, Amount: 500.0, Contingency: 0.20),
                new CapitalItem(Name: "Closure", Category: CapitalCategory.Closure, Period: 2, Amount: 200.0, Contingency: 0.25),
            ],
            Factors = new Factors(InitialCapital: 1.2, SustainingCapital: 0.5),
        };

        var result = Evaluate(scenario);

        Near.Sequence([1320, 0, 0], result.Line(p => p.InitialCapital));
        Near.Sequence([0, 300, 0], result.Line(p => p.SustainingCapital));
        Near.Sequence([0, 0, 250], result.Line(p => p.ClosureCapital));
        Near.Sequence([1320, 300, 250], result.Line(p => p.Capital));
        Near.Sequence([-1320, 100 - 300, 100 - 250], result.Line(p => p.PreTaxCashFlow));
    }

    [Fact]
    public void Closure_IsNotDepreciated_ButDeductedFromTaxableIncomeWhenIncurred()
    {
        // Initial 1320 over 10 years from period 1: 132 in period 1, the remaining 1188 in period 2 (the last).
        // Sustaining 300 from period 1: 30, then 270. Closure 250 is deducted in period 2.
        // EBITDA is 100 in periods 1 and 2: taxable income 100 - 162 = -62 and 100 - 1458 - 250 = -1608.
        var scenario = ConstructionThenProduction(3) with
        {
            Capital =
            [
                new CapitalItem(Name: "Plant", Category: CapitalCategory.Initial, Period: 0, Amount: 1000.0, Contingency: 0.10),
                new CapitalItem(Name: "Rebuild", Category: CapitalCategory.Sustaining, Period: 1, Amount: 500.0, Contingency: 0.20),
                new CapitalItem(Name: "Closure", Category: CapitalCategory.Closure, Period: 2, Amount: 200.0, Contingency: 0.25),
            ],
            Factors = new Factors(InitialCapital: 1.2, SustainingCapital: 0.5),
        };

        var result = Evaluate(scenario);

        Near.Sequence([0, 162, 1458], result.Line(p => p.Depreciation));
        Near.Sequence([0, -62, -1608], result.Line(p => p.TaxableIncome));
    }

    [Fact]
    public void Depreciation_IsStraightLine_FromTheFirstOperatingPeriod_WhenTheLifeFits()
    {
        // Initial 1000 spent in period 0 over 4 years from period 1: 250 in periods 1..4, nothing in period 5.
        // Sustaining 600 spent in period 3 over 2 years: 300 in periods 3 and 4.
        var scenario = ConstructionThenProduction(6) with
        {
            Capital =
            [
                new CapitalItem(Name: "Plant", Category: CapitalCategory.Initial, Period: 0, Amount: 1000.0, DepreciationYears: 4),
                new CapitalItem(Name: "Tailings lift", Category: CapitalCategory.Sustaining, Period: 3, Amount: 600.0, DepreciationYears: 2),
            ],
        };

        Near.Sequence([0, 250, 250, 550, 550, 0], Evaluate(scenario).Line(p => p.Depreciation));
    }

    [Fact]
    public void Depreciation_DeductsTheRemainderInTheLastPeriod()
    {
        // Initial 900 over 10 years from period 1: 90 in periods 1..4, the remaining 540 in period 5.
        // Sustaining 500 spent in period 4 over 3 years: 166.67 in period 4, the remaining 333.33 in period 5.
        var scenario = ConstructionThenProduction(6) with
        {
            Capital =
            [
                new CapitalItem(Name: "Plant", Category: CapitalCategory.Initial, Period: 0, Amount: 900.0),
                new CapitalItem(Name: "Rebuild", Category: CapitalCategory.Sustaining, Period: 4, Amount: 500.0, DepreciationYears: 3),
            ],
        };

        var depreciation = Evaluate(scenario).Line(p => p.Depreciation);

        Near.Sequence([0, 90, 90, 90, 90 + 500.0 / 3, 540 + 1000.0 / 3], depreciation);
        Near.Equal(1400, depreciation.Sum());
    }

    [Fact]
    public void EquipmentPurchase_IsInitialBeforeTheFirstOperatingPeriod_AndSustainingFromIt()
    {
        // Production starts in period 1. Bought in period 0: 2 x 100 x 1.5 initial = 300.
        // Bought in period 1 (the first operating period): 1 x 50 x 2 sustaining = 100; in period 2: 1 x 100 x 2 = 200.
        var scenario = ConstructionThenProduction(4) with
        {
            Equipment = [Fleet("Trucks", 2, 100, 0), Fleet("Grader", 1, 50, 1), Fleet("Dozer", 1, 100, 2)],
            Factors = new Factors(InitialCapital: 1.5, SustainingCapital: 2.0),
        };

        var result = Evaluate(scenario);

        Near.Sequence([300, 0, 0, 0], result.Line(p => p.InitialCapital));
        Near.Sequence([0, 100, 200, 0], result.Line(p => p.SustainingCapital));
        Near.Sequence([300, 100, 200, 0], result.Line(p => p.EquipmentCapital));
        Near.Sequence([300, 100, 200, 0], result.Line(p => p.Capital));
    }

    [Fact]
    public void Equipment_IsDepreciatedOverItsOwnLife()
    {
        // 2 x 100 bought in period 0, 2 years from period 1: 100 in periods 1 and 2; the default 10-year capital
        // item of 1000 gives 100 a year in periods 1..2 and its remaining 800 in period 3.
        var scenario = ConstructionThenProduction(4) with
        {
            Equipment = [Fleet("Trucks", 2, 100, 0) with { DepreciationYears = 2 }],
            Capital = [new CapitalItem(Name: "Plant", Category: CapitalCategory.Initial, Period: 0, Amount: 1000.0)],
        };

        Near.Sequence([0, 200, 200, 800], Evaluate(scenario).Line(p => p.Depreciation));
    }

    [Fact]
    public void Equipment_IsReplacedWhenItsHoursPassLifeHours_AndItsHoursStartAgain()
    {
        // 3 units at 1000, each running 8760 x 0.5 x 0.5 = 2190 h a year in periods 1..7; life 5000 h.
        // Hours: 2190, 4380, then 6570 would pass 5000 in period 3: replaced (3 x 1000 x sustaining factor 2 = 6000)
        // and the new units run 2190 h in period 3; 4380 in period 4; replaced in period 5; again in period 7.
        var scenario = ConstructionThenProduction(8) with
        {
            Equipment = [Fleet("Trucks", 3, 1000, 0) with { LifeHours = 5000, DepreciationYears = 2 }],
            Factors = new Factors(SustainingCapital: 2.0),
        };

        var result = Evaluate(scenario);

        Near.Sequence([3000, 0, 0, 6000, 0, 6000, 0, 6000], result.Line(p => p.EquipmentCapital));
        Near.Sequence([3000, 0, 0, 0, 0, 0, 0, 0], result.Line(p => p.InitialCapital));
        Near.Sequence([0, 0, 0, 6000, 0, 6000, 0, 6000], result.Line(p => p.SustainingCapital));
    }

    [Fact]
    public void EquipmentReplacements_AreDepreciatedOverTheEquipmentLife_FromTheirPeriod()
    {
        // The purchase (3000) over 2 years from period 1: 1500, 1500. Replacements of 6000 in periods 3 and 5: 3000 a year
        // for two years each; the one in period 7, the last, is deducted whole.
        var scenario = ConstructionThenProduction(8) with
        {
            Equipment = [Fleet("Trucks", 3, 1000, 0) with { LifeHours = 5000, DepreciationYears = 2 }],
            Factors = new Factors(SustainingCapital: 2.0),
        };

        Near.Sequence([0, 1500, 1500, 3000, 3000, 3000, 3000, 6000], Evaluate(scenario).Line(p => p.Depreciation));
    }

    [Fact]
    public void Equipment_AccumulatesHoursOnlyInOperatingPeriods()
    {
        // Periods 1, 2, 4, 5 operate, period 3 is idle: 2190, 4380, (idle), 6570 would pass 5000 in period 4.
        var scenario = Create(6, Waste(0, 1000), Ounces(1, 100), Ounces(2, 100), Ounces(4, 100), Ounces(5, 100)) with
        {
            Equipment = [Fleet("Trucks", 1, 1000, 0) with { LifeHours = 5000 }],
        };

        Near.Sequence([1000, 0, 0, 0, 1000, 0], Evaluate(scenario).Line(p => p.EquipmentCapital));
    }

    [Fact]
    public void Equipment_IsReplacedOnlyWhenItsHoursPassLifeHours_NotWhenTheyReachIt()
    {
        // Life 4380 h: 2190, 4380 reaches but does not pass it; 6570 in period 3 passes it; then 2190, 4380, pass in period 5.
        var scenario = ConstructionThenProduction(6) with
        {
            Equipment = [Fleet("Trucks", 1, 1000, 0) with { LifeHours = 4380 }],
        };

        Near.Sequence([1000, 0, 0, 1000, 0, 1000], Evaluate(scenario).Line(p => p.EquipmentCapital));
    }
}
