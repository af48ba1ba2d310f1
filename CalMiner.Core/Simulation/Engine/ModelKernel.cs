using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Simulation.Engine;

/// <summary>
/// The cash-flow model of <see cref="CashFlowCalculator"/> evaluated several iterations at a time in vector
/// lanes (<see cref="ILanes{T}"/>: eight where the machine has 512-bit vectors, four with 256-bit, else two), the period loop
/// running with every running total in registers.
/// Each lane performs exactly the scalar model's operations in the scalar model's order (no fused
/// multiply-adds), so every iteration's outputs equal the scalar model run on its inputs, bit for bit.
/// </summary>
/// <remarks>
/// The plan is compiled once into flat tables: every bindable input becomes a register (a parameter, or a
/// constant after the parameters) and each period lists only the fleets, capital spends and depreciation that
/// touch it, so the period loop reads registers and never asks what an input is bound to.
/// </remarks>
internal abstract class ModelKernel
{
    /// <summary>What every lane width divides: iterations are evaluated in multiples of this.</summary>
    public const int Lanes = 8;

    /// <summary>Groups of lanes evaluated before their IRRs are solved together.</summary>
    private protected const int Groups = 4;

    private protected readonly ScenarioPlan _plan;
    private protected readonly PeriodTerms[] _periods;

    // Each register's value when no column is given: the parameters' base values, then the plan's constants.
    private protected readonly double[] _registerValues;
    private protected readonly int _grade, _throughput, _opexFactor, _mining, _processing, _generalAndAdmin, _carbonPrice;
    private protected readonly int _initialFactor, _sustainingFactor, _taxRate;
    private protected readonly ProductTerms[] _products;
    private protected readonly RoyaltyTerms[] _royalties;
    private protected readonly ConsumableTerms[] _consumables;
    private protected readonly CapitalTerms[] _capital;

    // What each period draws from, as ranges in PeriodTerms.
    private protected readonly (double Hours, int CostPerHour)[] _fleets;
    private protected readonly int[] _spends;
    private protected readonly (int Item, double Share)[] _depreciation;

    /// <param name="plan">The compiled scenario.</param>
    private protected ModelKernel(ScenarioPlan plan)
    {
        _plan = plan;
        var document = plan.Document;
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
        (_initialFactor, _sustainingFactor) = (Register(plan.InitialCapitalFactor), Register(plan.SustainingCapitalFactor));
        _products = [.. plan.Products.Select(p => new ProductTerms(
            p.Grade, p.PayableUnitsPerTonneGrade, Register(p.Recovery), Register(p.Payability), Register(p.Price), Register(p.SellingCost)))];
        _royalties = [.. plan.Royalties.Select(r => new RoyaltyTerms(Register(r.Rate), r.Basis == RoyaltyBasis.Nsr))];
        _consumables = [.. plan.Consumables.Select(c => new ConsumableTerms(c.Driver, Register(c.Rate), Register(c.Price), c.Co2eTonnesPerUnit))];
        var one = Register(new Slot(-1, 1.0));
        _capital = [.. plan.Capital.Select(c => new CapitalTerms(
            c.Category,
            Register(c.Amount),
            c.WithContingency,
            c.Category switch
            {
                CapitalCategory.Initial => _initialFactor,
                CapitalCategory.Sustaining => _sustainingFactor,
                _ => one,
            }))];

        // A fleet costs its hours in the operating periods from its purchase on, in the plan's order.
        _fleets = Flatten(
            plan.Periods,
            t => plan.Operating[t] ? plan.Fleets.Where(f => t >= f.PurchasePeriod).Select(f => (f.Count * f.HoursPerPeriod, Register(f.CostPerHour))) : [],
            out var fleetStart);

        // Capital spent and depreciated in each period, items in the plan's order; zero depreciation terms are
        // left out (adding them would change nothing).
        _spends = Flatten(plan.Periods, t => Enumerable.Range(0, plan.Capital.Length).Where(c => plan.Capital[c].Period == t), out var spendStart);
        _depreciation = Flatten(
            plan.Periods,
            t => Enumerable.Range(0, plan.Capital.Length).Where(c => plan.Capital[c].Depreciation[t] != 0).Select(c => (c, plan.Capital[c].Depreciation[t])),
            out var depreciationStart);
        _registerValues = [.. registers];

        // The pre-tax NPV is discounted as CashFlowMath.Npv does it: a running product of 1/(1 + r).
        _periods = new PeriodTerms[plan.Periods];
        var v = 1 / (1 + document.DiscountRate);
        var preTaxDiscount = document.Discounting == Discounting.MidPeriod ? Math.Sqrt(v) : v;
        for (var t = 0; t < plan.Periods; t++)
        {
            _periods[t] = new PeriodTerms(
                plan.OreMined[t], plan.OreProcessed[t], plan.WasteMined[t], plan.Operating[t],
                plan.EquipmentInitial[t], plan.EquipmentSustaining[t], plan.EquipmentInitialDepreciation[t], plan.EquipmentSustainingDepreciation[t],
                CashFlowMath.DiscountFactor(t, document.DiscountRate, document.Discounting), preTaxDiscount,
                (fleetStart[t], fleetStart[t + 1]), (spendStart[t], spendStart[t + 1]), (depreciationStart[t], depreciationStart[t + 1]));
            preTaxDiscount *= v;
        }
    }

