using CalMiner.Scenarios;
using static CalMiner.Core.Tests.Economics.TestScenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>Income tax with and without loss carry-forward, and working capital, computed by hand.</summary>
public sealed class TaxAndWorkingCapitalTests
{
    // EBITDA -100, 60, 80: 100 t of waste a period at 1 $/t, and 0, 160, 180 oz sold at 1 $/oz.
    private static ScenarioDocument LossThenProfits(bool lossCarryForward) =>
        Create(3, Waste(0, 100), Ounces(1, 160, wasteMined: 100), Ounces(2, 180, wasteMined: 100)) with
        {
            OperatingCosts = new OperatingCosts(MiningPerTonne: 1.0),
            Tax = new Tax(Rate: 0.3, LossCarryForward: lossCarryForward),
        };

    [Fact]
    public void Tax_SetsLossesCarriedForwardAgainstLaterIncome_WhenEnabled()
    {
        // The loss of 100 covers all of period 1's 60 and 40 of period 2's 80: tax 0.3 x (80 - 40) = 12.
        var result = Evaluate(LossThenProfits(lossCarryForward: true));

        Near.Sequence([-100, 60, 80], result.Line(p => p.Ebitda));
        Near.Sequence([-100, 60, 80], result.Line(p => p.TaxableIncome));
        Near.Sequence([0, 60, 40], result.Line(p => p.LossesUsed));
        Near.Sequence([0, 0, 12], result.Line(p => p.Tax));
        Near.Sequence([-100, 60, 68], result.Line(p => p.AfterTaxCashFlow));
    }

    [Fact]
    public void Tax_IgnoresEarlierLosses_WhenCarryForwardIsOff()
    {
        // 0.3 x 60 = 18 and 0.3 x 80 = 24; the loss is never used and never refunded.
        var result = Evaluate(LossThenProfits(lossCarryForward: false));

        Near.Sequence([0, 0, 0], result.Line(p => p.LossesUsed));
        Near.Sequence([0, 18, 24], result.Line(p => p.Tax));
        Near.Sequence([-100, 42, 56], result.Line(p => p.AfterTaxCashFlow));
    }

    [Fact]
    public void WorkingCapital_IsReceivablesLessPayables_AndFullyRecoveredInTheLastPeriod()
    {
        // NSR 3650, 7300, 3650 (oz at 1 $); opex 1000, 2000, 1000 (waste at 1 $/t).
        // Receivables 73/365 = 0.2 of NSR, payables 36.5/365 = 0.1 of opex:
        // WC 730 - 100 = 630, 1460 - 200 = 1260, and 0 at the end of the last period.
        // Cash effect -(630 - 0) = -630, -(1260 - 630) = -630, -(0 - 1260) = +1260.
        var scenario = Create(3, Ounces(0, 3650, wasteMined: 1000), Ounces(1, 7300, wasteMined: 2000), Ounces(2, 3650, wasteMined: 1000)) with
        {
            OperatingCosts = new OperatingCosts(MiningPerTonne: 1.0),
            WorkingCapital = new WorkingCapital(ReceivableDays: 73, PayableDays: 36.5),
        };

        var result = Evaluate(scenario);

        Near.Sequence([630, 1260, 0], result.Line(p => p.WorkingCapital));
        Near.Sequence([-630, -630, 1260], result.Line(p => p.WorkingCapitalChange));
        Near.Sequence([2650 - 630, 5300 - 630, 2650 + 1260], result.Line(p => p.PreTaxCashFlow));
        Near.Equal(0, result.Totals.WorkingCapitalChange);
    }

    [Fact]
    public void WorkingCapital_CanBeNegative_WhenPayablesExceedReceivables()
    {
        // NSR 1000 with 0 receivable days, opex 730 with 50 payable days: WC = -100 at the end of period 0, released in period 1.
        var scenario = Create(2, Ounces(0, 1000, wasteMined: 730), Ounces(1, 1000, wasteMined: 730)) with
        {
            OperatingCosts = new OperatingCosts(MiningPerTonne: 1.0),
            WorkingCapital = new WorkingCapital(PayableDays: 50),
        };

        var result = Evaluate(scenario);

        Near.Sequence([-100, 0], result.Line(p => p.WorkingCapital));
        Near.Sequence([100, -100], result.Line(p => p.WorkingCapitalChange));
    }
}
