using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Tests;

namespace CalMiner.Cli.Tests;

public sealed class EvaluateCsvTests : IDisposable
{
    private readonly Scenarios _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Csv_HasAHeader_OneRowPerPeriod_AndATotalsRow()
    {
        var rows = await EvaluateAsync(Scenarios.GoldOpenPit);

        Assert.Equal(1 + 10 + 1, rows.Count);
        Assert.Equal(["period", "year"], rows[0][..2]);
        Assert.All(rows, row => Assert.Equal(rows[0].Length, row.Length));
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)), "total"], rows.Skip(1).Select(r => r[0]));
        Assert.Equal("", rows[^1][1]);
    }

    [Fact]
    public async Task Csv_HasAColumnPerLineOfTheJson_WithProductsFlattened()
    {
        var json = await Cli.RunAsync("evaluate", Scenarios.GoldOpenPit, "--format", "json");
        var period = JsonNode.Parse(json.Output)!["periods"]![0]!.AsObject();
        var expected = period.SelectMany(p => p.Key == "products"
            ? p.Value!.AsArray().SelectMany(product => product!.AsObject().Where(q => q.Key != "name").Select(q => $"{product["name"]}.{q.Key}"))
            : [p.Key]);

        var rows = await EvaluateAsync(Scenarios.GoldOpenPit);

        Assert.Equal(expected, rows[0]);
        Assert.Contains("Au.payable", rows[0]);
    }

    [Fact]
    public async Task Csv_NumbersAreTheModels_RoundedToCents_InTheInvariantCulture()
    {
        var expected = EconomicModel.Evaluate(ScenarioDocument.Load(Scenarios.GoldOpenPit));

        var rows = await EvaluateAsync(Scenarios.GoldOpenPit);

        var column = Array.IndexOf(rows[0], "afterTaxCashFlow");
        var values = rows.Skip(1).Select(r => double.Parse(r[column], NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([.. expected.Periods.Select(p => p.AfterTaxCashFlow), expected.Totals.AfterTaxCashFlow], values, new CentComparer());
        Assert.All(rows.Skip(1), r => Assert.DoesNotMatch(@"\.\d{3}", r[column]));
    }

    [Fact]
    public async Task Csv_NeutralisesAProductNameThatASpreadsheetWouldRun()
    {
        const string name = "=HYPERLINK(\"http://x.test\")";
        var run = await Cli.RunAsync("evaluate", _files.Write(GoldWithProductNamed(name)), "--format", "csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x.test\"\").payable\",", run.Output, StringComparison.Ordinal);
        var rows = Rfc4180.Parse(run.Output);
        Assert.DoesNotContain(rows[0], field => field.StartsWith('='));
        Assert.StartsWith("-", rows[1][Array.IndexOf(rows[0], "afterTaxCashFlow")], StringComparison.Ordinal);
    }

    /// <summary>The gold sample with its product, and the grades of every period, renamed <paramref name="name"/>.</summary>
    private static System.Text.Json.Nodes.JsonObject GoldWithProductNamed(string name)
    {
        var document = Scenarios.GoldOpenPitJson();
        document["products"]![0]!["name"] = name;
        foreach (var period in document["schedule"]!.AsArray())
        {
            var grades = period!["grades"]!.AsObject();
            grades[name] = grades["Au"]!.DeepClone();
            grades.Remove("Au");
        }

        return document;
    }

    /// <summary>Equal to the cent: the CSV's figure (already rounded) is the model's rounded.</summary>
    private sealed class CentComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Round(x, 2, MidpointRounding.AwayFromZero) == Math.Round(y, 2, MidpointRounding.AwayFromZero);

        public int GetHashCode(double value) => 0;
    }

    [Fact]
    public async Task Csv_QuotesNamesWithCommasAndQuotes_AsRfc4180Says()
    {
        const string name = "Au, \"doré\"";
        var run = await Cli.RunAsync("evaluate", _files.Write(GoldWithProductNamed(name)), "--format", "csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(",\"Au, \"\"doré\"\".payable\",", run.Output, StringComparison.Ordinal);
        var rows = Rfc4180.Parse(run.Output);
        Assert.Contains($"{name}.payable", rows[0]);
        Assert.All(rows, row => Assert.Equal(rows[0].Length, row.Length));
    }

    [Fact]
    public async Task Csv_EndsEveryRowWithCrLf()
    {
        var run = await Cli.RunAsync("evaluate", Scenarios.GoldOpenPit, "--format", "csv");

        Assert.EndsWith("\r\n", run.Output, StringComparison.Ordinal);
        Assert.Equal(12, run.Output.Split("\r\n").Length - 1);
        Assert.DoesNotContain('\n', run.Output.Replace("\r\n", "", StringComparison.Ordinal));
    }

    private static async Task<List<string[]>> EvaluateAsync(string path)
    {
        var run = await Cli.RunAsync("evaluate", path, "--format", "csv");
        Assert.True(run.ExitCode == 0, run.Error);
        return Rfc4180.Parse(run.Output);
    }
}
