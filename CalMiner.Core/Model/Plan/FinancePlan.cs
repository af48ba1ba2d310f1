using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>A step of compiling a plan, from its schedule: capital, royalties, tax, working capital and the scenario's factors.</summary>
internal sealed record FinancePlan(
    CapitalPlan[] Capital,
    RoyaltyPlan[] Royalties,
    Slot TaxRate,
    bool LossCarryForward,
    double ReceivableFraction,
    double PayableFraction,
    Slot GradeFactor,
    Slot ThroughputFactor,
    Slot OperatingCostFactor,
    Slot InitialCapitalFactor,
    Slot SustainingCapitalFactor)
{
    public static FinancePlan Compile(ScenarioDocument document, SchedulePlan schedule, SlotBinder slots)
    {
        var factors = document.Factors;
        return new FinancePlan(
            [.. document.Capital.Select(c => new CapitalPlan(
                c.Category,
                c.Period,
                slots.Bind(c.Amount),
                1 + c.Contingency,
                c.Category == CapitalCategory.Closure ? new double[schedule.Periods] : schedule.DepreciationShape(c.Period, c.DepreciationYears)))],
            [.. document.Royalties.Select(r => new RoyaltyPlan(slots.Bind(r.Rate), r.Basis))],
            slots.Bind(document.Tax.Rate),
            document.Tax.LossCarryForward,
            document.WorkingCapital.ReceivableDays / 365,
            document.WorkingCapital.PayableDays / 365,
            slots.Bind(factors.Grade),
            slots.Bind(factors.Throughput),
            slots.Bind(factors.OperatingCost),
            slots.Bind(factors.InitialCapital),
            slots.Bind(factors.SustainingCapital));
    }
}

/// <summary>A capital item; <see cref="Depreciation"/> is the share of its amount deducted in each period.</summary>
internal sealed record CapitalPlan(CapitalCategory Category, int Period, Slot Amount, double WithContingency, double[] Depreciation);

internal sealed record RoyaltyPlan(Slot Rate, RoyaltyBasis Basis);
