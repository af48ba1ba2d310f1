using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>
/// A step of compiling a plan, from its schedule: the fleets, and the equipment's purchases, replacements and
/// depreciation per period, worked out once (they do not depend on any parameter).
/// </summary>
/// <param name="Fleets">The fleets, as the document lists them.</param>
/// <param name="Initial">Equipment bought before production, per period, before the initial-capital factor.</param>
/// <param name="Sustaining">Equipment bought or replaced during production, per period, before the sustaining-capital factor.</param>
/// <param name="InitialDepreciation">Depreciation of <paramref name="Initial"/>, per period, before the factor.</param>
/// <param name="SustainingDepreciation">Depreciation of <paramref name="Sustaining"/>, per period, before the factor.</param>
internal sealed record EquipmentPlan(FleetPlan[] Fleets, double[] Initial, double[] Sustaining, double[] InitialDepreciation, double[] SustainingDepreciation)
{
    public static EquipmentPlan Compile(ScenarioDocument document, SchedulePlan schedule, SlotBinder slots)
    {
        var periods = schedule.Periods;
        var (equipmentInitial, equipmentSustaining) = (new double[periods], new double[periods]);
        var (initialDepreciation, sustainingDepreciation) = (new double[periods], new double[periods]);
        var fleets = new List<FleetPlan>();
        foreach (var equipment in document.Equipment)
        {
            var cost = equipment.Count * equipment.UnitCost;
            var hoursPerPeriod = ScenarioPlan.HoursPerYear * equipment.Availability * equipment.Utilisation;
            var initial = schedule.FirstOperatingPeriod < 0 || equipment.PurchasePeriod < schedule.FirstOperatingPeriod;
            Spend(equipment.PurchasePeriod, initial);

            // A fleet is replaced in the operating period in which its hours per unit would pass its life;
            // the new fleet's hours start from zero in that period. A new fleet is never replaced before it works.
            var hours = 0.0;
            for (var t = equipment.PurchasePeriod; t < periods; t++)
            {
                if (!schedule.Operating[t])
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

            fleets.Add(new FleetPlan(equipment.Count, equipment.PurchasePeriod, hoursPerPeriod, slots.Bind(equipment.OperatingCostPerHour)));

            void Spend(int period, bool initial)
            {
                var (spend, depreciation) = initial
                    ? (equipmentInitial, initialDepreciation)
                    : (equipmentSustaining, sustainingDepreciation);
                spend[period] += cost;
                var shape = schedule.DepreciationShape(period, equipment.DepreciationYears);
                for (var t = 0; t < periods; t++)
                {
                    depreciation[t] += cost * shape[t];
                }
            }
        }

        return new EquipmentPlan([.. fleets], equipmentInitial, equipmentSustaining, initialDepreciation, sustainingDepreciation);
    }
}

internal sealed record FleetPlan(int Count, int PurchasePeriod, double HoursPerPeriod, Slot CostPerHour);
