using System.Globalization;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Scenarios;
using DocumentFormat.OpenXml.Packaging;

namespace CalMiner.Web.Exports;

/// <summary>
/// A finished simulation run as an Excel workbook, from its results document (the JSON that
/// <c>calminer simulate --format json</c> prints): "Run" (what was run), "Statistics" (each output's
/// moments, percentiles, probability of loss, VaR and CVaR; outputs across the columns), "Percentiles"
/// (the CDF, P0 … P100), "Histogram" (each output's bins with frequency and cumulative frequency as
/// formulas), "Sensitivity" (rank correlations, contribution to variance, tail shift, the tornado with its
/// swing as a formula, and the spider) and "Convergence" (the running mean and its 95 % interval).
/// </summary>
internal static class SimulationWorkbook
{
    public static byte[] Create(SimulationRun run, ScenarioDocument scenario, string resultsJson)
    {
        using var json = JsonDocument.Parse(resultsJson);
        var results = json.RootElement;
        var outputs = results.GetProperty("outputs").EnumerateObject().ToArray();
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var workbook = SheetBuilder.Workbook(document);
            Run(run, scenario, results).AddTo(workbook, "Run");
            Statistics(scenario, outputs).AddTo(workbook, "Statistics", frozenRows: 4, frozenColumns: 1);
            Percentiles(scenario, outputs).AddTo(workbook, "Percentiles", frozenRows: 4, frozenColumns: 1);
            Histogram(scenario, outputs).AddTo(workbook, "Histogram");
            Sensitivity(scenario, results).AddTo(workbook, "Sensitivity");
            Convergence(scenario, results).AddTo(workbook, "Convergence", frozenRows: 3);
            SheetBuilder.Finish(workbook);
        }

