using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>Published worked examples of NPV, IRR and payback, checked against <see cref="Finance"/>.</summary>
public sealed class FinanceKnownAnswerTests
{
    // Bullock Gold Mining (Ross, Westerfield and Jaffe, Corporate Finance, ch. 9 mini case), $M per year:
    // an outlay, eight years of production and a reclamation cost in the last year.
    private static readonly double[] BullockGoldMine = [-400, 85, 90, 140, 180, 195, 130, 95, 60, -95];

    // Microsoft Excel's documentation of IRR: an initial cost and five years of net income.
    private static readonly double[] ExcelIrrExample = [-70_000, 12_000, 15_000, 18_000, 21_000, 26_000];

    [Fact]
    public void Npv_DiscountsPeriodZeroOneYear_ForBullockGoldMine()
    {
        // The textbook values the flows with the outlay at time 0: NPV = 171.141294 $M at 12 %.
        // CalMiner's end-of-period convention puts period 0 at time 1, so the same flows are worth 171.141294 / 1.12.
        var npv = Finance.Npv(BullockGoldMine, 0.12);

        Assert.Equal(152.804727, npv, 1e-6);
        Assert.Equal(171.141294, npv * 1.12, 1e-6);
    }

    [Fact]
    public void Npv_MidPeriod_IsEndOfPeriodTimesHalfAYearOfInterest_ForBullockGoldMine()
    {
        var endOfPeriod = Finance.Npv(BullockGoldMine, 0.12);
        var midPeriod = Finance.Npv(BullockGoldMine, 0.12, Discounting.MidPeriod);

        Assert.Equal(161.713322785, midPeriod, 1e-6);
        Assert.Equal(endOfPeriod * Math.Sqrt(1.12), midPeriod, 1e-9);
    }

    [Fact]
    public void Irr_IsTheLargestRoot_ForBullockGoldMine()
    {
        // The reclamation cost gives the NPV a second sign change near -48.9 %; the IRR is the larger root, 23.73 %.
        var irr = Finance.Irr(BullockGoldMine);

        Assert.NotNull(irr);
        Assert.Equal(0.2373177655, irr.Value, 1e-8);
        Assert.Equal(0, Finance.Npv(BullockGoldMine, irr.Value), 1e-8);
    }

    [Fact]
    public void Npv_ChangesSignAgainNearMinus48Point9Percent_ForBullockGoldMine()
    {
        // The second root exists, so returning 23.73 % is a choice of the largest root, not the only one.
        Assert.True(Finance.Npv(BullockGoldMine, -0.48) > 0);
        Assert.True(Finance.Npv(BullockGoldMine, -0.50) < 0);
    }

    [Fact]
    public void Irr_Is8Point66Percent_ForExcelsFiveYearExample()
    {
        var irr = Finance.Irr(ExcelIrrExample);

        Assert.NotNull(irr);
        Assert.Equal(0.0866309480, irr.Value, 1e-8);
        Assert.Equal(0.0866, Math.Round(irr.Value, 4));
    }

    [Fact]
    public void Irr_IsMinus2Point12Percent_ForExcelsExampleAfterFourYears()
    {
        // Excel: =IRR(A2:A6), the initial cost and the first four years of income, is -2.1 %.
        var irr = Finance.Irr(ExcelIrrExample.AsSpan(0, 5));

        Assert.NotNull(irr);
        Assert.Equal(-0.0212448483, irr.Value, 1e-8);
    }

    [Fact]
    public void Irr_IsMinus44Point35Percent_ForExcelsExampleAfterTwoYears()
    {
        // Excel: =IRR(A2:A4,-10%), the initial cost and two years of income, is -44.4 %.
        var irr = Finance.Irr(ExcelIrrExample.AsSpan(0, 3));

        Assert.NotNull(irr);
        Assert.Equal(-0.4435069413, irr.Value, 1e-8);
    }

    [Fact]
    public void Irr_IsMinus18Point21Percent_ForExcelsFlowsAfterThreeYears()
    {
        var irr = Finance.Irr(ExcelIrrExample.AsSpan(0, 4));

        Assert.NotNull(irr);
        Assert.Equal(-0.1821374641, irr.Value, 1e-8);
    }

    [Fact]
    public void Irr_IsTheSame_WhateverTheDiscountingTiming()
    {
        // Mid-period NPV is end-of-period NPV times (1 + r)^0.5, which is never 0, so both vanish at the same rate.
        var irr = Finance.Irr(ExcelIrrExample)!.Value;

        Assert.Equal(0, Finance.Npv(ExcelIrrExample, irr, Discounting.MidPeriod), 1e-6);
    }

    [Theory]
    [InlineData(new double[] { 100, 50, 25 })]
    [InlineData(new double[] { -100, -50, -25 })]
    [InlineData(new double[] { 0, 0, 0 })]
    [InlineData(new double[] { -100 })]
    public void Irr_IsAbsent_WhenTheFlowsNeverChangeSign(double[] flows) =>
        Assert.Null(Finance.Irr(flows));

