using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>
/// A <see cref="ScenarioPlan"/> compiled for <see cref="ModelKernel"/>: a table of each period's amounts (tonnes,
/// discount factors, contained units, capital spend and deductions) and the registers that the rates are made from.
/// </summary>
/// <remarks>
/// A register holds one value per lane: a parameter's sampled value (registers 0.. are the plan's parameters, in
/// order), or a constant of the plan. The members named <c>…Register</c> are indices into the registers, not values.
/// </remarks>
internal sealed class KernelTable
{
    // A period's row of the table: tonnes, discount factors, then each product's contained units, then each capital
    // rate's spend and its deductions (depreciation and closure).
    public const int OreMinedColumn = 0, WasteColumn = 1, OreProcessedColumn = 2, DiscountColumn = 3, PreTaxDiscountColumn = 4, ContainedColumn = 5;

    /// <param name="plan">The compiled scenario.</param>
    public KernelTable(ScenarioPlan plan)
    {
        Plan = plan;
        var document = plan.Document;
        var periods = plan.Periods;
        var registers = new List<double>(plan.BaseValues);
        int Register(Slot slot)
        {
            if (slot.Parameter >= 0)
            {
                return slot.Parameter;
            }

            registers.Add(slot.Constant);
            return registers.Count - 1;
        }

        (GradeRegister, ThroughputRegister, OperatingCostFactorRegister) = (Register(plan.GradeFactor), Register(plan.ThroughputFactor), Register(plan.OperatingCostFactor));
        (MiningPerTonneRegister, ProcessingPerTonneRegister, GeneralAndAdminRegister) = (Register(plan.MiningPerTonne), Register(plan.ProcessingPerTonne), Register(plan.GeneralAndAdmin));
        (CarbonPriceRegister, TaxRateRegister) = (Register(plan.CarbonPrice), Register(plan.TaxRate));
        Products = [.. plan.Products.Select(p => new ProductTerms(
            p.PayableUnitsPerTonneGrade, Register(p.Recovery), Register(p.Payability), Register(p.Price), Register(p.SellingCost)))];
        Royalties = [.. plan.Royalties.Select(r => new RoyaltyTerms(Register(r.Rate), r.Basis == RoyaltyBasis.Nsr))];
        Consumables = [.. plan.Consumables.Select(c => new ConsumableTerms(c.Driver, Register(c.Rate), Register(c.Price), c.Co2eTonnesPerUnit))];
        var fleets = plan.Fleets.OrderBy(f => f.PurchasePeriod).ToArray();
        Fleets = [.. fleets.Select(f => (f.Count * f.HoursPerPeriod, Register(f.CostPerHour)))];

        var one = Register(new Slot(-1, 1.0));
        CapitalRates = CompileCapitalRates(plan, one, Register(plan.InitialCapitalFactor), Register(plan.SustainingCapitalFactor), out var spend, out var deductions, out var totalSustaining);
        TotalSustaining = totalSustaining;
        RegisterValues = [.. registers];

        // The table, period by period. The pre-tax NPV is discounted as CashFlowMath.Npv does it: a running product of 1/(1 + r).
        (CapitalAt, DeductionsAt) = (ContainedColumn + Products.Length, ContainedColumn + Products.Length + CapitalRates.Length);
        Stride = DeductionsAt + CapitalRates.Length;
        Rows = new double[periods * Stride];
        TotalContained = new double[Products.Length];
        FixedCostIndex = new int[periods];
        FixedCostPeriods = new double[fleets.Length + 2];
        double totalOreMined = 0, totalWaste = 0, totalOreProcessed = 0;
        var v = 1 / (1 + document.DiscountRate);
        var preTaxDiscount = document.Discounting == Discounting.MidPeriod ? Math.Sqrt(v) : v;
        for (var t = 0; t < periods; t++)
        {
            var row = Rows.AsSpan(t * Stride, Stride);
            (row[OreMinedColumn], row[WasteColumn], row[OreProcessedColumn]) = (plan.OreMined[t], plan.WasteMined[t], plan.OreProcessed[t]);
            (row[DiscountColumn], row[PreTaxDiscountColumn]) = (CashFlowMath.DiscountFactor(t, document.DiscountRate, document.Discounting), preTaxDiscount);
            preTaxDiscount *= v;
            for (var k = 0; k < Products.Length; k++)
            {
                row[ContainedColumn + k] = plan.OreProcessed[t] * plan.Products[k].Grade[t];
                TotalContained[k] += row[ContainedColumn + k];
            }

            for (var q = 0; q < CapitalRates.Length; q++)
            {
                (row[CapitalAt + q], row[DeductionsAt + q]) = (spend[q][t], deductions[q][t]);
            }

            FixedCostIndex[t] = plan.Operating[t] ? fleets.Count(f => f.PurchasePeriod <= t) : fleets.Length + 1;
            FixedCostPeriods[FixedCostIndex[t]]++;
            (totalOreMined, totalWaste, totalOreProcessed) = (totalOreMined + row[OreMinedColumn], totalWaste + row[WasteColumn], totalOreProcessed + row[OreProcessedColumn]);
        }

        (TotalOreMined, TotalWaste, TotalOreProcessed) = (totalOreMined, totalWaste, totalOreProcessed);
    }

