using System.Runtime.CompilerServices;
using CalMiner.Numerics;

namespace CalMiner.Model;

/// <summary>The kernel in lanes of <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The lanes: <see cref="Lanes2"/>, <see cref="Lanes4"/> or <see cref="Lanes8"/>.</typeparam>
internal sealed partial class ModelKernel<T>(ScenarioPlan plan) : ModelKernel(plan)
    where T : unmanaged, ILanes<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Evaluate(double[]?[] inputs, int start, int count, OutputColumns outputs, Scratch scratch)
    {
        var table = Table;
        Span<T> registers = stackalloc T[table.RegisterValues.Length];
        for (var r = 0; r < registers.Length; r++)
        {
            registers[r] = T.Create(table.RegisterValues[r]);
        }

        Span<T> rates = stackalloc T[Rates.Count(table.Products.Length, table.Fleets.Length, table.CapitalRates.Length)];
        var sampled = Enumerable.Range(0, inputs.Length).Where(j => inputs[j] is not null).ToArray();
        var flows = scratch.CashFlows;
        var length = table.Plan.Periods * T.Count;
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

    /// <param name="registers">Every register's value in each lane; see <see cref="KernelTable.RegisterValues"/>.</param>
    /// <param name="scratch">Room for the lanes' <see cref="Rates"/>.</param>
    /// <param name="cashFlows">Where the lanes' after-tax cash flows go.</param>
    /// <param name="outputs">The output columns.</param>
    /// <param name="i">Iteration of the first lane, its index in <paramref name="outputs"/>.</param>
    /// <returns>The sign changes of the after-tax cash flows, as <see cref="CashFlowMath.SignChanges"/> counts them.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SignChanges EvaluateLanes(ReadOnlySpan<T> registers, Span<T> scratch, Span<double> cashFlows, OutputColumns outputs, int i)
    {
        var table = Table;
        var plan = table.Plan;
        var (rows, stride, capitalAt, deductionsAt, fixedCostIndex) = (table.Rows, table.Stride, table.CapitalAt, table.DeductionsAt, table.FixedCostIndex);
        var zero = T.Zero;
        var one = T.Create(1.0);
        var r = Rates.Of(table, registers, scratch);
        Span<T> margin = r.Margin, receivable = r.Receivable, fixedCosts = r.FixedCosts, capital = r.Capital;
        var (perTonneMined, perTonneWaste, perTonneProcessed) = (r.PerTonneMined, r.PerTonneWaste, r.PerTonneProcessed);
        var taxRate = registers[table.TaxRateRegister];
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
            var row = rows.AsSpan(t * stride, stride);
            var opex = (T.Create(row[KernelTable.OreMinedColumn]) * perTonneMined) + (T.Create(row[KernelTable.WasteColumn]) * perTonneWaste)
                + (T.Create(row[KernelTable.OreProcessedColumn]) * perTonneProcessed) + fixedCosts[fixedCostIndex[t]];
            T margins = zero, receivables = zero;
            for (var k = 0; k < margin.Length; k++)
            {
                var contained = T.Create(row[KernelTable.ContainedColumn + k]);
                margins += contained * margin[k];
                receivables += contained * receivable[k];
            }

            T spent = zero, deducted = zero;
            for (var q = 0; q < capital.Length; q++)
            {
                spent += T.Create(row[capitalAt + q]) * capital[q];
                deducted += T.Create(row[deductionsAt + q]) * capital[q];
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
            npvAfterTax += afterTax * T.Create(row[KernelTable.DiscountColumn]);
            npvPreTax += preTax * T.Create(row[KernelTable.PreTaxDiscountColumn]);
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

    /// <summary>Per lane, how often the non-zero after-tax flows change sign, and the first of them (the lowest coefficient of P; 0 if none).</summary>
    private readonly record struct SignChanges(T Count, T Lowest);
}
