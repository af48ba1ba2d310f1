using System.Reflection;
using CalMiner.Economics;
using CalMiner.Scenarios;
using FsCheck.Xunit;

namespace CalMiner.Core.Tests.Economics;

/// <summary>Invariants of the economic model over random valid scenarios and random cash flows.</summary>
[Properties(Arbitrary = [typeof(ScenarioArbitraries)], MaxTest = 100)]
public sealed class EconomicModelProperties
{
    // Every amount line of a period; the working-capital balance is a stock, not a flow, so it has no meaningful sum.
    private static readonly PropertyInfo[] FlowLines = typeof(CashFlowLine).GetProperties()
        .Where(p => p.PropertyType == typeof(double) && p.Name != nameof(CashFlowLine.WorkingCapital))
        .ToArray();

    private static readonly PropertyInfo[] ProductLines = typeof(ProductLine).GetProperties()
        .Where(p => p.PropertyType == typeof(double))
        .ToArray();

    private static void AssertSum(string what, IEnumerable<double> values, double total)
    {
        var list = values.ToList();
        var sum = list.Sum();
        var tolerance = 1e-9 * list.Sum(Math.Abs) + 1e-6;
        Assert.True(Math.Abs(sum - total) <= tolerance, $"{what}: total {total:R}, sum of periods {sum:R}");
    }

    private static void AssertNear(string what, double expected, double actual, double scale)
    {
        var tolerance = 1e-9 * Math.Max(scale, Math.Abs(expected)) + 1e-6;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, actual {actual:R}");
    }

    private static double[] Flows(EvaluationResult r, Func<CashFlowLine, double> line) => r.Periods.Select(line).ToArray();

    [Property]
    public void Generator_BuildsValidScenarios(GeneratedScenario scenario) =>
        Assert.Empty(scenario.Document.Validate());

    [Property]
    public void Totals_EqualTheSumOfThePeriods_ForEveryLine(GeneratedScenario scenario)
    {
        var result = EconomicModel.Evaluate(scenario.Document);

        Assert.Equal(scenario.Document.Periods, result.Periods.Count);
        Assert.Null(result.Totals.Period);
        foreach (var line in FlowLines)
        {
            AssertSum(line.Name, result.Periods.Select(p => (double)line.GetValue(p)!), (double)line.GetValue(result.Totals)!);
        }

        for (var k = 0; k < scenario.Document.Products.Count; k++)
        {
            Assert.Equal(scenario.Document.Products[k].Name, result.Totals.Products[k].Name);
            foreach (var line in ProductLines)
            {
                AssertSum($"products[{k}].{line.Name}", result.Periods.Select(p => (double)line.GetValue(p.Products[k])!), (double)line.GetValue(result.Totals.Products[k])!);
            }
        }
    }

    [Property]
    public void Periods_AreNumberedAndLabelledFromTheStartYear(GeneratedScenario scenario)
    {
        var result = EconomicModel.Evaluate(scenario.Document);

        Assert.Equal(Enumerable.Range(0, scenario.Document.Periods).Select(i => (int?)i), result.Periods.Select(p => p.Period));
        Assert.Equal(Enumerable.Range(scenario.Document.StartYear, scenario.Document.Periods).Select(y => (int?)y), result.Periods.Select(p => p.Year));
    }

