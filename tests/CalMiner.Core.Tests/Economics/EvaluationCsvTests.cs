using System.Globalization;
using System.Text.Json.Nodes;
using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Tests;

namespace CalMiner.Core.Tests.Economics;

public sealed class EvaluationCsvTests
{
    public static TheoryData<string> SampleFiles() => [.. RepositoryFiles.Samples];

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Csv_HasAHeader_OneRowPerPeriod_AndATotalsRow_EachEndingInCrLf(string file)
    {
        var scenario = ScenarioDocument.Load(file);

        var csv = EconomicModel.Evaluate(scenario).ToCsv();

        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", csv.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var rows = Rows(csv);
        Assert.Equal(1 + scenario.Periods + 1, rows.Length);
        Assert.Equal(["period", "year"], rows[0][..2]);
        Assert.All(rows, row => Assert.Equal(rows[0].Length, row.Length));
        Assert.Equal(
            [.. Enumerable.Range(0, scenario.Periods).Select(p => $"{p},{scenario.StartYear + p}"), "total,"],
            rows[1..].Select(r => $"{r[0]},{r[1]}"));
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Csv_HasAColumnPerNumericLineOfTheJson_InItsOrder_WithProductsFlattened(string file)
    {
        var result = EconomicModel.Evaluate(ScenarioDocument.Load(file));
        var period = JsonNode.Parse(result.ToJson())!["periods"]![0]!.AsObject();
        var expected = period
            .Where(p => p.Key is not ("period" or "year"))
            .SelectMany(p => p.Key == "products"
                ? p.Value!.AsArray().SelectMany(product => product!.AsObject().Where(q => q.Key != "name").Select(q => $"{product["name"]}.{q.Key}"))
                : [p.Key]);

        var header = Rows(result.ToCsv())[0];

        Assert.Equal(["period", "year", .. expected], header);
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Csv_Numbers_ReadBackToTheModelsBitForBit(string file)
    {
        var result = EconomicModel.Evaluate(ScenarioDocument.Load(file));
        var lines = result.Periods.Append(result.Totals).ToArray();

        var rows = Rows(result.ToCsv());

        foreach (var column in CashFlowColumns.Of(result))
        {
            var index = Array.IndexOf(rows[0], column.Name);
            for (var r = 0; r < lines.Length; r++)
            {
                var read = double.Parse(rows[r + 1][index], NumberStyles.Float, CultureInfo.InvariantCulture);
                Assert.Equal(BitConverter.DoubleToInt64Bits(column.Value(lines[r])), BitConverter.DoubleToInt64Bits(read));
            }
        }
    }

    [Fact]
    public void Csv_QuotesANameWithACommaOrAQuote_AsRfc4180Says()
    {
        const string name = "Au, \"doré\"";
        var scenario = TestScenarios.Create(2, TestScenarios.Ounces(0, 100), TestScenarios.Ounces(1, 200));
        scenario = scenario with
        {
            Products = [scenario.Products[0] with { Name = name }],
            Schedule = [.. scenario.Schedule.Select(p => p with { Grades = new Dictionary<string, double> { [name] = TestScenarios.GramsPerTroyOunce } })],
        };

        var csv = TestScenarios.Evaluate(scenario).ToCsv();

        Assert.Contains(",\"Au, \"\"doré\"\".payable\",", csv, StringComparison.Ordinal);
        Assert.StartsWith("period,year,oreMined,wasteMined,oreProcessed,\"Au, \"\"doré\"\".contained\",", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_OfAHandCheckedScenario_IsKnown()
    {
        var result = TestScenarios.Evaluate(TestScenarios.Create(2, TestScenarios.Ounces(0, 100), TestScenarios.Ounces(1, 200)));

        var rows = Rows(result.ToCsv());

        // 100 and 200 t of ore processed; the cash flows are those amounts converted from grams to ounces, to the last bit.
        Assert.Equal(["100", "200", "300"], rows[1..].Select(r => r[Array.IndexOf(rows[0], "oreProcessed")]));
        Assert.Equal(["0", "0", "0"], rows[1..].Select(r => r[Array.IndexOf(rows[0], "tax")]));
        var cashFlow = Array.IndexOf(rows[0], "afterTaxCashFlow");
        Assert.Equal(result.Periods[1].AfterTaxCashFlow.ToString("R", CultureInfo.InvariantCulture), rows[2][cashFlow]);
        Assert.Equal(200, double.Parse(rows[2][cashFlow], CultureInfo.InvariantCulture), 1e-9);
        Assert.Equal(["0", "2030"], rows[1][..2]);
        Assert.Equal(["total", ""], rows[3][..2]);
    }

    [Fact]
    public void WriteCsv_WritesWhatToCsvReturns_AndLeavesTheWriterOpen()
    {
        var result = EconomicModel.Evaluate(ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json")));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        result.WriteCsv(writer);
        writer.Write("after");

        Assert.Equal(result.ToCsv() + "after", writer.ToString());
    }

    /// <summary>The fields of each row.</summary>
    private static string[][] Rows(string csv) => [.. Rfc4180.Parse(csv)];
}