    [Fact]
    public void Irr_IsAbsent_WhenTheOnlyRootIsBeyondTenThousandPercent()
    {
        // -1 + 20 v has its root at r = 19 (1900 %), above the search range (-0.99, 10].
        Assert.Null(Finance.Irr([-1, 20]));
    }

    [Fact]
    public void Irr_FindsARootCloseToTheUpperLimit()
    {
        // -1 + 10.5 v: r = 9.5.
        Assert.Equal(9.5, Finance.Irr([-1, 10.5])!.Value, 1e-9);
    }

    [Fact]
    public void Npv_IsTheUndiscountedSum_AtRateZero() =>
        Assert.Equal(480, Finance.Npv(BullockGoldMine, 0), 1e-9);

    [Fact]
    public void Npv_DiscountsEachPeriodToItsEnd()
    {
        // 110 at time 1, 121 at time 2 at 10 %: 100 + 100.
        Assert.Equal(200, Finance.Npv([110, 121], 0.10), 1e-9);
        Assert.Equal(200 * Math.Sqrt(1.1), Finance.Npv([110, 121], 0.10, Discounting.MidPeriod), 1e-9);
    }

    [Fact]
    public void Npv_IsZero_ForNoFlows() =>
        Assert.Equal(0, Finance.Npv([], 0.08));

    [Theory]
    [InlineData(-1.0)]
    [InlineData(-1.5)]
    [InlineData(double.NaN)]
    public void Npv_RejectsRatesAtOrBelowMinusOne(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Finance.Npv([1, 2], rate));

    [Theory]
    // cumulative -100, -40, +20: recovered 40/60 of the way through period 2.
    [InlineData(new double[] { -100, 60, 60 }, 2 + 40.0 / 60)]
    // cumulative reaches exactly 0 at the end of period 1.
    [InlineData(new double[] { -100, 100 }, 2.0)]
    // the first turn counts, even if the cumulative turns negative again later (closure).
    [InlineData(new double[] { -100, 150, -200, 300 }, 1 + 100.0 / 150)]
    // zero is not negative: the cumulative first goes negative in period 1.
    [InlineData(new double[] { 0, -10, 20 }, 2.5)]
    // Bullock Gold Mine: cumulative -400, -315, -225, -85, +95: 85/180 into period 4.
    [InlineData(new double[] { -400, 85, 90, 140, 180, 195, 130, 95, 60, -95 }, 4 + 85.0 / 180)]
    public void Payback_InterpolatesWithinThePeriodTheCumulativeTurnsNonNegative(double[] flows, double expected) =>
        Assert.Equal(expected, Finance.Payback(flows)!.Value, 1e-12);

    [Fact]
    public void Payback_IsZero_WhenTheCumulativeIsNeverNegative() =>
        Assert.Equal(0, Finance.Payback([50, 10, -60])!.Value);

    [Fact]
    public void Payback_IsAbsent_WhenTheCumulativeNeverRecovers() =>
        Assert.Null(Finance.Payback([-100, 50, 49]));

    [Fact]
    public void DiscountedPayback_OfBullockGoldMine_IsLaterThanThePayback()
    {
        // Discounted at 12 % to the end of each period, the cumulative is -357.143, -289.381, -225.321,
        // -136.349, -34.212 after period 4; period 5 adds 195 / 1.12^6 = 98.793.
        var discounted = BullockGoldMine.Select((cf, i) => cf / Math.Pow(1.12, i + 1)).ToArray();

        Assert.Equal(5 + 34.211790242 / 98.793068630, Finance.Payback(discounted)!.Value, 1e-9);
    }

    [Fact]
    public void Irr_FindsTheLargestRoot_OfFlowsThatChangeSignManyTimes_NearTheTopOfTheRange()
    {
        // Found by Npv_IsZeroAtTheIrr_AndNoRootLiesAboveIt: two roots close together at high rates, which a scan
        // in equal steps of 1 + r alone stepped over.
        double[] flows =
        [
            717.412, 695.71, 329.418, 873.512, 842.712, -748.198, 323.492, -136.662, -978.786, 107.458, -493.444, 655.032,
            -900964, 999286, -21.35, -373.532, -92.806, -117.946, 0, 944166, -719.474, 508.578, 631.164, 0, -524.83,
            180.218, 0, -716.496,
        ];

        var irr = Finance.Irr(flows);

        Assert.NotNull(irr);
        var scale = flows.Select((cf, i) => Math.Abs(cf) / Math.Pow(1 + irr.Value, i + 1)).Sum();
        Assert.True(Math.Abs(Finance.Npv(flows, irr.Value)) <= 1e-7 * scale);
        var sign = Math.Sign(Finance.Npv(flows, 10));
        for (var r = irr.Value + 0.001; r <= 10; r += 0.001)
        {
            Assert.Equal(sign, Math.Sign(Finance.Npv(flows, r)));
        }
    }
}
