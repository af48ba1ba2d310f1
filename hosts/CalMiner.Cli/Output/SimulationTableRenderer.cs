using System.Globalization;
using System.Text;
using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Cli.Output;

/// <summary>
/// Writes a simulation result as text for a terminal of <see cref="TableRenderer.Width"/> columns:
/// the run (iterations, sampling, seed, time), the statistics and the percentiles of every output
/// (one row each, amounts sharing one scale), the sensitivity of the after-tax NPV to each
/// uncertain input, and the tornado.
/// </summary>
internal static class SimulationTableRenderer
{
    private const int Width = TableRenderer.Width;
    private const int LabelWidth = 26;
    private const int ColumnWidth = 10;
    private const int BarWidth = 36;
    private const string NotAvailable = "n/a";


    public static string Render(ScenarioDocument scenario, SimulationResult result, double seconds)
    {
        var money = Scale.ForAmounts(scenario.Currency, Scale.Largest(
            result.Outputs.Where(o => IsAmount(o.Key)).SelectMany(o => Figures(o.Value))
                .Concat(result.Tornado.SelectMany(b => new[] { b.NpvAtLow, b.NpvAtHigh }))));
        var outputs = result.Outputs.Select(o => (Output: Describe(o.Key, scenario, money), Distribution: o.Value)).ToArray();

        var text = new StringBuilder();
        AppendTitle(text, scenario, result, seconds);
        AppendStatistics(text, outputs);
        AppendPercentiles(text, outputs);
        AppendSensitivity(text, result.Sensitivity);
        AppendTornado(text, scenario, result.Tornado, money);
        return text.ToString();
    }

