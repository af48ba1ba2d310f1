using CalMiner.Model;
using CalMiner.Scenarios;

namespace CalMiner.Economics;

/// <summary>Discounted cash-flow functions on annual cash flows, period 0 first.</summary>
public static class Finance
{
    /// <summary>Net present value of annual cash flows.</summary>
    /// <param name="cashFlows">Cash flow of each period, period 0 first.</param>
    /// <param name="rate">Annual discount rate as a fraction, e.g. 0.05; &gt; −1.</param>
    /// <param name="discounting">End of period: the flow of period <c>i</c> at time <c>i + 1</c>; mid-period: at <c>i + 0.5</c>.</param>
    public static double Npv(ReadOnlySpan<double> cashFlows, double rate, Discounting discounting = Discounting.EndOfPeriod)
    {
        if (!(rate > -1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(rate), "must be > -1");
        }

        return CashFlowMath.Npv(cashFlows, rate, discounting);
    }

    /// <summary>
    /// Internal rate of return: the largest rate in (−0.99, 10] at which the NPV changes sign, or
    /// <see langword="null"/> where there is none. The same for either discounting timing.
    /// </summary>
    /// <param name="cashFlows">Cash flow of each period, period 0 first.</param>
    public static double? Irr(ReadOnlySpan<double> cashFlows)
    {
        var irr = CashFlowMath.Irr(cashFlows);
        return double.IsNaN(irr) ? null : irr;
    }

    /// <summary>
    /// Years from the start of period 0 until the cumulative cash flow first turns from negative to ≥ 0,
    /// interpolated within that period; 0 if it is never negative, <see langword="null"/> if it never turns.
    /// </summary>
    /// <param name="cashFlows">Cash flow of each period, period 0 first; pass discounted flows for the discounted payback.</param>
    public static double? Payback(ReadOnlySpan<double> cashFlows)
    {
        var payback = CashFlowMath.Payback(cashFlows);
        return double.IsNaN(payback) ? null : payback;
    }
}
