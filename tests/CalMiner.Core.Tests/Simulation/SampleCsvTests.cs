using System.Globalization;
using CalMiner.Scenarios;
using CalMiner.Simulation;
using FsCheck;
using FsCheck.Xunit;

namespace CalMiner.Core.Tests.Simulation;

public sealed class SampleCsvTests
{
    [Fact]
    public async Task Csv_OfAFewValues_IsKnown()
    {
        KeyValuePair<string, double[]>[] columns =
        [
            new("goldPrice", [1.5, -0.0, 2400.125]),
            new("irrAfterTax", [double.NaN, 0.1, double.PositiveInfinity]),
            new("a, \"b\"", [double.Epsilon, 1e300, -7]),
        ];

        var csv = await WriteAsync(columns);

        Assert.Equal(
            "iteration,goldPrice,irrAfterTax,\"a, \"\"b\"\"\"\r\n" +
            "1,1.5,,5E-324\r\n" +
            "2,-0,0.1,1E+300\r\n" +
            "3,2400.125,,-7\r\n",
            csv);
    }

    [Fact]
    public async Task ColumnNames_ThatASpreadsheetWouldRun_AreNeutralised_NegativeNumbersStayNumbers()
    {
        var csv = await WriteAsync([new("=1+2", [-3]), new("@x", [-0.5]), new("-y", [1]), new("a-b", [2])]);

        Assert.Equal("iteration,\"'=1+2\",\"'@x\",\"'-y\",a-b\r\n1,-3,-0.5,1,2\r\n", csv);
    }

    [Fact]
    public async Task Csv_WithoutColumns_IsTheHeaderAlone()
    {
        Assert.Equal("iteration\r\n", await WriteAsync([]));
    }

    [Property(MaxTest = 200)]
    public void FiniteValues_ReadBackBitForBit(NormalFloat[] first, int seed)
    {
        var a = first.Select(v => v.Get).ToArray();
        var b = a.Select((v, i) => v * (i % 2 == 0 ? 1e-300 : -1e300) + seed).ToArray();

        var rows = WriteAsync([new("a", a), new("b", b)]).GetAwaiter().GetResult().Split("\r\n")[1..^1];

        Assert.Equal(a.Length, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var fields = rows[i].Split(',');
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), fields[0]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(a[i]), BitConverter.DoubleToInt64Bits(double.Parse(fields[1], CultureInfo.InvariantCulture)));
            if (double.IsFinite(b[i]))
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(b[i]), BitConverter.DoubleToInt64Bits(double.Parse(fields[2], CultureInfo.InvariantCulture)));
            }
            else
            {
                Assert.Equal("", fields[2]);
            }
        }
    }

    [Fact]
    public async Task ALongRun_IsWrittenWhole_InPieces()
    {
        const int Rows = 50_000;
        var values = Enumerable.Range(0, Rows).Select(i => i * Math.PI).ToArray();
        var writer = new CountingWriter();

        await SampleCsv.WriteAsync(writer, [new("x", values)]);

        var rows = writer.ToString().Split("\r\n");
        Assert.Equal(Rows + 2, rows.Length);
        Assert.Equal($"{Rows},{values[^1].ToString("R", CultureInfo.InvariantCulture)}", rows[^2]);
        Assert.True(writer.Writes > 10, $"{writer.Writes} writes: the text should be handed over in pieces, not held whole.");
        Assert.True(writer.Flushed);
    }

    [Fact]
    public async Task SimulationSamples_AreWritten_InputsInTheScenariosOrderThenOutputs()
    {
        var scenario = ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json"));
        var samples = MonteCarlo.Run(scenario, new SimulationOptions { Iterations = 300, Seed = 4, KeepSamples = true }).Samples!;
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        await samples.WriteCsvAsync(writer);

        var header = writer.ToString()[..writer.ToString().IndexOf("\r\n", StringComparison.Ordinal)].Split(',');
        var uncertain = scenario.Parameters.Where(p => p.Value.Distribution is { Type: not DistributionType.Constant }).Select(p => p.Key);
        Assert.Equal(["iteration", .. uncertain, .. samples.Outputs.Keys], header);
        Assert.Equal(["npvAfterTax", "irrAfterTax", "npvPreTax", "paybackYears", "peakFunding", "cashCostPerUnit", "aiscPerUnit"], samples.Outputs.Keys);
        Assert.Equal(await WriteAsync([.. samples.Inputs, .. samples.Outputs]), writer.ToString());
    }

    [Fact]
    public async Task Columns_OfDifferentLengthsOrWithoutAName_AreRejected()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        var lengths = await Assert.ThrowsAsync<ArgumentException>(() => SampleCsv.WriteAsync(writer, [new("a", [1, 2]), new("b", [1])]));
        var name = await Assert.ThrowsAsync<ArgumentException>(() => SampleCsv.WriteAsync(writer, [new("", [1])]));

        Assert.Equal("columns", lengths.ParamName);
        Assert.Contains("columns[1]", lengths.Message, StringComparison.Ordinal);
        Assert.Equal("columns", name.ParamName);
        Assert.Equal("", writer.ToString());
    }

    private static async Task<string> WriteAsync(IReadOnlyList<KeyValuePair<string, double[]>> columns)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await SampleCsv.WriteAsync(writer, columns);
        return writer.ToString();
    }

    /// <summary>Counts the pieces it is handed.</summary>
    private sealed class CountingWriter : StringWriter
    {
        public CountingWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public int Writes { get; private set; }

        public bool Flushed { get; private set; }

        public override Task WriteAsync(System.Text.StringBuilder? value, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(value, cancellationToken);
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushed = true;
            return base.FlushAsync(cancellationToken);
        }
    }
}
