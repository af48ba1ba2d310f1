using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>The scalar cash-flow model of docs/economic-model.md (every section, production and revenue to metrics), evaluated from a <see cref="ScenarioPlan"/> and one vector of parameter values.</summary>
internal static class CashFlowCalculator
{
    private static readonly double[] ProfileRates = [0, 0.05, 0.08, 0.10, 0.12, 0.15];

    public static EvaluationResult Evaluate(ScenarioPlan plan, ReadOnlySpan<double> parameters)
    {
        var lines = new Lines(plan.Periods, plan.Products.Length);
        Operations(plan, parameters, lines);
        Capital(plan, parameters, lines);
        var settlement = new Settlement(plan, parameters);
        settlement.Settle(lines.Nsr, lines.Royalties, lines, recordLines: true);
        return Result(plan, parameters, lines, settlement);
    }

    /// <summary>Production, revenue, royalties, operating cost and emissions of every period.</summary>
    private static void Operations(ScenarioPlan plan, ReadOnlySpan<double> p, Lines lines)
    {
        var grade = plan.GradeFactor.Value(p);
        var throughput = plan.ThroughputFactor.Value(p);
        var opexFactor = plan.OperatingCostFactor.Value(p);
        var mining = plan.MiningPerTonne.Value(p);
        var processing = plan.ProcessingPerTonne.Value(p);
        var generalAndAdmin = plan.GeneralAndAdmin.Value(p);
        var carbonPrice = plan.CarbonPrice.Value(p);
        for (var t = 0; t < plan.Periods; t++)
        {
            var oreMined = plan.OreMined[t] * throughput;
            var oreProcessed = plan.OreProcessed[t] * throughput;
            var waste = plan.WasteMined[t];
            lines.OreMined[t] = oreMined;
            lines.WasteMined[t] = waste;
            lines.OreProcessed[t] = oreProcessed;

            for (var k = 0; k < plan.Products.Length; k++)
            {
                var product = plan.Products[k];
                var contained = oreProcessed * product.Grade[t] * grade * product.PayableUnitsPerTonneGrade;
                var recovered = contained * product.Recovery.Value(p);
                var payable = recovered * product.Payability.Value(p);
                var gross = payable * product.Price.Value(p);
                var selling = payable * product.SellingCost.Value(p);
                lines.Contained[k][t] = contained;
                lines.Recovered[k][t] = recovered;
                lines.Payable[k][t] = payable;
                lines.ProductGross[k][t] = gross;
                lines.ProductSelling[k][t] = selling;
                lines.GrossRevenue[t] += gross;
                lines.SellingCosts[t] += selling;
            }

            lines.Nsr[t] = lines.GrossRevenue[t] - lines.SellingCosts[t];
            foreach (var royalty in plan.Royalties)
            {
                lines.Royalties[t] += royalty.Rate.Value(p) * (royalty.Basis == RoyaltyBasis.Nsr ? lines.Nsr[t] : lines.GrossRevenue[t]);
            }

            var operating = plan.Operating[t];
            var consumables = 0.0;
            var co2e = 0.0;
            foreach (var consumable in plan.Consumables)
            {
                var driver = consumable.Driver switch
                {
                    ConsumableDriver.TonneMined => oreMined + waste,
                    ConsumableDriver.TonneProcessed => oreProcessed,
                    _ => operating ? 1 : 0,
                };
                var quantity = consumable.Rate.Value(p) * driver;
                consumables += quantity * consumable.Price.Value(p);
                co2e += quantity * consumable.Co2eTonnesPerUnit;
            }

            var equipment = 0.0;
            if (operating)
            {
                foreach (var fleet in plan.Fleets)
                {
                    if (t >= fleet.PurchasePeriod)
                    {
                        equipment += fleet.Count * fleet.HoursPerPeriod * fleet.CostPerHour.Value(p);
                    }
                }
            }

            lines.MiningCost[t] = (oreMined + waste) * mining * opexFactor;
            lines.ProcessingCost[t] = oreProcessed * processing * opexFactor;
            lines.GeneralAndAdmin[t] = operating ? generalAndAdmin * opexFactor : 0;
            lines.ConsumablesCost[t] = consumables * opexFactor;
            lines.CarbonCost[t] = co2e * carbonPrice * opexFactor;
            lines.EquipmentOperatingCost[t] = equipment * opexFactor;
            lines.Co2eTonnes[t] = co2e;
            lines.OperatingCost[t] = lines.MiningCost[t] + lines.ProcessingCost[t] + lines.GeneralAndAdmin[t]
                + lines.ConsumablesCost[t] + lines.CarbonCost[t] + lines.EquipmentOperatingCost[t];
        }
    }