        return stream.ToArray();
    }

    private static SheetBuilder Run(SimulationRun run, ScenarioDocument scenario, JsonElement results)
    {
        var sheet = new SheetBuilder().Width(1, 26).Width(2, 40);
        sheet.NewRow().Text(1, $"{scenario.Name}: simulation run {run.Id}", Style.Title);
        sheet.NewRow();
        void Row(string label, string text) => sheet.NewRow().Text(1, label, Style.Bold).Text(2, text);
        void Whole(string label, double value) => sheet.NewRow().Text(1, label, Style.Bold).Number(2, value, Style.Integer);
        Row("Scenario", scenario.Name);
        Whole("Scenario id", run.ScenarioId);
        Whole("Scenario version", run.ScenarioVersion);
        Whole("Run id", run.Id);
        Whole("Iterations", results.GetProperty("iterations").GetDouble());
        Whole("Seed", results.GetProperty("seed").GetDouble());
        Row("Sampling", results.GetProperty("sampling").GetString() ?? "");
        Row("Stopped early by the convergence rule", results.GetProperty("stoppedEarly").GetBoolean() ? "yes" : "no");
        Row("Correlation matrix repaired", results.GetProperty("correlationsRepaired").GetBoolean() ? "yes" : "no");
        Row("Currency", scenario.Currency);
        Row("Requested by", run.RequestedBy);
        Row("Finished at (UTC)", run.FinishedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "");
        sheet.NewRow();
        sheet.NewRow().Text(1, "A statistic that does not exist (no iteration has an IRR, say) is an empty cell. Absent values (no IRR, never paid back) are left out of every statistic; \"present fraction\" says how many iterations had one.", Style.Note);
        return sheet;
    }

    private static readonly (string Label, string Key, bool Probability)[] StatisticRows =
    [
        ("Mean", "mean", false), ("Standard deviation", "sd", false), ("Minimum", "min", false),
        ("P1", "p1", false), ("P5", "p5", false), ("P10", "p10", false), ("P25", "p25", false), ("P50 (median)", "p50", false),
        ("P75", "p75", false), ("P90", "p90", false), ("P95", "p95", false), ("P99", "p99", false), ("Maximum", "max", false),
        ("Probability < 0", "probNegative", true), ("VaR 5 % (the P5)", "var5", false), ("CVaR 5 % (mean at or below the P5)", "cvar5", false),
        ("Present fraction", "presentFraction", true),
    ];

    private static SheetBuilder Statistics(ScenarioDocument scenario, JsonProperty[] outputs)
    {
        var sheet = OutputHeader(scenario, outputs, "statistics", "Statistic", 34);
        foreach (var (label, key, probability) in StatisticRows)
        {
            sheet.NewRow().Text(1, label, Style.Bold);
            for (var o = 0; o < outputs.Length; o++)
            {
                sheet.Number(2 + o, Value(outputs[o].Value.GetProperty(key)), probability ? Style.Percent : Format(outputs[o].Name));
            }
        }

        return sheet;
    }

    private static SheetBuilder Percentiles(ScenarioDocument scenario, JsonProperty[] outputs)
    {
        var sheet = OutputHeader(scenario, outputs, "percentiles (the CDF: linear interpolation between order statistics, as Excel's PERCENTILE.INC)", "Percentile", 14);
        var cdfs = outputs.Select(o => o.Value.GetProperty("cdf").EnumerateArray().Select(Value).ToArray()).ToArray();
        var points = cdfs.Length == 0 ? 0 : cdfs.Max(c => c.Length);
        for (var p = 0; p < points; p++)
        {
            sheet.NewRow().Number(1, points > 1 ? (double)p / (points - 1) : 0, Style.Percent);
            for (var o = 0; o < outputs.Length; o++)
            {
                sheet.Number(2 + o, p < cdfs[o].Length ? cdfs[o][p] : double.NaN, Format(outputs[o].Name));
            }
        }

        return sheet;
    }

    /// <summary>A sheet whose first column names the rows and whose columns are the outputs, with their units; header rows 1..4.</summary>
    private static SheetBuilder OutputHeader(ScenarioDocument scenario, JsonProperty[] outputs, string what, string first, double width)
    {
        var sheet = new SheetBuilder().Width(1, width);
        sheet.NewRow().Text(1, $"{scenario.Name}: {what}", Style.Title);
        sheet.NewRow();
        sheet.NewRow().Text(1, first, Style.Heading);
        for (var o = 0; o < outputs.Length; o++)
        {
            sheet.Width(2 + o, 18).Text(2 + o, outputs[o].Name, Style.Heading);
        }

        sheet.NewRow().Text(1, "Unit", Style.Note);
        for (var o = 0; o < outputs.Length; o++)
        {
            sheet.Text(2 + o, Unit(scenario, outputs[o].Name), Style.Note);
        }

        return sheet;
    }

    private static SheetBuilder Histogram(ScenarioDocument scenario, JsonProperty[] outputs)
    {
        var sheet = new SheetBuilder().Width(1, 18).Width(2, 18).Width(3, 12).Width(4, 12).Width(5, 12);
        sheet.NewRow().Text(1, $"{scenario.Name}: histograms", Style.Title);
        sheet.NewRow().Text(1, "Equal-width bins from the minimum to the maximum; a bin holds the values from its lower edge up to the next bin's, the maximum in the last. Frequency and cumulative frequency are formulas over the counts.", Style.Note);
        foreach (var output in outputs)
        {
            var histogram = output.Value.GetProperty("histogram");
            var counts = histogram.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()).ToArray();
            var min = Value(histogram.GetProperty("min"));
            var width = Value(histogram.GetProperty("binWidth"));
            var style = Format(output.Name);
            sheet.NewRow();
            sheet.NewRow().Text(1, $"{output.Name} ({Unit(scenario, output.Name)})", Style.Heading);
            sheet.NewRow().Text(1, "From", Style.Bold).Text(2, "To", Style.Bold).Text(3, "Count", Style.Bold).Text(4, "Frequency", Style.Bold).Text(5, "Cumulative", Style.Bold);
            var first = sheet.RowNumber + 1;
            var last = first + counts.Length - 1;
            var total = (double)counts.Sum();
            var cumulative = 0L;
            for (var b = 0; b < counts.Length; b++)
            {
                var row = sheet.NewRow().RowNumber;
                cumulative += counts[b];
                var countRange = $"{SheetBuilder.Reference(3, first, true)}:{SheetBuilder.Reference(3, last, true)}";
                sheet.Number(1, min + (b * width), style).Number(2, b == counts.Length - 1 ? min + (counts.Length * width) : min + ((b + 1) * width), style)
                    .Number(3, counts[b], Style.Integer)
                    .Formula(4, $"{SheetBuilder.Reference(3, row)}/SUM({countRange})", counts[b] / total, Style.Percent)
                    .Formula(5, $"SUM({SheetBuilder.Reference(3, first, true)}:{SheetBuilder.Reference(3, row)})/SUM({countRange})", cumulative / total, Style.Percent);
            }
        }

        return sheet;
    }

    private static SheetBuilder Sensitivity(ScenarioDocument scenario, JsonElement results)
    {
        var money = scenario.Currency;
        var sheet = new SheetBuilder().Width(1, 28).Width(2, 18).Width(3, 18).Width(4, 18).Width(5, 18).Width(6, 18);
        sheet.NewRow().Text(1, $"{scenario.Name}: sensitivity of the after-tax NPV", Style.Title);
        sheet.NewRow();
        sheet.NewRow().Text(1, "Rank correlation and contribution to variance", Style.Heading);
        sheet.NewRow().Text(1, "Input", Style.Bold).Text(2, "Rank correlation", Style.Bold).Text(3, "Contribution to variance", Style.Bold).Text(4, "Tail shift (sd)", Style.Bold);
        foreach (var input in results.GetProperty("sensitivity").EnumerateArray())
        {
            sheet.NewRow().Text(1, input.GetProperty("input").GetString()!)
                .Number(2, Value(input.GetProperty("rankCorrelation")), Style.Decimal)
                .Number(3, Value(input.GetProperty("contributionToVariance")), Style.Percent)
                .Number(4, Value(input.GetProperty("tailShift")), Style.Decimal);
        }

        sheet.NewRow().Text(1, "Spearman rank correlation with the after-tax NPV; contribution: its square as a share of all inputs' (sign kept); tail shift: in the iterations below the NPV's P10, the input's median minus its overall median, in its standard deviations.", Style.Note);
        sheet.NewRow();
        sheet.NewRow().Text(1, "Tornado", Style.Heading);
        sheet.NewRow().Text(1, "Input", Style.Bold).Text(2, "Input at P10", Style.Bold).Text(3, "Input at P90", Style.Bold)
            .Text(4, $"NPV at P10 ({money})", Style.Bold).Text(5, $"NPV at P90 ({money})", Style.Bold).Text(6, $"Swing ({money})", Style.Bold);
        foreach (var bar in results.GetProperty("tornado").EnumerateArray())
        {
            var row = sheet.NewRow().RowNumber;
            var low = Value(bar.GetProperty("npvAtLow"));
            var high = Value(bar.GetProperty("npvAtHigh"));
            sheet.Text(1, bar.GetProperty("input").GetString()!)
                .Number(2, Value(bar.GetProperty("low")), Style.Decimal).Number(3, Value(bar.GetProperty("high")), Style.Decimal)
                .Number(4, low).Number(5, high)
                .Formula(6, $"ABS({SheetBuilder.Reference(5, row)}-{SheetBuilder.Reference(4, row)})", Math.Abs(high - low));
        }

        sheet.NewRow().Text(1, "Each input at its P10 and its P90, the others at base case; widest swing first.", Style.Note);
        sheet.NewRow();
        sheet.NewRow().Text(1, "Spider", Style.Heading);
        sheet.NewRow().Text(1, "Input", Style.Bold).Text(2, "Change", Style.Bold).Text(3, "Input value", Style.Bold).Text(4, $"NPV ({money})", Style.Bold);
        foreach (var series in results.GetProperty("spider").EnumerateArray())
        {
            var input = series.GetProperty("input").GetString()!;
            foreach (var point in series.GetProperty("points").EnumerateArray())
            {
                sheet.NewRow().Text(1, input).Number(2, Value(point.GetProperty("change")), Style.Percent)
                    .Number(3, Value(point.GetProperty("value")), Style.Decimal).Number(4, Value(point.GetProperty("npv")));
            }
        }

        return sheet;
    }

    private static SheetBuilder Convergence(ScenarioDocument scenario, JsonElement results)
    {
        var sheet = new SheetBuilder().Width(1, 14).Width(2, 18).Width(3, 18).Width(4, 18);
        sheet.NewRow().Text(1, $"{scenario.Name}: convergence of the mean after-tax NPV ({scenario.Currency})", Style.Title);
        sheet.NewRow();
        sheet.NewRow().Text(1, "Iterations", Style.Heading).Text(2, "Mean", Style.Heading).Text(3, "95 % low", Style.Heading).Text(4, "95 % high", Style.Heading);
        foreach (var point in results.GetProperty("convergence").EnumerateArray())
        {
            sheet.NewRow().Number(1, Value(point.GetProperty("iterations")), Style.Integer)
                .Number(2, Value(point.GetProperty("mean"))).Number(3, Value(point.GetProperty("low"))).Number(4, Value(point.GetProperty("high")));
        }

        return sheet;
    }

    /// <summary>A number of the results document; <c>null</c> (a statistic that does not exist) is NaN, written as an empty cell.</summary>
    private static double Value(JsonElement element) => element.ValueKind == JsonValueKind.Number ? element.GetDouble() : double.NaN;

    private static Style Format(string output) => output switch
    {
        "irrAfterTax" or "irrPreTax" or "equityIrr" => Style.Percent,
        "paybackYears" or "discountedPaybackYears" => Style.Years,
        "cashCostPerUnit" or "aiscPerUnit" or "minDscr" => Style.Decimal,
        _ => Style.Amount,
    };

    private static string Unit(ScenarioDocument scenario, string output) => output switch
    {
        "irrAfterTax" or "irrPreTax" or "equityIrr" => "fraction",
        "paybackYears" or "discountedPaybackYears" => "years",
        "cashCostPerUnit" or "aiscPerUnit" => $"{scenario.Currency}/{CashFlowWorkbook.PayableUnitName(scenario.Products.First(p => p.Primary).PayableUnit)}",
        "minDscr" => "ratio",
        _ => scenario.Currency,
    };
}
