using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Simulation.Engine;

/// <summary>
/// The cash-flow model of <see cref="CashFlowCalculator"/> evaluated four iterations at a time in
/// <see cref="Vector256{T}"/> lanes, the period loop running with every running total in registers.
/// Each lane performs exactly the scalar model's operations in the scalar model's order (no fused
/// multiply-adds), so every iteration's outputs equal the scalar model run on its inputs, bit for bit.
/// </summary>
internal sealed class ModelKernel
{
    public const int Lanes = 4;

    private readonly ScenarioPlan _plan;
    private readonly double[] _base;
    private readonly double[] _discount;
    private readonly double[] _preTaxDiscount;

    /// <param name="plan">The compiled scenario.</param>
    public ModelKernel(ScenarioPlan plan)
    {
        _plan = plan;
        _base = plan.BaseValues;
        var document = plan.Document;
        _discount = [.. Enumerable.Range(0, plan.Periods).Select(t => CashFlowMath.DiscountFactor(t, document.DiscountRate, document.Discounting))];

        // The pre-tax NPV is discounted as CashFlowMath.Npv does it: a running product of 1/(1 + r).
        _preTaxDiscount = new double[plan.Periods];
        var v = 1 / (1 + document.DiscountRate);
        var factor = document.Discounting == Discounting.MidPeriod ? Math.Sqrt(v) : v;
        for (var t = 0; t < plan.Periods; t++)
        {
            _preTaxDiscount[t] = factor;
            factor *= v;
        }
    }

    /// <summary>Evaluates iterations [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>); <paramref name="count"/> is a multiple of <see cref="Lanes"/>.</summary>
    /// <param name="inputs">Per parameter of the plan, its sampled values from iteration <paramref name="start"/> on (at least <paramref name="count"/>), or null to hold its base value.</param>
    /// <param name="start">First iteration, a multiple of <see cref="Lanes"/>.</param>
    /// <param name="count">Number of iterations.</param>
    /// <param name="outputs">Where the outputs of each iteration go.</param>
    /// <param name="cashFlows">Scratch of at least periods × <paramref name="count"/> values.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(double[]?[] inputs, int start, int count, OutputColumns outputs, Span<double> cashFlows)
    {
        var periods = _plan.Periods;
        for (var group = 0; group < count; group += Lanes)
        {
            var groupFlows = cashFlows.Slice(group * periods, Lanes * periods);
            EvaluateLanes(inputs, group, start + group, groupFlows, outputs);
            Irr(groupFlows, outputs.IrrAfterTax.AsSpan(start + group, Lanes));
        }
    }

