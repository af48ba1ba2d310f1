using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CalMiner.Economics;
using CalMiner.Numerics;
using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>
/// The cash-flow model of <see cref="CashFlowCalculator"/> evaluated several iterations at a time in vector
/// lanes (<see cref="ILanes{T}"/>: eight where the machine has 512-bit vectors, four with 256-bit, else two), the period loop
/// running with every running total in registers.
/// </summary>
/// <remarks>
/// <para>
/// The model is linear in the schedule: every line before tax is a period's tonnes, contained metal, capital or
/// depreciation times a rate that is the same in every period of an iteration (the price net of royalties per unit of
/// contained metal, the operating cost per tonne mined, the capital factor...). So the plan is compiled once into a
/// table of each period's amounts, and each group of lanes first works out its rates; a period then costs a few
/// products and sums, and the life-of-mine totals that C1 and AISC need are the table's totals times the rates.
/// Tax with losses carried forward, working capital, the metrics and the IRR follow the scalar model step by step.
/// </para>
/// <para>
/// The products are grouped differently from the scalar model's line by line statement, so the outputs equal it
/// to rounding (a few units in the last place of the flows), not bit for bit. Every lane width performs the same
/// operations in the same order, without fused multiply-adds, so a result is the same on every machine.
/// </para>
/// </remarks>
internal abstract class ModelKernel
{
    /// <summary>What every lane width divides: iterations are evaluated in multiples of this.</summary>
    public const int Lanes = 8;

    /// <summary>Groups of lanes evaluated before their IRRs are solved together.</summary>
    private protected const int Groups = 4;

    // A period's row of the table: tonnes, discount factors, then each product's contained units, then each capital
    // rate's spend and its deductions (depreciation and closure).
    private protected const int OreMined = 0, Waste = 1, OreProcessed = 2, Discount = 3, PreTaxDiscount = 4, Contained = 5;

    private protected readonly ScenarioPlan _plan;

    // Each register's value when no column is given: the parameters' base values, then the plan's constants.
    private protected readonly double[] _registerValues;
    private protected readonly int _grade, _throughput, _opexFactor, _mining, _processing, _generalAndAdmin, _carbonPrice, _taxRate;
    private protected readonly ProductTerms[] _products;
    private protected readonly RoyaltyTerms[] _royalties;
    private protected readonly ConsumableTerms[] _consumables;

    // Fleets in the order they are bought: an operating period t runs the first _fixedCosts[t] of them.
    private protected readonly (double Hours, int CostPerHour)[] _fleets;

    // Capital rates: products of two registers (an amount bound to a parameter, or 1, times the category's factor or 1).
    private protected readonly (int Amount, int Factor)[] _capitalRates;

    private protected readonly double[] _rows;
    private protected readonly int _stride, _capitalAt, _deductionsAt;

    // Per period, the index of its fixed operating costs (G&A, per-period consumables and the fleets at work): the number
    // of fleets at work, or one more than all of them for a period that does not operate, which costs nothing. And per
    // index, the number of periods that use it.
    private protected readonly int[] _fixedCosts;
    private protected readonly double[] _fixedCostPeriods;

    // Life-of-mine totals of the table's columns: tonnes, each product's contained units, each capital rate's sustaining spend.
    private protected readonly double _totalOreMined, _totalWaste, _totalOreProcessed;
    private protected readonly double[] _totalContained, _totalSustaining;