    /// <summary>Capital by category, and the depreciation of initial and sustaining capital.</summary>
    private static void Capital(ScenarioPlan plan, ReadOnlySpan<double> p, Lines lines)
    {
        var initialFactor = plan.InitialCapitalFactor.Value(p);
        var sustainingFactor = plan.SustainingCapitalFactor.Value(p);
        for (var t = 0; t < plan.Periods; t++)
        {
            var initialEquipment = plan.EquipmentInitial[t] * initialFactor;
            var sustainingEquipment = plan.EquipmentSustaining[t] * sustainingFactor;
            lines.InitialCapital[t] = initialEquipment;
            lines.SustainingCapital[t] = sustainingEquipment;
            lines.EquipmentCapital[t] = initialEquipment + sustainingEquipment;
            lines.Depreciation[t] = plan.EquipmentInitialDepreciation[t] * initialFactor
                + plan.EquipmentSustainingDepreciation[t] * sustainingFactor;
        }

        foreach (var item in plan.Capital)
        {
            var (category, factor) = item.Category switch
            {
                CapitalCategory.Initial => (lines.InitialCapital, initialFactor),
                CapitalCategory.Sustaining => (lines.SustainingCapital, sustainingFactor),
                _ => (lines.ClosureCapital, 1.0),
            };
            var amount = item.Amount.Value(p) * item.WithContingency * factor;
            category[item.Period] += amount;
            for (var t = 0; t < plan.Periods; t++)
            {
                lines.Depreciation[t] += amount * item.Depreciation[t];
            }
        }

        for (var t = 0; t < plan.Periods; t++)
        {
            lines.Capital[t] = lines.InitialCapital[t] + lines.SustainingCapital[t] + lines.ClosureCapital[t];
        }
    }

    private static EvaluationResult Result(ScenarioPlan plan, ReadOnlySpan<double> p, Lines lines, Settlement settlement)
    {
        var rate = plan.Document.DiscountRate;
        var discounting = plan.Document.Discounting;
        var periods = new CashFlowLine[plan.Periods];
        for (var t = 0; t < plan.Periods; t++)
        {
            periods[t] = lines.Line(plan, t);
        }

        var totals = lines.Totals(plan);
        var primary = plan.PrimaryIndex;
        var primaryPayable = totals.Products[primary].Payable;
        var byProductNsr = totals.Nsr - totals.Products[primary].Nsr;
        double? PerPrimaryUnit(double amount) => primaryPayable > 0 ? amount / primaryPayable : null;
        var cashCost = PerPrimaryUnit(totals.OperatingCost + totals.Products[primary].SellingCosts - byProductNsr);

        var metrics = new EconomicMetrics
        {
            NpvAfterTax = totals.DiscountedAfterTaxCashFlow,
            NpvPreTax = CashFlowMath.Npv(lines.PreTaxCashFlow, rate, discounting),
            IrrAfterTax = Present(CashFlowMath.Irr(lines.AfterTaxCashFlow)),
            IrrPreTax = Present(CashFlowMath.Irr(lines.PreTaxCashFlow)),
            PaybackYears = Present(CashFlowMath.Payback(lines.AfterTaxCashFlow)),
            DiscountedPaybackYears = Present(CashFlowMath.Payback(lines.DiscountedAfterTaxCashFlow)),
            PeakFunding = PeakFunding(lines.AfterTaxCashFlow),
            CashCostPerUnit = cashCost,
            AiscPerUnit = cashCost + PerPrimaryUnit(totals.Royalties + totals.SustainingCapital),
            BreakevenPrice = Present(BreakevenPrice(plan, p, lines, settlement)),
            NpvProfile = [.. ProfileRates.Select(r => new NpvAtRate(
                r,
                CashFlowMath.Npv(lines.AfterTaxCashFlow, r, discounting),
                CashFlowMath.Npv(lines.PreTaxCashFlow, r, discounting)))],
            Co2eTonnes = totals.Co2eTonnes,
            Co2eKgPerUnit = PerPrimaryUnit(totals.Co2eTonnes * 1000),
        };

        return new EvaluationResult { Currency = plan.Document.Currency, Periods = periods, Totals = totals, Metrics = metrics };
    }

    private static double? Present(double value) => double.IsNaN(value) ? null : value;

    internal static double PeakFunding(ReadOnlySpan<double> cashFlows)
    {
        double cumulative = 0, minimum = 0;
        foreach (var cashFlow in cashFlows)
        {
            cumulative += cashFlow;
            minimum = Math.Min(minimum, cumulative);
        }

        return -minimum;
    }

