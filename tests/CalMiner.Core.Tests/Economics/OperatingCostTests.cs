using CalMiner.Scenarios;
using static CalMiner.Core.Tests.Economics.TestScenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>Operating cost by category, consumables, emissions and the operating-cost factor, computed by hand.</summary>
public sealed class OperatingCostTests
{
    // Period 0 pre-strips 1000 t of waste, period 1 processes 100 t, period 2 is idle, period 3 processes 50 t.
    private static ScenarioDocument FourPeriodsWithAnIdleOne() =>
        Create(4, Waste(0, 1000), Ounces(1, 100), Ounces(3, 50));

    [Fact]
    public void GeneralAndAdmin_IsChargedOnlyInOperatingPeriods()
    {
        var scenario = FourPeriodsWithAnIdleOne() with
        {
            OperatingCosts = new OperatingCosts(GeneralAndAdminPerPeriod: 5000.0),
        };

        Near.Sequence([0, 5000, 0, 5000], Evaluate(scenario).Line(p => p.GeneralAndAdmin));
    }

    [Fact]
    public void MiningAndProcessing_FollowTheTonnesMovedAndProcessed_InEveryPeriod()
    {
        // Mining 2 $/t of ore and waste: pre-strip 1000 t = 2000; processing 10 $/t: 1000 and 500.
        var scenario = FourPeriodsWithAnIdleOne() with
        {
            OperatingCosts = new OperatingCosts(MiningPerTonne: 2.0, ProcessingPerTonne: 10.0),
        };

        var result = Evaluate(scenario);

        Near.Sequence([2000, 0, 0, 0], result.Line(p => p.MiningCost));
        Near.Sequence([0, 1000, 0, 500], result.Line(p => p.ProcessingCost));
        Near.Sequence([2000, 1000, 0, 500], result.Line(p => p.OperatingCost));
    }

    [Fact]
    public void Consumables_FollowTheirDrivers()
    {
        // Diesel 0.8 L per t mined x 1 $/L: 800 in period 0. Power 28 kWh per t processed x 0.1 $/kWh: 280 and 140.
        // Camp supplies 3 units per operating period x 100 $: 300 in periods 1 and 3.
        var scenario = FourPeriodsWithAnIdleOne() with
        {
            Consumables =
            [
                new Consumable(Name: "Diesel", Driver: ConsumableDriver.TonneMined, RatePerDriver: 0.8, UnitPrice: 1.0),
                new Consumable(Name: "Power", Driver: ConsumableDriver.TonneProcessed, RatePerDriver: 28.0, UnitPrice: 0.1),
                new Consumable(Name: "Camp", Driver: ConsumableDriver.OperatingPeriod, RatePerDriver: 3.0, UnitPrice: 100.0),
            ],
        };

        Near.Sequence([800, 280 + 300, 0, 140 + 300], Evaluate(scenario).Line(p => p.ConsumablesCost));
    }

    [Fact]
    public void EquipmentOperatingCost_IsChargedInOperatingPeriodsFromThePurchasePeriodOn()
    {
        // Each unit runs 8760 x 0.5 x 0.5 = 2190 h a year. Loaders: 2 x 2190 x 10 $/h = 43 800 in operating periods 1 and 3.
        // Dozer bought in period 2: 1 x 2190 x 20 $/h = 43 800 in period 3 only.
        var scenario = FourPeriodsWithAnIdleOne() with
        {
            Equipment =
            [
                new Equipment(
                    Name: "Loaders", Count: 2, UnitCost: 0, PurchasePeriod: 0, OperatingCostPerHour: 10.0,
                    Availability: 0.5, Utilisation: 0.5, LifeHours: 1e9),
                new Equipment(
                    Name: "Dozer", Count: 1, UnitCost: 0, PurchasePeriod: 2, OperatingCostPerHour: 20.0,
                    Availability: 0.5, Utilisation: 0.5, LifeHours: 1e9),
            ],
        };

        Near.Sequence([0, 43_800, 0, 87_600], Evaluate(scenario).Line(p => p.EquipmentOperatingCost));
    }

