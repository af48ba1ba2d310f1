using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>A step of compiling a plan: the operating costs and consumables.</summary>
internal sealed record CostPlan(Slot MiningPerTonne, Slot ProcessingPerTonne, Slot GeneralAndAdmin, Slot CarbonPrice, ConsumablePlan[] Consumables)
{
    public static CostPlan Compile(ScenarioDocument document, SlotBinder slots)
    {
        var costs = document.OperatingCosts;
        return new CostPlan(
            slots.Bind(costs.MiningPerTonne),
            slots.Bind(costs.ProcessingPerTonne),
            slots.Bind(costs.GeneralAndAdminPerPeriod),
            slots.Bind(costs.CarbonPricePerTonne),
            [.. document.Consumables.Select(c => new ConsumablePlan(c.Driver, slots.Bind(c.RatePerDriver), slots.Bind(c.UnitPrice), c.Co2eKgPerUnit / 1000))]);
    }
}

internal sealed record ConsumablePlan(ConsumableDriver Driver, Slot Rate, Slot Price, double Co2eTonnesPerUnit);
