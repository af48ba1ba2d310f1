using CalMiner.Economics;

namespace CalMiner.Core.Tests.Simulation;

/// <summary>
/// How closely a simulated iteration must agree with the scalar model run on its inputs. The vectorised kernel groups the
/// model's products by rate instead of line by line, so it agrees to rounding: money to 1e-12 of the life-of-mine size of
/// the lines that make the flows, unit costs to 1e-12 of the size of the totals that make them, the IRR to a relative
/// 1e-9, payback to 1e-9 years; and an output is absent in both or in neither.
/// </summary>
internal static class ScalarAgreement
{
    /// <summary>The largest difference allowed in an amount of money of this evaluation.</summary>
    public static double MoneyTolerance(EvaluationResult scalar) => 1e-12 * scalar.Periods.Sum(p =>
        Math.Abs(p.GrossRevenue) + Math.Abs(p.OperatingCost) + Math.Abs(p.Capital) + Math.Abs(p.Depreciation) + Math.Abs(p.Tax) + Math.Abs(p.WorkingCapital));

    /// <param name="scalar">The scalar model's evaluation.</param>
    /// <param name="simulated">The simulated value of each output, by its name in the simulation's results.</param>
    /// <param name="iteration">Which iteration, for the message.</param>
    public static void AssertMatches(EvaluationResult scalar, Func<string, double> simulated, int iteration)
    {
        var m = scalar.Metrics;
        var money = MoneyTolerance(scalar);
        var totals = scalar.Totals;
        var unitCost = 1e-12 * (Math.Abs(totals.OperatingCost) + Math.Abs(totals.GrossRevenue) + Math.Abs(totals.Royalties)
            + Math.Abs(totals.SustainingCapital)) / totals.PrimaryPayable;
        Close("npvAfterTax", m.NpvAfterTax, money);
        Close("npvPreTax", m.NpvPreTax, money);
        Close("peakFunding", m.PeakFunding, money);
        Close("irrAfterTax", m.IrrAfterTax ?? double.NaN, 1e-9 * Math.Abs(m.IrrAfterTax ?? 0));
        Close("paybackYears", m.PaybackYears ?? double.NaN, 1e-9);
        Close("cashCostPerUnit", m.CashCostPerUnit ?? double.NaN, unitCost);
        Close("aiscPerUnit", m.AiscPerUnit ?? double.NaN, unitCost);

        void Close(string output, double expected, double tolerance)
        {
            var actual = simulated(output);
            Assert.True(
                double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(actual - expected) <= tolerance,
                $"iteration {iteration}, {output}: scalar model {expected:R}, simulation {actual:R}");
        }
    }
}