    /// <param name="plan">The compiled scenario.</param>
    private protected ModelKernel(ScenarioPlan plan)
    {
        _plan = plan;
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

        (_grade, _throughput, _opexFactor) = (Register(plan.GradeFactor), Register(plan.ThroughputFactor), Register(plan.OperatingCostFactor));
        (_mining, _processing, _generalAndAdmin) = (Register(plan.MiningPerTonne), Register(plan.ProcessingPerTonne), Register(plan.GeneralAndAdmin));
        (_carbonPrice, _taxRate) = (Register(plan.CarbonPrice), Register(plan.TaxRate));
        _products = [.. plan.Products.Select(p => new ProductTerms(
            p.PayableUnitsPerTonneGrade, Register(p.Recovery), Register(p.Payability), Register(p.Price), Register(p.SellingCost)))];
        _royalties = [.. plan.Royalties.Select(r => new RoyaltyTerms(Register(r.Rate), r.Basis == RoyaltyBasis.Nsr))];
        _consumables = [.. plan.Consumables.Select(c => new ConsumableTerms(c.Driver, Register(c.Rate), Register(c.Price), c.Co2eTonnesPerUnit))];
        var fleets = plan.Fleets.OrderBy(f => f.PurchasePeriod).ToArray();
        _fleets = [.. fleets.Select(f => (f.Count * f.HoursPerPeriod, Register(f.CostPerHour)))];

        var one = Register(new Slot(-1, 1.0));
        _capitalRates = CapitalRates(plan, one, Register(plan.InitialCapitalFactor), Register(plan.SustainingCapitalFactor), out var spend, out var deductions, out _totalSustaining);
        _registerValues = [.. registers];

        // The table, period by period. The pre-tax NPV is discounted as CashFlowMath.Npv does it: a running product of 1/(1 + r).
        (_capitalAt, _deductionsAt) = (Contained + _products.Length, Contained + _products.Length + _capitalRates.Length);
        _stride = _deductionsAt + _capitalRates.Length;
        _rows = new double[periods * _stride];
        _totalContained = new double[_products.Length];
        _fixedCosts = new int[periods];
        _fixedCostPeriods = new double[fleets.Length + 2];
        var v = 1 / (1 + document.DiscountRate);
        var preTaxDiscount = document.Discounting == Discounting.MidPeriod ? Math.Sqrt(v) : v;
        for (var t = 0; t < periods; t++)
        {
            var row = _rows.AsSpan(t * _stride, _stride);
            (row[OreMined], row[Waste], row[OreProcessed]) = (plan.OreMined[t], plan.WasteMined[t], plan.OreProcessed[t]);
            (row[Discount], row[PreTaxDiscount]) = (CashFlowMath.DiscountFactor(t, document.DiscountRate, document.Discounting), preTaxDiscount);
            preTaxDiscount *= v;
            for (var k = 0; k < _products.Length; k++)
            {
                row[Contained + k] = plan.OreProcessed[t] * plan.Products[k].Grade[t];
                _totalContained[k] += row[Contained + k];
            }

            for (var q = 0; q < _capitalRates.Length; q++)
            {
                (row[_capitalAt + q], row[_deductionsAt + q]) = (spend[q][t], deductions[q][t]);
            }

            _fixedCosts[t] = plan.Operating[t] ? fleets.Count(f => f.PurchasePeriod <= t) : fleets.Length + 1;
            _fixedCostPeriods[_fixedCosts[t]]++;
            (_totalOreMined, _totalWaste, _totalOreProcessed) = (_totalOreMined + row[OreMined], _totalWaste + row[Waste], _totalOreProcessed + row[OreProcessed]);
        }
    }