    [Property]
    public void CashFlowIdentities_HoldInEveryPeriod(GeneratedScenario scenario)
    {
        var d = scenario.Document;
        var result = EconomicModel.Evaluate(d);
        var taxRate = d.Resolve(d.Tax.Rate);
        var shift = d.Discounting == Discounting.MidPeriod ? 0.5 : 1.0;

        foreach (var p in result.Periods)
        {
            var scale = Math.Abs(p.GrossRevenue) + Math.Abs(p.OperatingCost) + Math.Abs(p.Capital) + Math.Abs(p.Depreciation) + Math.Abs(p.WorkingCapitalChange);
            var at = $"period {p.Period}: ";
            AssertNear(at + "NSR = gross revenue - selling costs", p.GrossRevenue - p.SellingCosts, p.Nsr, scale);
            AssertNear(at + "NSR = sum of the products' NSR", p.Products.Sum(x => x.Nsr), p.Nsr, scale);
            AssertNear(at + "gross revenue = sum of the products'", p.Products.Sum(x => x.GrossRevenue), p.GrossRevenue, scale);
            AssertNear(
                at + "opex = sum of its categories",
                p.MiningCost + p.ProcessingCost + p.GeneralAndAdmin + p.ConsumablesCost + p.CarbonCost + p.EquipmentOperatingCost,
                p.OperatingCost,
                scale);
            AssertNear(at + "EBITDA = NSR - royalties - opex", p.Nsr - p.Royalties - p.OperatingCost, p.Ebitda, scale);
            AssertNear(at + "capital = initial + sustaining + closure", p.InitialCapital + p.SustainingCapital + p.ClosureCapital, p.Capital, scale);
            AssertNear(at + "taxable income = EBITDA - depreciation - closure", p.Ebitda - p.Depreciation - p.ClosureCapital, p.TaxableIncome, scale);
            AssertNear(at + "tax = rate x max(0, taxable - losses used)", taxRate * Math.Max(0, p.TaxableIncome - p.LossesUsed), p.Tax, scale);
            AssertNear(at + "pre-tax = EBITDA - capital + WC change", p.Ebitda - p.Capital + p.WorkingCapitalChange, p.PreTaxCashFlow, scale);
            AssertNear(at + "after-tax = pre-tax - tax", p.PreTaxCashFlow - p.Tax, p.AfterTaxCashFlow, scale);
            AssertNear(at + "discounted", p.AfterTaxCashFlow / Math.Pow(1 + d.DiscountRate, p.Period!.Value + shift), p.DiscountedAfterTaxCashFlow, scale);
            Assert.True(p.Tax >= 0, at + "tax is never negative");
            Assert.True(p.LossesUsed >= 0 && p.LossesUsed <= Math.Max(0, p.TaxableIncome) + 1e-6, at + "losses used are within the taxable income");
            Assert.True(p.EquipmentCapital <= p.InitialCapital + p.SustainingCapital + 1e-6, at + "equipment capital is part of initial and sustaining capital");
        }
    }

    [Property]
    public void Metrics_FollowFromTheCashFlowLines(GeneratedScenario scenario)
    {
        var d = scenario.Document;
        var result = EconomicModel.Evaluate(d);
        var afterTax = Flows(result, p => p.AfterTaxCashFlow);
        var preTax = Flows(result, p => p.PreTaxCashFlow);
        var scale = afterTax.Sum(Math.Abs) + preTax.Sum(Math.Abs);
        var m = result.Metrics;

        AssertNear("NPV after tax", Finance.Npv(afterTax, d.DiscountRate, d.Discounting), m.NpvAfterTax, scale);
        AssertNear("NPV pre-tax", Finance.Npv(preTax, d.DiscountRate, d.Discounting), m.NpvPreTax, scale);
        AssertNear("NPV = total of the discounted flows", result.Totals.DiscountedAfterTaxCashFlow, m.NpvAfterTax, scale);
        Assert.Equal(Finance.Irr(afterTax), m.IrrAfterTax);
        Assert.Equal(Finance.Irr(preTax), m.IrrPreTax);
        Assert.Equal(Finance.Payback(afterTax), m.PaybackYears);

        var cumulative = 0.0;
        var lowest = 0.0;
        foreach (var cf in afterTax)
        {
            cumulative += cf;
            lowest = Math.Min(lowest, cumulative);
        }

        AssertNear("peak funding", -lowest, m.PeakFunding, scale);
        Assert.Equal([0, 0.05, 0.08, 0.10, 0.12, 0.15], m.NpvProfile.Select(x => x.Rate));
        foreach (var point in m.NpvProfile)
        {
            AssertNear($"NPV after tax at {point.Rate}", Finance.Npv(afterTax, point.Rate, d.Discounting), point.NpvAfterTax, scale);
            AssertNear($"NPV pre-tax at {point.Rate}", Finance.Npv(preTax, point.Rate, d.Discounting), point.NpvPreTax, scale);
        }

        var t = result.Totals;
        var primary = d.Products.Select((p, k) => (p, k)).Single(x => x.p.Primary).k;
        if (t.PrimaryPayable > 0)
        {
            var byProductNsr = t.Products.Where((_, k) => k != primary).Sum(x => x.Nsr);
            var c1 = (t.OperatingCost + t.Products[primary].SellingCosts - byProductNsr) / t.PrimaryPayable;
            var costScale = (t.OperatingCost + t.GrossRevenue + t.Royalties + t.SustainingCapital) / t.PrimaryPayable;
            AssertNear("C1", c1, m.CashCostPerUnit!.Value, costScale);
            AssertNear("AISC", c1 + (t.Royalties + t.SustainingCapital) / t.PrimaryPayable, m.AiscPerUnit!.Value, costScale);
            AssertNear("CO2e per unit", t.Co2eTonnes * 1000 / t.PrimaryPayable, m.Co2eKgPerUnit!.Value, t.Co2eTonnes * 1000 / t.PrimaryPayable);
        }
        else
        {
            Assert.Null(m.CashCostPerUnit);
            Assert.Null(m.AiscPerUnit);
        }

        AssertNear("CO2e", t.Co2eTonnes, m.Co2eTonnes, t.Co2eTonnes);
    }