    /// <summary>
    /// The constant primary price at which the after-tax NPV is 0, or NaN. Only revenue, royalties, tax and
    /// working capital move with the price, so each trial re-settles those alone. The NPV is piecewise linear
    /// and non-decreasing in the price, so a bracket and regula falsi find the root in a few trials.
    /// </summary>
    private static double BreakevenPrice(ScenarioPlan plan, ReadOnlySpan<double> p, Lines lines, Settlement settlement)
    {
        var primary = plan.Products[plan.PrimaryIndex];
        var payable = lines.Payable[plan.PrimaryIndex];
        var sellingCost = primary.SellingCost.Value(p);
        var periods = plan.Periods;
        var otherGross = new double[periods];
        var otherNsr = new double[periods];
        var nsr = new double[periods];
        var royalties = new double[periods];
        var anyPayable = false;
        for (var t = 0; t < periods; t++)
        {
            otherGross[t] = lines.GrossRevenue[t] - lines.ProductGross[plan.PrimaryIndex][t];
            otherNsr[t] = lines.Nsr[t] - (lines.ProductGross[plan.PrimaryIndex][t] - lines.ProductSelling[plan.PrimaryIndex][t]);
            anyPayable |= payable[t] > 0;
        }

        if (!anyPayable)
        {
            return double.NaN;
        }

        double NpvAt(double price, ReadOnlySpan<double> parameters)
        {
            for (var t = 0; t < periods; t++)
            {
                var gross = otherGross[t] + payable[t] * price;
                nsr[t] = otherNsr[t] + payable[t] * (price - sellingCost);
                royalties[t] = 0;
                foreach (var royalty in plan.Royalties)
                {
                    royalties[t] += royalty.Rate.Value(parameters) * (royalty.Basis == RoyaltyBasis.Nsr ? nsr[t] : gross);
                }
            }

            return settlement.Settle(nsr, royalties, lines, recordLines: false);
        }

        // A price below zero means nothing: when the by-products alone make the NPV positive there is no breakeven.
        var basePrice = Math.Max(primary.Price.Value(p), 1);
        double low = 0, high = basePrice;
        double fLow = NpvAt(low, p), fHigh = NpvAt(high, p);
        if (fLow > 0)
        {
            return double.NaN;
        }

        for (var i = 0; fHigh < 0 && i < 64; i++)
        {
            (low, fLow) = (high, fHigh);
            high *= 2;
            fHigh = NpvAt(high, p);
        }

        if (!(fHigh >= 0))
        {
            return double.NaN;
        }

        var side = 0;
        for (var i = 0; i < 100; i++)
        {
            var price = fHigh == fLow ? 0.5 * (low + high) : (low * fHigh - high * fLow) / (fHigh - fLow);
            var f = NpvAt(price, p);
            if (f == 0 || high - low <= 1e-12 * Math.Max(1, Math.Abs(price)))
            {
                return price;
            }

            if (f < 0)
            {
                (low, fLow) = (price, f);
                fHigh = side == -1 ? fHigh / 2 : fHigh;
                side = -1;
            }
            else
            {
                (high, fHigh) = (price, f);
                fLow = side == 1 ? fLow / 2 : fLow;
                side = 1;
            }
        }

        return 0.5 * (low + high);
    }

    /// <summary>
    /// Tax, working capital and cash flow from revenue and costs: the part of the model that the breakeven
    /// price re-runs. The price-independent lines it needs (operating cost, capital, depreciation) are read
    /// from the lines already computed.
    /// </summary>
    private sealed class Settlement(ScenarioPlan plan, ReadOnlySpan<double> p)
    {
        private readonly double _taxRate = plan.TaxRate.Value(p);
        private readonly double[] _discountFactors = [.. Enumerable.Range(0, plan.Periods)
            .Select(t => CashFlowMath.DiscountFactor(t, plan.Document.DiscountRate, plan.Document.Discounting))];

        /// <summary>Settles every period and returns the after-tax NPV; with <paramref name="recordLines"/> it also fills the lines.</summary>
        public double Settle(ReadOnlySpan<double> nsr, ReadOnlySpan<double> royalties, Lines lines, bool recordLines)
        {
            var periods = plan.Periods;
            double losses = 0, previousWorkingCapital = 0, npv = 0;
            for (var t = 0; t < periods; t++)
            {
                var opex = lines.OperatingCost[t];
                var ebitda = nsr[t] - royalties[t] - opex;
                var taxable = ebitda - lines.Depreciation[t] - lines.ClosureCapital[t];
                double lossesUsed = 0;
                if (plan.LossCarryForward)
                {
                    if (taxable < 0)
                    {
                        losses -= taxable;
                    }
                    else
                    {
                        lossesUsed = Math.Min(losses, taxable);
                        losses -= lossesUsed;
                    }
                }

                var tax = _taxRate * Math.Max(0, taxable - lossesUsed);

                // Working capital is recovered in full in the last period, so the changes sum to zero.
                var workingCapital = t == periods - 1 ? 0 : nsr[t] * plan.ReceivableFraction - opex * plan.PayableFraction;
                var workingCapitalChange = previousWorkingCapital - workingCapital;
                previousWorkingCapital = workingCapital;

                var preTax = ebitda - lines.Capital[t] + workingCapitalChange;
                var afterTax = preTax - tax;
                var discounted = afterTax * _discountFactors[t];
                npv += discounted;
                if (recordLines)
                {
                    lines.Ebitda[t] = ebitda;
                    lines.TaxableIncome[t] = taxable;
                    lines.LossesUsed[t] = lossesUsed;
                    lines.Tax[t] = tax;
                    lines.WorkingCapital[t] = workingCapital;
                    lines.WorkingCapitalChange[t] = workingCapitalChange;
                    lines.PreTaxCashFlow[t] = preTax;
                    lines.AfterTaxCashFlow[t] = afterTax;
                    lines.DiscountedAfterTaxCashFlow[t] = discounted;
                }
            }

            return npv;
        }
    }
}