    private static void AppendTitle(StringBuilder text, ScenarioDocument scenario, SimulationResult result, double seconds)
    {
        var sampling = result.Sampling == SamplingMethod.LatinHypercube ? "Latin Hypercube" : "Monte Carlo";
        text.AppendLine(Fit($"{scenario.Name}: Monte Carlo simulation", Width));
        text.AppendLine(Fit(
            string.Create(CultureInfo.InvariantCulture, $"{result.Iterations:N0} iterations, {sampling} sampling, seed {result.Seed}, {seconds:0.000} s"),
            Width));
        if (result.StoppedEarly)
        {
            text.AppendLine("Stopped early: the convergence rule was met.");
        }

        if (result.CorrelationsRepaired)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"The correlations contradicted one another; the run used the nearest valid matrix (largest change to a correlation {result.CorrelationsMaxChange:0.####})."));
        }
    }

    private static void AppendStatistics(StringBuilder text, (OutputLabel Output, OutputDistribution Distribution)[] outputs)
    {
        text.AppendLine().AppendLine("Statistics");
        AppendHeader(text, "Output", ["Mean", "SD", "Min", "Max", "VaR 5%", "CVaR 5%", "P(<0)", "Present"]);
        foreach (var (output, d) in outputs)
        {
            AppendRow(text, output.Label, [
                output.Format(d.Mean), output.Format(d.StandardDeviation), output.Format(d.Min), output.Format(d.Max),
                output.Format(d.ValueAtRisk5), output.Format(d.ConditionalValueAtRisk5), Percent(d.ProbabilityNegative), Percent(d.PresentFraction),
            ]);
        }
    }

    private static void AppendPercentiles(StringBuilder text, (OutputLabel Output, OutputDistribution Distribution)[] outputs)
    {
        text.AppendLine().AppendLine("Percentiles");
        AppendHeader(text, "Output", [.. OutputDistribution.StandardPercentiles.Select(p => string.Create(CultureInfo.InvariantCulture, $"P{p}"))]);
        foreach (var (output, d) in outputs)
        {
            AppendRow(text, output.Label, [.. OutputDistribution.StandardPercentiles.Select(p => output.Format(d.Percentile(p)))]);
        }
    }

    private static void AppendSensitivity(StringBuilder text, IReadOnlyList<InputInfluence> sensitivity)
    {
        if (sensitivity.Count == 0)
        {
            return;
        }

        text.AppendLine().AppendLine("Sensitivity of the after-tax NPV (Spearman rank correlation, share of variance)");
        const int Cell = 14;
        text.Append("Input".PadRight(LabelWidth)).Append("Rank corr.".PadLeft(Cell)).Append("Variance".PadLeft(Cell))
            .Append("Tail shift".PadLeft(Cell)).AppendLine();
        text.Append('-', LabelWidth + 3 * Cell + 2 + BarWidth).AppendLine();
        foreach (var s in sensitivity)
        {
            var share = double.IsFinite(s.ContributionToVariance) ? s.ContributionToVariance : 0;
            var bar = new string(share < 0 ? '-' : '+', (int)Math.Round(Math.Min(1, Math.Abs(share)) * BarWidth));
            text.Append(Fit(s.Input, LabelWidth - 1).PadRight(LabelWidth))
                .Append(Fixed(s.RankCorrelation, "0.000").PadLeft(Cell))
                .Append(Percent(s.ContributionToVariance).PadLeft(Cell))
                .Append(Fixed(s.TailShift, "0.00 sd").PadLeft(Cell))
                .Append("  ").Append(bar).AppendLine();
        }
    }

    private static void AppendTornado(StringBuilder text, ScenarioDocument scenario, IReadOnlyList<TornadoBar> tornado, Scale money)
    {
        if (tornado.Count == 0)
        {
            return;
        }

        var baseCase = EconomicModel.Evaluate(scenario).Metrics.NpvAfterTax;
        text.AppendLine().AppendLine(Fit(
            $"Tornado: after-tax NPV ({money.Unit}) with each input at its P10 and P90, the others at base case ({Amount(money, baseCase)})",
            Width));
        const int Cell = 13;
        text.Append("Input".PadRight(LabelWidth));
        foreach (var heading in new[] { "Input P10", "Input P90", "NPV at P10", "NPV at P90", "Swing" })
        {
            text.Append(heading.PadLeft(Cell));
        }

        text.AppendLine().Append('-', LabelWidth + 5 * Cell).AppendLine();
        foreach (var bar in tornado)
        {
            text.Append(Fit(bar.Input, LabelWidth - 1).PadRight(LabelWidth))
                .Append(General(bar.Low).PadLeft(Cell))
                .Append(General(bar.High).PadLeft(Cell))
                .Append(Amount(money, bar.NpvAtLow).PadLeft(Cell))
                .Append(Amount(money, bar.NpvAtHigh).PadLeft(Cell))
                .Append(Amount(money, Math.Abs(bar.NpvAtHigh - bar.NpvAtLow)).PadLeft(Cell))
                .AppendLine();
        }
    }

    private static void AppendHeader(StringBuilder text, string label, IReadOnlyList<string> headings)
    {
        AppendRow(text, label, headings);
        text.Append('-', LabelWidth + headings.Count * ColumnWidth).AppendLine();
    }

    private static void AppendRow(StringBuilder text, string label, IReadOnlyList<string> cells)
    {
        text.Append(Fit(label, LabelWidth - 1).PadRight(LabelWidth));
        foreach (var cell in cells)
        {
            text.Append(Fit(cell, ColumnWidth - 1).PadLeft(ColumnWidth));
        }

        text.AppendLine();
    }

    private static bool IsAmount(string output) => output is "npvAfterTax" or "npvPreTax" or "peakFunding";

    private static IEnumerable<double> Figures(OutputDistribution d) =>
        d.Percentiles.Concat([d.Mean, d.Min, d.Max, d.ConditionalValueAtRisk5]);

    /// <summary>How an output is labelled and its figures written.</summary>
    private static OutputLabel Describe(string output, ScenarioDocument scenario, Scale money)
    {
        var perUnit = $"{scenario.Currency}/{Scale.Symbol(scenario.PrimaryProduct.PayableUnit)}";
        return output switch
        {
            "npvAfterTax" => new($"NPV after tax ({money.Unit})", v => Amount(money, v)),
            "npvPreTax" => new($"NPV pre-tax ({money.Unit})", v => Amount(money, v)),
            "peakFunding" => new($"Peak funding ({money.Unit})", v => Amount(money, v)),
            "irrAfterTax" => new("IRR after tax (%)", v => Fixed(v * 100, "0.0")),
            "paybackYears" => new("Payback (years)", v => Fixed(v, "N2")),
            "cashCostPerUnit" => new($"C1 cash cost ({perUnit})", v => Fixed(v, "N0")),
            "aiscPerUnit" => new($"AISC ({perUnit})", v => Fixed(v, "N0")),
            _ => new(output, General),
        };
    }

    /// <summary>A probability or share as a percentage with one decimal: 0.1234 → 12.3%.</summary>
    private static string Percent(double fraction) => Fixed(fraction * 100, "0.0") is var p && p != NotAvailable ? p + "%" : p;

    private static string Fixed(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : NotAvailable;

    /// <summary>An input's value with about four significant digits: 1,850, 92.5, 0.92, 0.0123.</summary>
    private static string General(double value)
    {
        var magnitude = Math.Abs(value);
        return Fixed(value, magnitude >= 1000 ? "N0" : magnitude >= 10 ? "N1" : magnitude >= 1 ? "N2" : "G3");
    }

    /// <summary><paramref name="text"/>, cut to <paramref name="width"/> characters with a <c>~</c> where it was cut.</summary>
    private static string Fit(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "~");

    /// <summary>An amount in <paramref name="money"/>'s scale; <c>n/a</c> for a statistic that does not exist.</summary>
    private static string Amount(Scale money, double value) => double.IsFinite(value) ? money.Format(value) : NotAvailable;

    /// <summary>An output's label and the way its values are written.</summary>
    private sealed record OutputLabel(string Label, Func<double, string> Format);
}