    [Fact]
    public void Emissions_AreQuantityTimesKgPerUnit_AndCarbonCostIsPricedPerTonne()
    {
        // 1000 t of ore and 4000 t of waste mined, 1000 t processed at 0.1 oz/t: 100 oz.
        // Diesel 0.8 L/t mined: 4000 L x 1.1 = 4400 $, x 2.68 kg = 10.72 t CO2e.
        // Power 28 kWh/t processed: 28 000 kWh x 0.09 = 2520 $, x 0.6 kg = 16.8 t CO2e.
        // 27.52 t x 50 $/t = 1376 $ carbon; 27 520 kg / 100 oz = 275.2 kg CO2e/oz.
        var scenario = Create(1, new SchedulePeriod(
            Period: 0,
            OreMined: 1000,
            WasteMined: 4000,
            OreProcessed: 1000,
            Grades: new Dictionary<string, double> { ["Au"] = GramsPerTroyOunce / 10 })) with
        {
            OperatingCosts = new OperatingCosts(CarbonPricePerTonne: 50.0),
            Consumables =
            [
                new Consumable(Name: "Diesel", Unit: "L", Driver: ConsumableDriver.TonneMined, RatePerDriver: 0.8, UnitPrice: 1.1, Co2eKgPerUnit: 2.68),
                new Consumable(Name: "Power", Unit: "kWh", Driver: ConsumableDriver.TonneProcessed, RatePerDriver: 28.0, UnitPrice: 0.09, Co2eKgPerUnit: 0.6),
            ],
        };

        var result = Evaluate(scenario);

        Near.Equal(6920, result.Periods[0].ConsumablesCost);
        Near.Equal(27.52, result.Periods[0].Co2eTonnes);
        Near.Equal(1376, result.Periods[0].CarbonCost);
        Near.Equal(27.52, result.Totals.Co2eTonnes);
        Near.Equal(27.52, result.Metrics.Co2eTonnes);
        Near.Equal(275.2, result.Metrics.Co2eKgPerUnit);
    }

    [Fact]
    public void OperatingCostFactor_MultipliesEveryCategory_ButNotTheEmissions()
    {
        // Before the factor: mining (1000 + 3000) x 2 = 8000; processing 1000 x 10 = 10 000; G&A 5000;
        // diesel 4000 t x 0.5 L x 1.2 $ = 2400 (2000 L x 2.5 kg = 5 t CO2e); carbon 5 t x 40 = 200;
        // one truck 8760 x 0.5 x 0.5 h x 100 $/h = 219 000. Each x 1.5.
        var scenario = Create(1, Ounces(0, 1000, wasteMined: 3000) with { OreMined = 1000 }) with
        {
            OperatingCosts = new OperatingCosts(
                MiningPerTonne: 2.0, ProcessingPerTonne: 10.0, GeneralAndAdminPerPeriod: 5000.0, CarbonPricePerTonne: 40.0),
            Consumables = [new Consumable(Name: "Diesel", Driver: ConsumableDriver.TonneMined, RatePerDriver: 0.5, UnitPrice: 1.2, Co2eKgPerUnit: 2.5)],
            Equipment =
            [
                new Equipment(
                    Name: "Truck", Count: 1, UnitCost: 0, PurchasePeriod: 0, OperatingCostPerHour: 100.0,
                    Availability: 0.5, Utilisation: 0.5, LifeHours: 1e9),
            ],
            Factors = new Factors(OperatingCost: 1.5),
        };

        var period = Evaluate(scenario).Periods[0];

        Near.Equal(12_000, period.MiningCost);
        Near.Equal(15_000, period.ProcessingCost);
        Near.Equal(7500, period.GeneralAndAdmin);
        Near.Equal(3600, period.ConsumablesCost);
        Near.Equal(300, period.CarbonCost);
        Near.Equal(328_500, period.EquipmentOperatingCost);
        Near.Equal(366_900, period.OperatingCost);
        Near.Equal(5, period.Co2eTonnes);
    }
}
