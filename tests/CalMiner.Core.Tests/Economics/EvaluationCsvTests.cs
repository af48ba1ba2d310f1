using System.Globalization;
using System.Text.Json.Nodes;
using CalMiner.Economics.Internal;
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
    public void Csv_Numbers_AreTheModels_MoneyRoundedToCents_QuantitiesTo3Decimals(string file)
    {
        var result = EconomicModel.Evaluate(ScenarioDocument.Load(file));
        var lines = result.Periods.Append(result.Totals).ToArray();

        var rows = Rows(result.ToCsv());

        foreach (var column in CashFlowColumns.Of(result))
        {
            var index = Array.IndexOf(rows[0], column.Name);
            var decimals = column.Unit == CashFlowUnit.Currency ? 2 : 3;
            for (var r = 0; r < lines.Length; r++)
            {
                var text = rows[r + 1][index];
                var read = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                var model = column.Value(lines[r]);
                Assert.Equal(Math.Round(model, decimals, MidpointRounding.AwayFromZero), read);
                Assert.True(Math.Abs(read - model) <= 0.5 * Math.Pow(10, -decimals) * (1 + 1e-9), $"{column.Name}: {text} is {model:R} rounded");
                var dot = text.IndexOf('.', StringComparison.Ordinal);
                Assert.True(dot < 0 || text.Length - dot - 1 <= decimals, $"{column.Name}: {text} has more than {decimals} decimals");
                Assert.DoesNotContain('E', text);
                Assert.NotEqual("-0", text);
            }
        }
    }

    [Fact]
    public void Csv_WritesTonnesWithoutFloatNoise_AndNegativeAmountsAsNumbers()
    {
        // 3 200 000 t × 1.1 is 3520000.0000000005 in binary floating point.
        var scenario = TestScenarios.Create(2, TestScenarios.Waste(0, 100), TestScenarios.Ounces(1, 3_200_000));
        scenario = scenario with
        {
            Factors = new Factors { Throughput = 1.1 },
            OperatingCosts = new OperatingCosts { MiningPerTonne = 0.013 },
        };
        var result = TestScenarios.Evaluate(scenario);
        Assert.NotEqual(3_520_000, result.Periods[1].OreProcessed);

        var rows = Rows(result.ToCsv());

        Assert.Equal("3520000", rows[2][Array.IndexOf(rows[0], "oreProcessed")]);
        Assert.Equal("3520000.0000000005", result.Periods[1].OreProcessed.ToString("R", CultureInfo.InvariantCulture));
        Assert.Equal("-1.3", rows[1][Array.IndexOf(rows[0], "afterTaxCashFlow")]);
        Assert.Contains("\r\n0,2030,0,100,0,", result.ToCsv(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x.test\",\"y\")", "\"'=HYPERLINK(\"\"http://x.test\"\",\"\"y\"\").payable\"")]
    [InlineData("+Au", "\"'+Au.payable\"")]
    [InlineData("-Au", "\"'-Au.payable\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1).payable\"")]
    [InlineData("\tAu", "\"'\tAu.payable\"")]
    [InlineData("Au-Ag", "Au-Ag.payable")]
    public void Csv_NeutralisesANameThatASpreadsheetWouldRunAsAFormula(string name, string expectedField)
    {
        var scenario = TestScenarios.Create(2, TestScenarios.Ounces(0, 100), TestScenarios.Ounces(1, 200));
        scenario = scenario with
        {
            Products = [scenario.Products[0] with { Name = name }],
            Schedule = [.. scenario.Schedule.Select(p => p with { Grades = new Dictionary<string, double> { [name] = TestScenarios.GramsPerTroyOunce } })],
        };

        var csv = TestScenarios.Evaluate(scenario).ToCsv();

        Assert.Contains("," + expectedField + ",", csv, StringComparison.Ordinal);
        var header = Rows(csv)[0];
        Assert.Equal(name[0] is '=' or '+' or '-' or '@' or '\t' ? "'" + name + ".nsr" : name + ".nsr", header[10]);
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
        Assert.Equal(Math.Round(result.Periods[1].AfterTaxCashFlow, 2, MidpointRounding.AwayFromZero), double.Parse(rows[2][cashFlow], CultureInfo.InvariantCulture));
        Assert.Equal("200", rows[2][cashFlow]);
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