    /// <summary>
    /// Capital by rate: an amount bound to a parameter is a rate of its own (times its category's factor); constant
    /// amounts, equipment included, go into the table, their rate being the category's factor alone (1 for closure).
    /// Rates that nothing spends or deducts are left out: they would cost a product a period for nothing.
    /// </summary>
    /// <returns>Each rate's two registers; per rate, the spend and the deductions (depreciation, closure) of each period, and the sustaining spend in all.</returns>
    private static (int Amount, int Factor)[] CapitalRates(
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

    /// <summary>The compiled scenario this kernel evaluates.</summary>
    public ScenarioPlan Plan => _plan;

    /// <summary>The kernel for this machine: the widest lanes it accelerates, 512, 256 or 128 bits (wider ones would be emulated).</summary>
    public static ModelKernel For(ScenarioPlan plan) =>
        Vector512.IsHardwareAccelerated ? new ModelKernel<Lanes8>(plan)
        : Vector256.IsHardwareAccelerated ? new ModelKernel<Lanes4>(plan)
        : new ModelKernel<Lanes2>(plan);

    /// <summary>Evaluates iterations [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>); <paramref name="count"/> is a multiple of <see cref="Lanes"/>.</summary>
    /// <param name="inputs">Per parameter of the plan, its sampled values from iteration <paramref name="start"/> on (at least <paramref name="count"/>), or null to hold its base value.</param>
    /// <param name="start">First iteration, a multiple of <see cref="Lanes"/>.</param>
    /// <param name="count">Number of iterations.</param>
    /// <param name="outputs">Where the outputs of each iteration go.</param>
    /// <param name="scratch">This thread's working memory, from <see cref="NewScratch"/>.</param>
    public abstract void Evaluate(double[]?[] inputs, int start, int count, OutputColumns outputs, Scratch scratch);

    /// <summary>Working memory for one thread's calls of <see cref="Evaluate"/>.</summary>
    public Scratch NewScratch() => new(_plan.Periods);

    /// <summary>One thread's working memory: the cash flows of a block of groups of lanes, and the IRR searches waiting.</summary>
    public sealed class Scratch(int periods)
    {
        public double[] CashFlows { get; } = new double[Groups * Lanes * periods];

        public IrrSearchBatch Searches { get; } = new(periods);
    }

    private protected readonly record struct ProductTerms(double PayableUnits, int Recovery, int Payability, int Price, int SellingCost);

    private protected readonly record struct RoyaltyTerms(int Rate, bool OnNsr);

    private protected readonly record struct ConsumableTerms(ConsumableDriver Driver, int Rate, int Price, double Co2eTonnesPerUnit);
}

/// <summary>The kernel in lanes of <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The lanes: <see cref="Lanes2"/>, <see cref="Lanes4"/> or <see cref="Lanes8"/>.</typeparam>
internal sealed class ModelKernel<T>(ScenarioPlan plan) : ModelKernel(plan)
    where T : unmanaged, ILanes<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Evaluate(double[]?[] inputs, int start, int count, OutputColumns outputs, Scratch scratch)
    {
        Span<T> registers = stackalloc T[_registerValues.Length];
        for (var r = 0; r < registers.Length; r++)
        {
            registers[r] = T.Create(_registerValues[r]);
        }

        Span<T> rates = stackalloc T[Rates.Count(_products.Length, _fleets.Length, _capitalRates.Length)];
        var sampled = Enumerable.Range(0, inputs.Length).Where(j => inputs[j] is not null).ToArray();
        var flows = scratch.CashFlows;
        var length = _plan.Periods * T.Count;
        Span<SignChanges> signs = stackalloc SignChanges[Groups];
        Span<double> irr = stackalloc double[Groups * T.Count];

        // Several groups of lanes at a time, so that the IRR's Newton steps run independent chains of Horner's rule.
        for (var block = 0; block < count; block += Groups * T.Count)
        {
            var groups = Math.Min(Groups, (count - block) / T.Count);
            for (var g = 0; g < Groups; g++)
            {
                if (g < groups)
                {
                    var first = block + (g * T.Count);
                    signs[g] = EvaluateLanes(Load(registers, sampled, inputs, first), rates, flows.AsSpan(g * length, length), outputs, start + first);
                }
                else
                {
                    // Past the end, a group repeats the first so that every chain has flows to work on.
                    flows.AsSpan(0, length).CopyTo(flows.AsSpan(g * length));
                    signs[g] = signs[0];
                }
            }

            Irr(flows, signs, groups, irr, scratch.Searches, block);
            irr[..(groups * T.Count)].CopyTo(outputs.IrrAfterTax.AsSpan(start + block));
        }

        scratch.Searches.Solve(outputs.IrrAfterTax.AsSpan(start, count));
    }

    private static ReadOnlySpan<T> Load(Span<T> registers, int[] sampled, double[]?[] inputs, int index)
    {
        foreach (var j in sampled)
        {
            registers[j] = T.Load(ref inputs[j]![index]);
        }

        return registers;
    }