    /// <summary>Every period's entries in one list; period t's are [start[t], start[t + 1]).</summary>
    private static TEntry[] Flatten<TEntry>(int periods, Func<int, IEnumerable<TEntry>> entries, out int[] start)
    {
        var all = new List<TEntry>();
        start = new int[periods + 1];
        for (var t = 0; t < periods; t++)
        {
            start[t] = all.Count;
            all.AddRange(entries(t));
        }

        start[periods] = all.Count;
        return [.. all];
    }

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

    /// <summary>A period's schedule, equipment capital, discount factors, and its ranges of the fleet, spend and depreciation lists.</summary>
    private protected readonly record struct PeriodTerms(
        double OreMined, double OreProcessed, double Waste, bool Operating,
        double EquipmentInitial, double EquipmentSustaining, double EquipmentInitialDepreciation, double EquipmentSustainingDepreciation,
        double Discount, double PreTaxDiscount,
        (int Start, int End) Fleets, (int Start, int End) Spends, (int Start, int End) Depreciation);

    private protected readonly record struct ProductTerms(double[] Grade, double PayableUnits, int Recovery, int Payability, int Price, int SellingCost);

    private protected readonly record struct RoyaltyTerms(int Rate, bool OnNsr);

    private protected readonly record struct ConsumableTerms(ConsumableDriver Driver, int Rate, int Price, double Co2eTonnesPerUnit);

    /// <summary>A capital item: the registers of its amount and of its factor (the category's, or 1 for closure).</summary>
    private protected readonly record struct CapitalTerms(CapitalCategory Category, int Amount, double WithContingency, int Factor);
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