    [Property]
    public void Npv_IsZeroAtTheIrr_ForScenarioCashFlows(GeneratedScenario scenario)
    {
        var result = EconomicModel.Evaluate(scenario.Document);
        AssertIrrIsTheLargestRoot(Flows(result, p => p.AfterTaxCashFlow), result.Metrics.IrrAfterTax);
        AssertIrrIsTheLargestRoot(Flows(result, p => p.PreTaxCashFlow), result.Metrics.IrrPreTax);
    }

    [Property(MaxTest = 300)]
    public void Npv_IsZeroAtTheIrr_AndNoRootLiesAboveIt(CashFlows flows) =>
        AssertIrrIsTheLargestRoot(flows.Values, Finance.Irr(flows.Values));

    // The NPV vanishes at the IRR (relative to the size of the discounted flows), and keeps one sign from just above it to 1000 %.
    private static void AssertIrrIsTheLargestRoot(double[] flows, double? irr)
    {
        if (irr is not { } rate)
        {
            return;
        }

        Assert.InRange(rate, -0.99, 10);
        var size = flows.Select((cf, i) => Math.Abs(cf) / Math.Pow(1 + rate, i + 1)).Sum();
        var npv = Finance.Npv(flows, rate);
        Assert.True(Math.Abs(npv) <= 1e-7 * size, $"NPV at the IRR {rate:R} is {npv:R}, against discounted flows of {size:R}");

        var sign = Math.Sign(Finance.Npv(flows, 10));
        for (var k = 1; k <= 400; k++)
        {
            var r = rate + (10 - rate) * k / 400.0;
            if (r - rate < 1e-3)
            {
                continue;
            }

            var v = Finance.Npv(flows, r);
            var tolerance = 1e-9 * flows.Select((cf, i) => Math.Abs(cf) / Math.Pow(1 + r, i + 1)).Sum();
            Assert.True(Math.Abs(v) <= tolerance || Math.Sign(v) == sign, $"the NPV changes sign again above the IRR {rate:R}, at {r:R}");
        }
    }

    [Property(MaxTest = 300)]
    public void Irr_Exists_ForConventionalFlowsThatRepayTheOutlay(ConventionalCashFlows flows)
    {
        // Conventional flows have exactly one root in rates > -1; it is within the search range when the NPV is
        // positive at -0.99 (always, here) and negative at 10.
        var irr = Finance.Irr(flows.Values);
        if (Finance.Npv(flows.Values, 10) < 0 && Finance.Npv(flows.Values, -0.99) > 0)
        {
            Assert.NotNull(irr);
        }
    }

    [Property(MaxTest = 300)]
    public void Npv_FallsAsTheRateRises_BelowTheIrr_ForConventionalFlows(ConventionalCashFlows flows)
    {
        // With outlays first and returns after, NPV x (1 + r)^(k+1) (k = the last outlay's period) falls with the rate;
        // so does the NPV wherever it is positive, i.e. below the IRR. (Above it, with CalMiner's end-of-period timing,
        // a negative NPV rises towards 0 as the rate grows: -1000, 1 is worth -999 at 0 % and -908.3 at 10 %.)
        var irr = Finance.Irr(flows.Values) ?? 10;
        double[] rates = [-0.5, -0.2, 0, 0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3, 0.5, 1, 2, 5, 10];
        var below = rates.Where(r => r < irr).ToArray();
        for (var i = 1; i < below.Length; i++)
        {
            var lower = Finance.Npv(flows.Values, below[i - 1]);
            var higher = Finance.Npv(flows.Values, below[i]);
            Assert.True(higher <= lower * (1 + 1e-12), $"NPV {higher:R} at {below[i]} is above {lower:R} at {below[i - 1]}");
            Assert.True(higher >= -1e-9 * Math.Abs(lower), $"NPV {higher:R} at {below[i]} is negative below the IRR {irr:R}");
        }

        foreach (var r in rates.Where(r => r > irr + 1e-6))
        {
            Assert.True(Finance.Npv(flows.Values, r) <= 0, $"NPV is positive at {r}, above the IRR {irr:R}");
        }
    }