    /// <summary>
    /// The IRR of <see cref="ModelKernel.Groups"/> groups of lanes of cash flows (each period-major, <c>T.Count</c> values per period), by
    /// the steps of <see cref="CashFlowMath.Irr"/>: Newton's method from 10 % in all lanes at once, then the first-root check;
    /// a lane where that does not settle it is queued for the <see cref="IrrSearch"/> the scalar model would go on to.
    /// </summary>
    /// <remarks>
    /// The first <paramref name="groups"/> groups are iterations from <paramref name="block"/> on, among those of the
    /// <see cref="Evaluate"/> call; the others only repeat the first. Four explicit chains keep Horner's rule in registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Irr(double[] flows, ReadOnlySpan<SignChanges> signs, int groups, Span<double> irr, IrrSearchBatch searches, int block)
    {
        var periods = _plan.Periods;
        var length = periods * T.Count;
        var zero = T.Zero;
        ReadOnlySpan<double> f0 = flows.AsSpan(0, length), f1 = flows.AsSpan(length, length);
        ReadOnlySpan<double> f2 = flows.AsSpan(2 * length, length), f3 = flows.AsSpan(3 * length, length);
        T active0 = Solvable(signs[0]), active1 = Solvable(signs[1]), active2 = Solvable(signs[2]), active3 = Solvable(signs[3]);
        T converged0 = zero, converged1 = zero, converged2 = zero, converged3 = zero;
        var x0 = T.Create(CashFlowMath.NewtonStart);
        T x1 = x0, x2 = x0, x3 = x0;

        // Each pass takes P and P′ at the current x, then steps while any lane is active; the last pass, at the roots,
        // gives the slopes that the first-root check reads.
        T slope0, slope1, slope2, slope3;
        for (var i = 0; ; i++)
        {
            T p0 = zero, p1 = zero, p2 = zero, p3 = zero;
            (slope0, slope1, slope2, slope3) = (zero, zero, zero, zero);
            for (var t = length - T.Count; t >= 0; t -= T.Count)
            {
                slope0 = slope0 * x0 + p0;
                p0 = p0 * x0 + T.Load(in f0[t]);
                slope1 = slope1 * x1 + p1;
                p1 = p1 * x1 + T.Load(in f1[t]);
                slope2 = slope2 * x2 + p2;
                p2 = p2 * x2 + T.Load(in f2[t]);
                slope3 = slope3 * x3 + p3;
                p3 = p3 * x3 + T.Load(in f3[t]);
            }

            if (i == CashFlowMath.NewtonIterations || !T.Any(active0 | active1 | active2 | active3))
            {
                break;
            }

            NewtonStep(ref x0, ref active0, ref converged0, p0, slope0);
            NewtonStep(ref x1, ref active1, ref converged1, p1, slope1);
            NewtonStep(ref x2, ref active2, ref converged2, p2, slope2);
            NewtonStep(ref x3, ref active3, ref converged3, p3, slope3);
        }

        ReadOnlySpan<T> roots = [x0, x1, x2, x3];
        ReadOnlySpan<T> slopes = [slope0, slope1, slope2, slope3];
        ReadOnlySpan<T> converged = [converged0, converged1, converged2, converged3];
        for (var g = 0; g < groups; g++)
        {
            Finish(flows.AsSpan(g * length, length), signs[g], roots[g], slopes[g], converged[g], irr.Slice(g * T.Count, T.Count), searches, block + (g * T.Count));
        }
    }

    /// <summary>The lanes whose flows change sign: Newton's method tries those first.</summary>
    private static T Solvable(SignChanges signs) => T.GreaterThan(signs.Count, T.Zero);

    /// <summary>One step of <see cref="CashFlowMath.Newton"/> in the lanes still active.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NewtonStep(ref T x, ref T active, ref T converged, T p, T slope)
    {
        var next = x - p / slope;
        var bad = ~(T.GreaterThan(next, T.Zero) & T.LessThan(next, T.Create(double.PositiveInfinity)));
        var settled = T.LessThanOrEqual(T.Abs(next - x), T.Create(1e-15) * next) & ~bad;
        x = T.Select(active & ~bad, next, x);
        converged |= active & settled;
        active &= ~(bad | settled);
    }

    /// <summary>
    /// <see cref="CashFlowMath.IsFirstRoot"/> in every lane with one or two sign changes where Newton's method settled (in
    /// range, and for two sign changes the slope at the root, <paramref name="slope"/>, leaves the lowest coefficient's
    /// sign); the other lanes with sign changes are queued for the search, with the root Newton settled on.
    /// </summary>
    private static void Finish(ReadOnlySpan<double> cashFlows, SignChanges signs, T x, T slope, T converged, Span<double> irr, IrrSearchBatch searches, int group)
    {
        var zero = T.Zero;
        var periods = cashFlows.Length / T.Count;
        var leaves = (T.LessThan(signs.Lowest, zero) & T.GreaterThan(slope, zero))
            | (T.GreaterThan(signs.Lowest, zero) & T.LessThan(slope, zero));
        var first = converged
            & T.GreaterThanOrEqual(x, T.Create(CashFlowMath.MinX)) & T.LessThan(x, T.Create(CashFlowMath.MaxX))
            & (T.Equal(signs.Count, T.Create(1.0)) | (T.Equal(signs.Count, T.Create(2.0)) & leaves));
        var none = T.Equal(signs.Count, zero);
        T.Select(first, T.Create(1.0) / x - T.Create(1.0), T.Create(double.NaN)).Store(ref irr[0]);
        if (T.All(first | none))
        {
            return;
        }

        Span<double> flows = stackalloc double[periods];
        for (var lane = 0; lane < T.Count; lane++)
        {
            if (first[lane] == 0 && none[lane] == 0)
            {
                for (var t = 0; t < periods; t++)
                {
                    flows[t] = cashFlows[(t * T.Count) + lane];
                }

                searches.Add(flows, (int)signs.Count[lane], converged[lane] != 0 ? x[lane] : double.NaN, group + lane);
            }
        }
    }