    /// <summary>
    /// Capital by rate: an amount bound to a parameter is a rate of its own (times its category's factor); constant
    /// amounts, equipment included, go into the table, their rate being the category's factor alone (1 for closure).
    /// Rates that nothing spends or deducts are left out: they would cost a product a period for nothing.
    /// </summary>
    /// <returns>Each rate's two registers; per rate, the spend and the deductions (depreciation, closure) of each period, and the sustaining spend in all.</returns>
    private static (int AmountRegister, int FactorRegister)[] CompileCapitalRates(
        ScenarioPlan plan, int one, int initialFactor, int sustainingFactor, out double[][] spend, out double[][] deductions, out double[] sustaining)
    {
        var periods = plan.Periods;
        var rates = new List<(int Amount, int Factor)>();
        var (spent, deducted, sustained) = (new List<double[]>(), new List<double[]>(), new List<double>());
        int Rate(int amount, int factor)
        {
            var q = rates.IndexOf((amount, factor));
            if (q < 0)
            {
                q = rates.Count;
                rates.Add((amount, factor));
                spent.Add(new double[periods]);
                deducted.Add(new double[periods]);
                sustained.Add(0);
            }

            return q;
        }

        foreach (var item in plan.Capital)
        {
            var factor = item.Category switch
            {
                CapitalCategory.Initial => initialFactor,
                CapitalCategory.Sustaining => sustainingFactor,
                _ => one,
            };
            var (amount, coefficient) = item.Amount.Parameter >= 0 ? (item.Amount.Parameter, item.WithContingency) : (one, item.Amount.Constant * item.WithContingency);
            var q = Rate(amount, factor);
            spent[q][item.Period] += coefficient;
            sustained[q] += item.Category == CapitalCategory.Sustaining ? coefficient : 0;
            if (item.Category == CapitalCategory.Closure)
            {
                deducted[q][item.Period] += coefficient;
            }

            for (var t = 0; t < periods; t++)
            {
                deducted[q][t] += coefficient * item.Depreciation[t];
            }
        }

        var (initialEquipment, sustainingEquipment) = (Rate(one, initialFactor), Rate(one, sustainingFactor));
        for (var t = 0; t < periods; t++)
        {
            spent[initialEquipment][t] += plan.EquipmentInitial[t];
            deducted[initialEquipment][t] += plan.EquipmentInitialDepreciation[t];
            spent[sustainingEquipment][t] += plan.EquipmentSustaining[t];
            deducted[sustainingEquipment][t] += plan.EquipmentSustainingDepreciation[t];
            sustained[sustainingEquipment] += plan.EquipmentSustaining[t];
        }

        int[] used = [.. Enumerable.Range(0, rates.Count).Where(q => spent[q].Any(x => x != 0) || deducted[q].Any(x => x != 0))];
        (spend, deductions, sustaining) = ([.. used.Select(q => spent[q])], [.. used.Select(q => deducted[q])], [.. used.Select(q => sustained[q])]);
        return [.. used.Select(q => rates[q])];
    }

    public ScenarioPlan Plan { get; }

    /// <summary>Each register's value when no column is given: the parameters' base values, then the plan's constants.</summary>
    public double[] RegisterValues { get; }

    public int GradeRegister { get; }

    public int ThroughputRegister { get; }

    public int OperatingCostFactorRegister { get; }

    public int MiningPerTonneRegister { get; }

    public int ProcessingPerTonneRegister { get; }

    public int GeneralAndAdminRegister { get; }

    public int CarbonPriceRegister { get; }

    public int TaxRateRegister { get; }

    public ProductTerms[] Products { get; }

    public RoyaltyTerms[] Royalties { get; }

    public ConsumableTerms[] Consumables { get; }

    /// <summary>Fleets in the order they are bought: an operating period t runs the first <see cref="FixedCostIndex"/>[t] of them.</summary>
    public (double Hours, int CostPerHourRegister)[] Fleets { get; }

    /// <summary>Capital rates: products of two registers (an amount bound to a parameter, or 1, times the category's factor or 1).</summary>
    public (int AmountRegister, int FactorRegister)[] CapitalRates { get; }

    /// <summary>The table, period-major, <see cref="Stride"/> values a period.</summary>
    public double[] Rows { get; }

    public int Stride { get; }

    /// <summary>Where a row's capital spend starts, one value per capital rate.</summary>
    public int CapitalAt { get; }

    /// <summary>Where a row's capital deductions start, one value per capital rate.</summary>
    public int DeductionsAt { get; }

    /// <summary>
    /// Per period, the index of its fixed operating costs (G&amp;A, per-period consumables and the fleets at work): the
    /// number of fleets at work, or one more than all of them for a period that does not operate, which costs nothing.
    /// </summary>
    public int[] FixedCostIndex { get; }

    /// <summary>Per index of <see cref="FixedCostIndex"/>, the number of periods that use it.</summary>
    public double[] FixedCostPeriods { get; }

    /// <summary>Life-of-mine totals of the table's columns: tonnes, each product's contained units, each capital rate's sustaining spend.</summary>
    public double TotalOreMined { get; }

    public double TotalWaste { get; }

    public double TotalOreProcessed { get; }

    public double[] TotalContained { get; }

    public double[] TotalSustaining { get; }

    public readonly record struct ProductTerms(double PayableUnits, int RecoveryRegister, int PayabilityRegister, int PriceRegister, int SellingCostRegister);

    public readonly record struct RoyaltyTerms(int RateRegister, bool OnNsr);

    public readonly record struct ConsumableTerms(ConsumableDriver Driver, int RateRegister, int PriceRegister, double Co2eTonnesPerUnit);
}