        Span<T> amounts = stackalloc T[_capital.Length];
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
                    signs[g] = EvaluateLanes(Load(registers, sampled, inputs, first), amounts, flows.AsSpan(g * length, length), outputs, start + first);
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
    /// <param name="amounts">Scratch for the capital items' amounts.</param>
    /// <param name="cashFlows">Where the lanes' after-tax cash flows go.</param>
    /// <param name="outputs">The output columns.</param>
    /// <param name="i">Iteration of the first lane, its index in <paramref name="outputs"/>.</param>
    /// <returns>The sign changes of the after-tax cash flows, as <see cref="CashFlowMath.SignChanges"/> counts them.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SignChanges EvaluateLanes(ReadOnlySpan<T> registers, Span<T> amounts, Span<double> cashFlows, OutputColumns outputs, int i)
    {
        var plan = _plan;
        var zero = T.Zero;
        var one = T.Create(1.0);
        var grade = registers[_grade];
        var throughput = registers[_throughput];
        var opexFactor = registers[_opexFactor];
        var mining = registers[_mining];
        var processing = registers[_processing];
        var generalAndAdmin = registers[_generalAndAdmin];
        var carbonPrice = registers[_carbonPrice];
        var initialFactor = registers[_initialFactor];
        var sustainingFactor = registers[_sustainingFactor];
        var taxRate = registers[_taxRate];

        // Capital items: their amounts with contingency and factor, as the scalar model computes them.
        var items = _capital;
        for (var c = 0; c < items.Length; c++)
        {
            amounts[c] = registers[items[c].Amount] * T.Create(items[c].WithContingency) * registers[items[c].Factor];
        }

        var products = _products;
        var primary = plan.PrimaryIndex;
        T losses = zero, previousWorkingCapital = zero, npvAfterTax = zero, npvPreTax = zero;
        T totalOpex = zero, totalPrimaryGross = zero, totalPrimarySelling = zero, totalNsr = zero;
        T totalRoyalties = zero, totalSustaining = zero, totalPrimaryPayable = zero;
        T cumulative = zero, minimum = zero, found = zero;

        // The period, cumulative flow before it and flow of the turn to ≥ 0, for payback's one division after the loop.
        T turnPeriod = zero, turnPrevious = zero, turnFlow = one;
        T signChanges = zero, lastNonZero = zero, firstNonZero = zero;
        var finite = ~zero;
        var receivable = T.Create(plan.ReceivableFraction);
        var payable = T.Create(plan.PayableFraction);
        var last = plan.Periods - 1;
        for (var t = 0; t <= last; t++)
        {
            ref readonly var period = ref _periods[t];
            var oreMined = T.Create(period.OreMined) * throughput;
            var oreProcessed = T.Create(period.OreProcessed) * throughput;
            var waste = T.Create(period.Waste);

            T gross = zero, selling = zero, primaryGross = zero, primarySelling = zero, primaryPayable = zero;
            for (var k = 0; k < products.Length; k++)
            {
                ref readonly var product = ref products[k];
                var contained = oreProcessed * T.Create(product.Grade[t]) * grade * T.Create(product.PayableUnits);
                var recovered = contained * registers[product.Recovery];
                var paid = recovered * registers[product.Payability];
                var productGross = paid * registers[product.Price];
                var productSelling = paid * registers[product.SellingCost];
                gross += productGross;
                selling += productSelling;
                if (k == primary)
                {
                    (primaryGross, primarySelling, primaryPayable) = (productGross, productSelling, paid);
                }
            }

            var nsr = gross - selling;
            var royalties = zero;
            foreach (var royalty in _royalties)
            {
                royalties += registers[royalty.Rate] * (royalty.OnNsr ? nsr : gross);
            }

            var operating = period.Operating;
            T consumables = zero, co2e = zero;
            foreach (var consumable in _consumables)
            {
                var driver = consumable.Driver switch
                {
                    ConsumableDriver.TonneMined => oreMined + waste,
                    ConsumableDriver.TonneProcessed => oreProcessed,
                    _ => operating ? one : zero,
                };
                var quantity = registers[consumable.Rate] * driver;
                consumables += quantity * registers[consumable.Price];
                co2e += quantity * T.Create(consumable.Co2eTonnesPerUnit);
            }

            var equipment = zero;
            for (var f = period.Fleets.Start; f < period.Fleets.End; f++)
            {
                equipment += T.Create(_fleets[f].Hours) * registers[_fleets[f].CostPerHour];
            }

            var opex = (oreMined + waste) * mining * opexFactor
                + oreProcessed * processing * opexFactor
                + (operating ? generalAndAdmin * opexFactor : zero)
                + consumables * opexFactor
                + co2e * carbonPrice * opexFactor
                + equipment * opexFactor;

            var initial = T.Create(period.EquipmentInitial) * initialFactor;
            var sustaining = T.Create(period.EquipmentSustaining) * sustainingFactor;
            var closure = zero;
            var depreciation = T.Create(period.EquipmentInitialDepreciation) * initialFactor
                + T.Create(period.EquipmentSustainingDepreciation) * sustainingFactor;
            for (var s = period.Spends.Start; s < period.Spends.End; s++)
            {
                var c = _spends[s];
                switch (items[c].Category)
                {
                    case CapitalCategory.Initial: initial += amounts[c]; break;
                    case CapitalCategory.Sustaining: sustaining += amounts[c]; break;
                    default: closure += amounts[c]; break;
                }
            }

            for (var d = period.Depreciation.Start; d < period.Depreciation.End; d++)
            {
                depreciation += amounts[_depreciation[d].Item] * T.Create(_depreciation[d].Share);
            }

            var capital = initial + sustaining + closure;

            // Tax, with losses carried forward as the scalar model does.
            var ebitda = nsr - royalties - opex;
            var taxable = ebitda - depreciation - closure;
            var lossesUsed = zero;
            if (plan.LossCarryForward)
            {
                var loss = T.LessThan(taxable, zero);
                lossesUsed = T.Select(loss, zero, T.Min(losses, taxable));
                losses = T.Select(loss, losses - taxable, losses - lossesUsed);
            }

            var tax = taxRate * T.Max(zero, taxable - lossesUsed);
            var workingCapital = t == last ? zero : nsr * receivable - opex * payable;
            var workingCapitalChange = previousWorkingCapital - workingCapital;
            previousWorkingCapital = workingCapital;
            var preTax = ebitda - capital + workingCapitalChange;
            var afterTax = preTax - tax;
            npvAfterTax += afterTax * T.Create(period.Discount);
            npvPreTax += preTax * T.Create(period.PreTaxDiscount);
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

            totalOpex += opex;
            totalPrimaryGross += primaryGross;
            totalPrimarySelling += primarySelling;
            totalNsr += nsr;
            totalRoyalties += royalties;
            totalSustaining += sustaining;
            totalPrimaryPayable += primaryPayable;
        }

        var nan = T.Create(double.NaN);

        // The cumulative flow was negative at some point exactly when its minimum is (a NaN flow makes payback NaN below).
        var payback = T.Select(found, turnPeriod + (-turnPrevious / turnFlow), T.Select(T.LessThan(minimum, zero), nan, zero));
        T.Select(finite, payback, nan).Store(ref outputs.PaybackYears[i]);
        (-minimum).Store(ref outputs.PeakFunding[i]);
        npvAfterTax.Store(ref outputs.NpvAfterTax[i]);
        npvPreTax.Store(ref outputs.NpvPreTax[i]);

        // C1 and AISC per payable primary unit, absent (NaN) without primary production.
        var byProductNsr = totalNsr - (totalPrimaryGross - totalPrimarySelling);
        var some = T.GreaterThan(totalPrimaryPayable, zero);
        var cashCost = T.Select(some, (totalOpex + totalPrimarySelling - byProductNsr) / totalPrimaryPayable, nan);
        var aisc = cashCost + (totalRoyalties + totalSustaining) / totalPrimaryPayable;
        cashCost.Store(ref outputs.CashCostPerUnit[i]);
        aisc.Store(ref outputs.AiscPerUnit[i]);

        // A flow that is not finite leaves no rate to find (CashFlowMath.SignChanges gives 0).
        return new SignChanges(signChanges & finite, firstNonZero);
    }

    /// <summary>Per lane, how often the non-zero after-tax flows change sign, and the first of them (the lowest coefficient of P; 0 if none).</summary>
    private readonly record struct SignChanges(T Count, T Lowest);
}