    /// <param name="registers">Every register's value in each lane; see <see cref="ModelKernel._registerValues"/>.</param>
    /// <param name="scratch">Room for the lanes' <see cref="Rates"/>.</param>
    /// <param name="cashFlows">Where the lanes' after-tax cash flows go.</param>
    /// <param name="outputs">The output columns.</param>
    /// <param name="i">Iteration of the first lane, its index in <paramref name="outputs"/>.</param>
    /// <returns>The sign changes of the after-tax cash flows, as <see cref="CashFlowMath.SignChanges"/> counts them.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SignChanges EvaluateLanes(ReadOnlySpan<T> registers, Span<T> scratch, Span<double> cashFlows, OutputColumns outputs, int i)
    {
        var plan = _plan;
        var zero = T.Zero;
        var one = T.Create(1.0);
        var r = Rates.Of(this, registers, scratch);
        Span<T> margin = r.Margin, receivable = r.Receivable, fixedCosts = r.FixedCosts, capital = r.Capital;
        var (perTonneMined, perTonneWaste, perTonneProcessed) = (r.PerTonneMined, r.PerTonneWaste, r.PerTonneProcessed);
        var taxRate = registers[_taxRate];
        var payable = T.Create(plan.PayableFraction);
        T losses = zero, previousWorkingCapital = zero, npvAfterTax = zero, npvPreTax = zero;
        T cumulative = zero, minimum = zero, found = zero;

        // The period, cumulative flow before it and flow of the turn to ≥ 0, for payback's one division after the loop.
        T turnPeriod = zero, turnPrevious = zero, turnFlow = one;
        T signChanges = zero, lastNonZero = zero, firstNonZero = zero;
        var finite = ~zero;
        var last = plan.Periods - 1;
        for (var t = 0; t <= last; t++)
        {
            var row = _rows.AsSpan(t * _stride, _stride);
            var opex = (T.Create(row[OreMined]) * perTonneMined) + (T.Create(row[Waste]) * perTonneWaste)
                + (T.Create(row[OreProcessed]) * perTonneProcessed) + fixedCosts[_fixedCosts[t]];
            T margins = zero, receivables = zero;
            for (var k = 0; k < margin.Length; k++)
            {
                var contained = T.Create(row[Contained + k]);
                margins += contained * margin[k];
                receivables += contained * receivable[k];
            }

            T spent = zero, deducted = zero;
            for (var q = 0; q < capital.Length; q++)
            {
                spent += T.Create(row[_capitalAt + q]) * capital[q];
                deducted += T.Create(row[_deductionsAt + q]) * capital[q];
            }

            // Tax, with losses carried forward as the scalar model does.
            var ebitda = margins - opex;
            var taxable = ebitda - deducted;
            var lossesUsed = zero;
            if (plan.LossCarryForward)
            {
                var loss = T.LessThan(taxable, zero);
                lossesUsed = T.Select(loss, zero, T.Min(losses, taxable));
                losses = T.Select(loss, losses - taxable, losses - lossesUsed);
            }

            var tax = taxRate * T.Max(zero, taxable - lossesUsed);
            var workingCapital = t == last ? zero : receivables - (opex * payable);
            var workingCapitalChange = previousWorkingCapital - workingCapital;
            previousWorkingCapital = workingCapital;
            var preTax = ebitda - spent + workingCapitalChange;
            var afterTax = preTax - tax;
            npvAfterTax += afterTax * T.Create(row[Discount]);
            npvPreTax += preTax * T.Create(row[PreTaxDiscount]);
            afterTax.Store(ref cashFlows[t * T.Count]);

            // Payback and peak funding as CashFlowMath.Payback and CashFlowCalculator.PeakFunding find them.
            var previous = cumulative;
            cumulative += afterTax;
            var turned = ~found & T.LessThan(previous, zero) & T.GreaterThanOrEqual(cumulative, zero);
            turnPeriod = T.Select(turned, T.Create((double)t), turnPeriod);
            turnPrevious = T.Select(turned, previous, turnPrevious);
            turnFlow = T.Select(turned, afterTax, turnFlow);
            found |= turned;
            finite &= T.Equal(afterTax - afterTax, zero);
            minimum = T.Min(minimum, cumulative);

            // The sign changes of the non-zero flows, and the first of them, as CashFlowMath.SignChanges counts them: a
            // change is a non-zero flow whose sign bit differs from the last non-zero flow's.
            var nonZero = ~T.Equal(afterTax, zero);
            var flipped = T.SignsDiffer(afterTax, lastNonZero);
            signChanges += nonZero & flipped & ~T.Equal(lastNonZero, zero) & one;
            lastNonZero = T.Select(nonZero, afterTax, lastNonZero);
            firstNonZero = T.Select(T.Equal(firstNonZero, zero), afterTax, firstNonZero);
        }

        var nan = T.Create(double.NaN);

        // The cumulative flow was negative at some point exactly when its minimum is (a NaN flow makes payback NaN below).
        var payback = T.Select(found, turnPeriod + (-turnPrevious / turnFlow), T.Select(T.LessThan(minimum, zero), nan, zero));
        T.Select(finite, payback, nan).Store(ref outputs.PaybackYears[i]);
        (-minimum).Store(ref outputs.PeakFunding[i]);
        npvAfterTax.Store(ref outputs.NpvAfterTax[i]);
        npvPreTax.Store(ref outputs.NpvPreTax[i]);

        // C1 and AISC per payable primary unit, absent (NaN) without primary production.
        var some = T.GreaterThan(r.PrimaryPayable, zero);
        var cashCost = T.Select(some, (r.Opex + r.PrimarySelling - r.ByProductNsr) / r.PrimaryPayable, nan);
        var aisc = cashCost + ((r.Royalties + r.Sustaining) / r.PrimaryPayable);
        cashCost.Store(ref outputs.CashCostPerUnit[i]);
        aisc.Store(ref outputs.AiscPerUnit[i]);

        // A flow that is not finite leaves no rate to find (CashFlowMath.SignChanges gives 0).
        return new SignChanges(signChanges & finite, firstNonZero);
    }

