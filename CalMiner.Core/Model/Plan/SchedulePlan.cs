using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>The first step of compiling a plan: the schedule as per-period arrays, and the products with their grades.</summary>
internal sealed class SchedulePlan
{
    public required int Periods { get; init; }

    public required double[] OreMined { get; init; }

    public required double[] WasteMined { get; init; }

    public required double[] OreProcessed { get; init; }

    public required bool[] Operating { get; init; }

    /// <summary>The first period that processes ore, or −1 when none does.</summary>
    public required int FirstOperatingPeriod { get; init; }

    public required ProductPlan[] Products { get; init; }

    public required int PrimaryIndex { get; init; }

    public static SchedulePlan Compile(ScenarioDocument document, SlotBinder slots)
    {
        var periods = document.Periods;
        var (oreMined, wasteMined, oreProcessed, operating) = (new double[periods], new double[periods], new double[periods], new bool[periods]);
        var products = document.Products;
        var grades = new double[products.Count][];
        for (var k = 0; k < products.Count; k++)
        {
            grades[k] = new double[periods];
        }

        foreach (var row in document.Schedule)
        {
            oreMined[row.Period] = row.OreMined;
            wasteMined[row.Period] = row.WasteMined;
            oreProcessed[row.Period] = row.OreProcessed;
            operating[row.Period] = row.OreProcessed > 0;
            for (var k = 0; k < products.Count; k++)
            {
                grades[k][row.Period] = row.Grades.TryGetValue(products[k].Name, out var grade) ? grade : 0;
            }
        }

        var plans = new ProductPlan[products.Count];
        var primary = 0;
        for (var k = 0; k < products.Count; k++)
        {
            var product = products[k];
            plans[k] = new ProductPlan(
                product.Name,
                grades[k],
                ScenarioPlan.PayableUnitsPerTonneGrade(product.GradeUnit, product.PayableUnit),
                slots.Bind(product.Recovery),
                slots.Bind(product.Payability),
                slots.Bind(product.Price),
                slots.Bind(product.SellingCostPerUnit));
            if (product.Primary)
            {
                primary = k;
            }
        }

        return new SchedulePlan
        {
            Periods = periods,
            OreMined = oreMined,
            WasteMined = wasteMined,
            OreProcessed = oreProcessed,
            Operating = operating,
            FirstOperatingPeriod = Array.IndexOf(operating, true),
            Products = plans,
            PrimaryIndex = primary,
        };
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
}

internal sealed record ProductPlan(string Name, double[] Grade, double PayableUnitsPerTonneGrade, Slot Recovery, Slot Payability, Slot Price, Slot SellingCost);