    /// <summary>
    /// The IRR of four lanes of cash flows (period-major, <see cref="Lanes"/> values per period), by the steps of
    /// <see cref="CashFlowMath.Irr"/>: Newton's method from 10 % in all lanes at once, then the first-root check
    /// per lane; a lane where that does not settle it goes on to the scalar kernel's root search, as the scalar kernel would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Irr(ReadOnlySpan<double> cashFlows, Span<double> irr)
    {
        var periods = _plan.Periods;
        Span<double> flows = stackalloc double[periods];
        Span<int> signChanges = stackalloc int[Lanes];
        Span<int> lowestSign = stackalloc int[Lanes];
        Span<double> activeLanes = stackalloc double[Lanes];
        for (var lane = 0; lane < Lanes; lane++)
        {
            Lane(cashFlows, lane, flows);
            signChanges[lane] = CashFlowMath.SignChanges(flows, out lowestSign[lane]);
            activeLanes[lane] = signChanges[lane] is 1 or 2 ? 1 : 0;
        }

        var active = Vector256.GreaterThan(Vector256.Create(activeLanes), Vector256<double>.Zero);
        var converged = Vector256<double>.Zero;
        var x = Vector256.Create(CashFlowMath.NewtonStart);
        var tolerance = Vector256.Create(1e-15);
        for (var i = 0; i < CashFlowMath.NewtonIterations && active != Vector256<double>.Zero; i++)
        {
            Vector256<double> p = Vector256<double>.Zero, slope = Vector256<double>.Zero;
            for (var t = periods - 1; t >= 0; t--)
            {
                slope = slope * x + p;
                p = p * x + Vector256.LoadUnsafe(in cashFlows[t * Lanes]);
            }

            var next = x - p / slope;
            var bad = ~(Vector256.GreaterThan(next, Vector256<double>.Zero) & Vector256.LessThan(next, Vector256.Create(double.PositiveInfinity)));
            var settled = Vector256.LessThanOrEqual(Vector256.Abs(next - x), tolerance * next) & ~bad;
            x = Vector256.ConditionalSelect(active & ~bad, next, x);
            converged |= active & settled;
            active &= ~(bad | settled);
        }

        for (var lane = 0; lane < Lanes; lane++)
        {
            Lane(cashFlows, lane, flows);
            var root = x.GetElement(lane);
            irr[lane] = signChanges[lane] == 0
                ? double.NaN
                : converged.GetElement(lane) != 0 && CashFlowMath.IsFirstRoot(flows, root, signChanges[lane], lowestSign[lane])
                    ? 1 / root - 1
                    : CashFlowMath.RootSearch(flows, signChanges[lane]);
        }
    }

    private static void Lane(ReadOnlySpan<double> cashFlows, int lane, Span<double> flows)
    {
        for (var t = 0; t < flows.Length; t++)
        {
            flows[t] = cashFlows[(t * Lanes) + lane];
        }
    }

    private Vector256<double> Load(double[]?[] inputs, Slot slot, int index) =>
        slot.Parameter < 0
            ? Vector256.Create(slot.Constant)
            : inputs[slot.Parameter] is { } column
                ? Vector256.LoadUnsafe(ref column[index])
                : Vector256.Create(_base[slot.Parameter]);