    /// <summary>
    /// What one group of lanes pays and earns per unit of each column of the table, and its life-of-mine totals: the
    /// rates that the period loop multiplies the table by.
    /// </summary>
    private readonly ref struct Rates
    {
        /// <summary>Per product, per contained unit: net smelter return less royalties, and net smelter return × receivable days.</summary>
        public Span<T> Margin { get; init; }

        public Span<T> Receivable { get; init; }

        /// <summary>Per fleets at work (0, 1, ... all), the operating costs of a period that do not scale with tonnes; then 0, for a period that does not operate.</summary>
        public Span<T> FixedCosts { get; init; }

        /// <summary>Per capital rate, its amount × factor.</summary>
        public Span<T> Capital { get; init; }

        public T PerTonneMined { get; init; }

        public T PerTonneWaste { get; init; }

        public T PerTonneProcessed { get; init; }

        /// <summary>Life-of-mine opex, royalties, sustaining capital, by-products' NSR, and the primary product's selling costs and payable units.</summary>
        public T Opex { get; init; }

        public T Royalties { get; init; }

        public T Sustaining { get; init; }

        public T ByProductNsr { get; init; }

        public T PrimarySelling { get; init; }

        public T PrimaryPayable { get; init; }

        /// <summary>Length of the scratch that <see cref="Of"/> needs.</summary>
        public static int Count(int products, int fleets, int capitalRates) => (2 * products) + fleets + 2 + capitalRates;

        /// <summary>The rates of the lanes whose registers are given, the spans in <paramref name="scratch"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Rates Of(ModelKernel<T> kernel, ReadOnlySpan<T> registers, Span<T> scratch)
        {
            var zero = T.Zero;
            var (products, fleets, rates) = (kernel._products, kernel._fleets, kernel._capitalRates);
            var margin = scratch[..products.Length];
            var receivable = scratch.Slice(products.Length, products.Length);
            var fixedCosts = scratch.Slice(2 * products.Length, fleets.Length + 2);
            var capital = scratch.Slice((2 * products.Length) + fleets.Length + 2, rates.Length);

            // Revenue per contained unit: recovered, paid, priced; royalties on NSR or on gross revenue.
            var perContained = registers[kernel._throughput] * registers[kernel._grade];
            var receivableFraction = T.Create(kernel._plan.ReceivableFraction);
            T royalties = zero, byProductNsr = zero, primarySelling = zero, primaryPayable = zero;
            for (var k = 0; k < products.Length; k++)
            {
                ref readonly var product = ref products[k];
                var paid = perContained * T.Create(product.PayableUnits) * registers[product.Recovery] * registers[product.Payability];
                var gross = paid * registers[product.Price];
                var selling = paid * registers[product.SellingCost];
                var nsr = gross - selling;
                var royalty = zero;
                foreach (var rate in kernel._royalties)
                {
                    royalty += registers[rate.Rate] * (rate.OnNsr ? nsr : gross);
                }

                (margin[k], receivable[k]) = (nsr - royalty, nsr * receivableFraction);
                var contained = T.Create(kernel._totalContained[k]);
                royalties += contained * royalty;
                if (k == kernel._plan.PrimaryIndex)
                {
                    (primarySelling, primaryPayable) = (contained * selling, contained * paid);
                }
                else
                {
                    byProductNsr += contained * nsr;
                }
            }

            // Operating costs per tonne mined (ore scales with throughput, waste does not), per tonne processed, and per
            // operating period; each consumable costs its price and its carbon.
            T mined = registers[kernel._mining], processed = registers[kernel._processing], perPeriod = registers[kernel._generalAndAdmin];
            var carbonPrice = registers[kernel._carbonPrice];
            foreach (var consumable in kernel._consumables)
            {
                var cost = registers[consumable.Rate] * (registers[consumable.Price] + (T.Create(consumable.Co2eTonnesPerUnit) * carbonPrice));
                switch (consumable.Driver)
                {
                    case ConsumableDriver.TonneMined: mined += cost; break;
                    case ConsumableDriver.TonneProcessed: processed += cost; break;
                    default: perPeriod += cost; break;
                }
            }

            var (factor, throughput) = (registers[kernel._opexFactor], registers[kernel._throughput]);
            var perTonneWaste = mined * factor;
            var perTonneMined = perTonneWaste * throughput;
            var perTonneProcessed = processed * factor * throughput;
            fixedCosts[0] = perPeriod * factor;
            for (var f = 0; f < fleets.Length; f++)
            {
                fixedCosts[f + 1] = fixedCosts[f] + (T.Create(fleets[f].Hours) * registers[fleets[f].CostPerHour] * factor);
            }

            fixedCosts[^1] = zero;
            var opex = (T.Create(kernel._totalOreMined) * perTonneMined) + (T.Create(kernel._totalWaste) * perTonneWaste)
                + (T.Create(kernel._totalOreProcessed) * perTonneProcessed);
            for (var n = 0; n < fixedCosts.Length; n++)
            {
                opex += T.Create(kernel._fixedCostPeriods[n]) * fixedCosts[n];
            }

            var sustaining = zero;
            for (var q = 0; q < rates.Length; q++)
            {
                capital[q] = registers[rates[q].Amount] * registers[rates[q].Factor];
                sustaining += T.Create(kernel._totalSustaining[q]) * capital[q];
            }

            return new Rates
            {
                Margin = margin,
                Receivable = receivable,
                FixedCosts = fixedCosts,
                Capital = capital,
                PerTonneMined = perTonneMined,
                PerTonneWaste = perTonneWaste,
                PerTonneProcessed = perTonneProcessed,
                Opex = opex,
                Royalties = royalties,
                Sustaining = sustaining,
                ByProductNsr = byProductNsr,
                PrimarySelling = primarySelling,
                PrimaryPayable = primaryPayable,
            };
        }
    }

    /// <summary>Per lane, how often the non-zero after-tax flows change sign, and the first of them (the lowest coefficient of P; 0 if none).</summary>
    private readonly record struct SignChanges(T Count, T Lowest);
}