    [Property(MaxTest = 300)]
    public void NpvAtTimeZero_FallsAsTheRateRises_ForASingleOutlayFollowedByReturns(ConventionalCashFlows flows)
    {
        // The textbook form (the outlay at time 0) of a single outlay followed by returns falls at every rate.
        double[] single = [flows.Values[0], .. flows.Values.Skip(1).Select(Math.Abs)];
        double[] rates = [-0.5, -0.2, 0, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
        for (var i = 1; i < rates.Length; i++)
        {
            var lower = Finance.Npv(single, rates[i - 1]) * (1 + rates[i - 1]);
            var higher = Finance.Npv(single, rates[i]) * (1 + rates[i]);
            Assert.True(higher <= lower + 1e-9 * Math.Abs(lower), $"time-0 NPV {higher:R} at {rates[i]} is above {lower:R} at {rates[i - 1]}");
        }
    }

    [Property]
    public void HigherPrimaryPrice_NeverLowersThePreTaxNpv(GeneratedScenario scenario, byte step)
    {
        var d = scenario.Document;
        var primary = d.Products.Select((p, k) => (p, k)).Single(x => x.p.Primary).k;
        var price = d.Resolve(d.Products[primary].Price);
        var higher = d with
        {
            Products = d.Products.Select((p, k) => k == primary ? p with { Price = price * (1 + (step + 1) / 256.0) } : p).ToArray(),
        };

        var before = EconomicModel.Evaluate(d).Metrics.NpvPreTax;
        var after = EconomicModel.Evaluate(higher).Metrics.NpvPreTax;

        Assert.True(after >= before - 1e-9 * Math.Abs(before) - 1e-6, $"pre-tax NPV fell from {before:R} to {after:R} when the price rose");
    }

    [Property]
    public void HigherGrade_NeverLowersThePreTaxNpv(GeneratedScenario scenario, byte step)
    {
        var d = scenario.Document;
        var richer = d with { Factors = d.Factors with { Grade = d.Resolve(d.Factors.Grade) * (1 + (step + 1) / 256.0) } };

        var before = EconomicModel.Evaluate(d);
        var after = EconomicModel.Evaluate(richer);

        Assert.True(
            after.Metrics.NpvPreTax >= before.Metrics.NpvPreTax - 1e-9 * Math.Abs(before.Metrics.NpvPreTax) - 1e-6,
            $"pre-tax NPV fell from {before.Metrics.NpvPreTax:R} to {after.Metrics.NpvPreTax:R} when the grade rose");
        Assert.True(after.Totals.GrossRevenue >= before.Totals.GrossRevenue, "more metal lowered the revenue");
    }

    [Property]
    public void WorkingCapitalChanges_SumToZero_AndNothingIsLeftAtTheEnd(GeneratedScenario scenario)
    {
        var result = EconomicModel.Evaluate(scenario.Document);
        var changes = Flows(result, p => p.WorkingCapitalChange);

        Assert.True(Math.Abs(changes.Sum()) <= 1e-9 * changes.Sum(Math.Abs) + 1e-6, $"working-capital effects sum to {changes.Sum():R}");
        Assert.Equal(0, result.Periods[^1].WorkingCapital);

        // Each balance is NSR x receivable days / 365 - opex x payable days / 365 (the last one recovered).
        var terms = scenario.Document.WorkingCapital;
        foreach (var p in result.Periods.Take(result.Periods.Count - 1))
        {
            var expected = p.Nsr * terms.ReceivableDays / 365 - p.OperatingCost * terms.PayableDays / 365;
            AssertNear($"period {p.Period} working capital", expected, p.WorkingCapital, Math.Abs(p.Nsr) + Math.Abs(p.OperatingCost));
        }
    }

    [Property]
    public void Depreciation_SumsToTheDepreciableCapital(GeneratedScenario scenario)
    {
        var result = EconomicModel.Evaluate(scenario.Document);
        var depreciable = result.Totals.InitialCapital + result.Totals.SustainingCapital;

        AssertNear("depreciation", depreciable, Flows(result, p => p.Depreciation).Sum(), depreciable);
        Assert.All(result.Periods, p => Assert.True(p.Depreciation >= -1e-9, $"period {p.Period} depreciation {p.Depreciation} is negative"));
    }

    [Property]
    public void EquipmentCapital_IsAtLeastEveryFleetsPurchase(GeneratedScenario scenario)
    {
        var d = scenario.Document;
        var result = EconomicModel.Evaluate(d);
        var operating = result.Periods.Where(p => p.OreProcessed > 0).Select(p => p.Period!.Value).ToList();
        var first = operating.Count > 0 ? operating[0] : int.MaxValue;
        var initial = d.Resolve(d.Factors.InitialCapital);
        var sustaining = d.Resolve(d.Factors.SustainingCapital);
        var purchases = d.Equipment.Sum(e => e.Count * e.UnitCost * (e.PurchasePeriod < first ? initial : sustaining));

        Assert.True(result.Totals.EquipmentCapital >= purchases * (1 - 1e-12) - 1e-6, $"equipment capital {result.Totals.EquipmentCapital:R} < purchases {purchases:R}");
    }

    [Property]
    public void BreakevenPrice_GivesAZeroAfterTaxNpv_WhenReEvaluatedAtThatPrice(GeneratedScenario scenario)
    {
        var d = scenario.Document;
        var result = EconomicModel.Evaluate(d);
        if (result.Metrics.BreakevenPrice is not (>= 0 and var breakeven))
        {
            // Absent, or negative (no price at all: see BreakevenPrice_IsNeverNegative).
            return;
        }

        var primary = d.Products.Select((p, k) => (p, k)).Single(x => x.p.Primary).k;
        var atBreakeven = d with { Products = d.Products.Select((p, k) => k == primary ? p with { Price = breakeven } : p).ToArray() };
        var check = EconomicModel.Evaluate(atBreakeven);
        var scale = check.Periods.Sum(p => Math.Abs(p.GrossRevenue) + Math.Abs(p.OperatingCost) + Math.Abs(p.Capital) + Math.Abs(p.Tax));

        Assert.True(Math.Abs(check.Metrics.NpvAfterTax) <= 1e-6 * scale + 1e-6, $"after-tax NPV at the breakeven price {breakeven:R} is {check.Metrics.NpvAfterTax:R}");
    }

    [Property]
    public void BreakevenPrice_IsNeverNegative(GeneratedScenario scenario)
    {
        // A price is >= 0 (the format rejects a negative one), so a breakeven below 0 is no price at all:
        // when by-products alone make the NPV positive, no price gives an NPV of 0.
        var breakeven = EconomicModel.Evaluate(scenario.Document).Metrics.BreakevenPrice;

        Assert.True(breakeven is null or >= 0, $"breakeven price {breakeven:R} is negative");
    }

    // A scenario whose by-product pays for everything: the model extrapolated to a negative primary price.
    [Property(MaxTest = 1, Replay = "(8308399245867294528,7322240467827740797,2)")]
    public void Pinned_BreakevenPrice_IsNotNegative_WhenByProductsPayForEverything(GeneratedScenario scenario) =>
        BreakevenPrice_IsNeverNegative(scenario);

    [Property]
    public void Evaluate_WithAParameterValue_EqualsTheScenarioWithThatValueWrittenIn(GeneratedScenario scenario, byte step)
    {
        var d = scenario.Document;
        if (!d.Parameters.TryGetValue("primaryPrice", out var parameter))
        {
            return;
        }

        var price = parameter.Value * (0.5 + step / 256.0);
        var primary = d.Products.Select((p, k) => (p, k)).Single(x => x.p.Primary).k;
        var written = d with { Products = d.Products.Select((p, k) => k == primary ? p with { Price = price } : p).ToArray() };

        var bound = EconomicModel.Evaluate(d, new Dictionary<string, double> { ["primaryPrice"] = price });
        var plain = EconomicModel.Evaluate(written);

        Assert.Equal(plain.Metrics.NpvAfterTax, bound.Metrics.NpvAfterTax, 1e-9 * Math.Abs(plain.Metrics.NpvAfterTax) + 1e-9);
        Assert.Equal(plain.Totals.GrossRevenue, bound.Totals.GrossRevenue, 1e-9 * Math.Abs(plain.Totals.GrossRevenue) + 1e-9);
    }
}