    /// <param name="inputs">As for <see cref="Evaluate"/>.</param>
    /// <param name="local">Index of the first lane in <paramref name="inputs"/>.</param>
    /// <param name="i">Iteration of the first lane, its index in <paramref name="outputs"/>.</param>
    /// <param name="cashFlows">Where the lanes' after-tax cash flows go.</param>
    /// <param name="outputs">The output columns.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EvaluateLanes(double[]?[] inputs, int local, int i, Span<double> cashFlows, OutputColumns outputs)
    {
        var plan = _plan;
        var zero = Vector256<double>.Zero;
        var grade = Load(inputs, plan.GradeFactor, local);
        var throughput = Load(inputs, plan.ThroughputFactor, local);
        var opexFactor = Load(inputs, plan.OperatingCostFactor, local);
        var mining = Load(inputs, plan.MiningPerTonne, local);
        var processing = Load(inputs, plan.ProcessingPerTonne, local);
        var generalAndAdmin = Load(inputs, plan.GeneralAndAdmin, local);
        var carbonPrice = Load(inputs, plan.CarbonPrice, local);
        var initialFactor = Load(inputs, plan.InitialCapitalFactor, local);
        var sustainingFactor = Load(inputs, plan.SustainingCapitalFactor, local);
        var taxRate = Load(inputs, plan.TaxRate, local);

        // Capital items: their amounts with contingency and factor, as the scalar model computes them.
        var items = plan.Capital;
        Span<Vector256<double>> amounts = stackalloc Vector256<double>[items.Length];
        for (var c = 0; c < items.Length; c++)
        {
            var factor = items[c].Category switch
            {
                CapitalCategory.Initial => initialFactor,
                CapitalCategory.Sustaining => sustainingFactor,
                _ => Vector256.Create(1.0),
            };
            amounts[c] = Load(inputs, items[c].Amount, local) * Vector256.Create(items[c].WithContingency) * factor;
        }

        var products = plan.Products;
        var primary = plan.PrimaryIndex;
        Vector256<double> losses = zero, previousWorkingCapital = zero, npvAfterTax = zero, npvPreTax = zero;
        Vector256<double> totalOpex = zero, totalPrimaryGross = zero, totalPrimarySelling = zero, totalNsr = zero;
        Vector256<double> totalRoyalties = zero, totalSustaining = zero, totalPrimaryPayable = zero;
        Vector256<double> cumulative = zero, minimum = zero, payback = zero, found = zero, everNegative = zero;
        var finite = Vector256<double>.AllBitsSet;
        var receivable = Vector256.Create(plan.ReceivableFraction);
        var payable = Vector256.Create(plan.PayableFraction);
        for (var t = 0; t < plan.Periods; t++)
        {
            var oreMined = Vector256.Create(plan.OreMined[t]) * throughput;
            var oreProcessed = Vector256.Create(plan.OreProcessed[t]) * throughput;
            var waste = Vector256.Create(plan.WasteMined[t]);

            Vector256<double> gross = zero, selling = zero, primaryGross = zero, primarySelling = zero, primaryPayable = zero;
            for (var k = 0; k < products.Length; k++)
            {
                var product = products[k];
                var contained = oreProcessed * Vector256.Create(product.Grade[t]) * grade * Vector256.Create(product.PayableUnitsPerTonneGrade);
                var recovered = contained * Load(inputs, product.Recovery, local);
                var paid = recovered * Load(inputs, product.Payability, local);
                var productGross = paid * Load(inputs, product.Price, local);
                var productSelling = paid * Load(inputs, product.SellingCost, local);
                gross += productGross;
                selling += productSelling;
                if (k == primary)
                {
                    (primaryGross, primarySelling, primaryPayable) = (productGross, productSelling, paid);
                }
            }

            var nsr = gross - selling;
            var royalties = zero;
            foreach (var royalty in plan.Royalties)
            {
                royalties += Load(inputs, royalty.Rate, local) * (royalty.Basis == RoyaltyBasis.Nsr ? nsr : gross);
            }

            var operating = plan.Operating[t];
            Vector256<double> consumables = zero, co2e = zero;
            foreach (var consumable in plan.Consumables)
            {
                var driver = consumable.Driver switch
                {
                    ConsumableDriver.TonneMined => oreMined + waste,
                    ConsumableDriver.TonneProcessed => oreProcessed,
                    _ => Vector256.Create(operating ? 1.0 : 0.0),
                };
                var quantity = Load(inputs, consumable.Rate, local) * driver;
                consumables += quantity * Load(inputs, consumable.Price, local);
                co2e += quantity * Vector256.Create(consumable.Co2eTonnesPerUnit);
            }

            var equipment = zero;
            if (operating)
            {
                foreach (var fleet in plan.Fleets)
                {
                    if (t >= fleet.PurchasePeriod)
                    {
                        equipment += Vector256.Create(fleet.Count * fleet.HoursPerPeriod) * Load(inputs, fleet.CostPerHour, local);
                    }
                }
            }

            var opex = (oreMined + waste) * mining * opexFactor
                + oreProcessed * processing * opexFactor
                + (operating ? generalAndAdmin * opexFactor : zero)
                + consumables * opexFactor
                + co2e * carbonPrice * opexFactor
                + equipment * opexFactor;

            var initial = Vector256.Create(plan.EquipmentInitial[t]) * initialFactor;
            var sustaining = Vector256.Create(plan.EquipmentSustaining[t]) * sustainingFactor;
            var closure = zero;
            var depreciation = Vector256.Create(plan.EquipmentInitialDepreciation[t]) * initialFactor
                + Vector256.Create(plan.EquipmentSustainingDepreciation[t]) * sustainingFactor;
            for (var c = 0; c < items.Length; c++)
            {
                var item = items[c];
                if (item.Period == t)
                {
                    switch (item.Category)
                    {
                        case CapitalCategory.Initial: initial += amounts[c]; break;
                        case CapitalCategory.Sustaining: sustaining += amounts[c]; break;
                        default: closure += amounts[c]; break;
                    }
                }

                // Adding the scalar model's zero terms would change nothing, so they are skipped.
                if (item.Depreciation[t] != 0)
                {
                    depreciation += amounts[c] * Vector256.Create(item.Depreciation[t]);
                }
            }

            var capital = initial + sustaining + closure;

            // Tax, with losses carried forward as the scalar model does.
            var ebitda = nsr - royalties - opex;
            var taxable = ebitda - depreciation - closure;
            var lossesUsed = zero;
            if (plan.LossCarryForward)
            {
                var loss = Vector256.LessThan(taxable, zero);
                lossesUsed = Vector256.ConditionalSelect(loss, zero, Vector256.Min(losses, taxable));
                losses = Vector256.ConditionalSelect(loss, losses - taxable, losses - lossesUsed);
            }

            var tax = taxRate * Vector256.Max(zero, taxable - lossesUsed);
            var workingCapital = t == plan.Periods - 1 ? zero : nsr * receivable - opex * payable;
            var workingCapitalChange = previousWorkingCapital - workingCapital;
            previousWorkingCapital = workingCapital;
            var preTax = ebitda - capital + workingCapitalChange;
            var afterTax = preTax - tax;
            npvAfterTax += afterTax * Vector256.Create(_discount[t]);
            npvPreTax += preTax * Vector256.Create(_preTaxDiscount[t]);
            afterTax.StoreUnsafe(ref cashFlows[t * Lanes]);

            // Payback and peak funding as CashFlowMath.Payback and CashFlowCalculator.PeakFunding find them.
            var previous = cumulative;
            cumulative += afterTax;
            var turned = ~found & Vector256.LessThan(previous, zero) & Vector256.GreaterThanOrEqual(cumulative, zero);
            payback = Vector256.ConditionalSelect(turned, Vector256.Create((double)t) + (-previous / afterTax), payback);
            found |= turned;
            everNegative |= Vector256.LessThan(cumulative, zero);
            finite &= Vector256.Equals(afterTax - afterTax, zero);
            minimum = Vector256.Min(minimum, cumulative);

            totalOpex += opex;
            totalPrimaryGross += primaryGross;
            totalPrimarySelling += primarySelling;
            totalNsr += nsr;
            totalRoyalties += royalties;
            totalSustaining += sustaining;
            totalPrimaryPayable += primaryPayable;
        }

        var nan = Vector256.Create(double.NaN);
        payback = Vector256.ConditionalSelect(found, payback, Vector256.ConditionalSelect(everNegative, nan, zero));
        Vector256.ConditionalSelect(finite, payback, nan).StoreUnsafe(ref outputs.PaybackYears[i]);
        (-minimum).StoreUnsafe(ref outputs.PeakFunding[i]);
        npvAfterTax.StoreUnsafe(ref outputs.NpvAfterTax[i]);
        npvPreTax.StoreUnsafe(ref outputs.NpvPreTax[i]);

        // C1 and AISC per payable primary unit, absent (NaN) without primary production.
        var byProductNsr = totalNsr - (totalPrimaryGross - totalPrimarySelling);
        var some = Vector256.GreaterThan(totalPrimaryPayable, zero);
        var cashCost = Vector256.ConditionalSelect(some, (totalOpex + totalPrimarySelling - byProductNsr) / totalPrimaryPayable, nan);
        var aisc = cashCost + (totalRoyalties + totalSustaining) / totalPrimaryPayable;
        cashCost.StoreUnsafe(ref outputs.CashCostPerUnit[i]);
        aisc.StoreUnsafe(ref outputs.AiscPerUnit[i]);
    }
}
