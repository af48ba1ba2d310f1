using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>The gold open pit example kept beside its reference model: the project's sample under another name.</summary>
internal static class GoldOpenPit
{
    public static string Path { get; } =
        System.IO.Path.Combine(RepositoryFiles.Root, "tests", "CalMiner.Core.Tests", "Economics", "reference", "gold-open-pit.json");

    public static string Json { get; } = File.ReadAllText(Path);
}

/// <summary>
/// The gold open pit example, period by period, against figures computed independently from docs/economic-model.md by
/// reference/gold_open_pit.py (which documents every step and the readings of the model it relies on).
/// </summary>
public sealed class GoldOpenPitTests
{
    // The copy beside the reference model, and the project's own sample, which differs from it only in its name.
    private static string PathOf(string copy) => copy == "sample" ? RepositoryFiles.Sample("gold-open-pit.json") : GoldOpenPit.Path;

    private static EvaluationResult Evaluate(string copy) => EconomicModel.Evaluate(ScenarioDocument.Load(PathOf(copy)));

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_IsAValidScenario(string copy) =>
        Assert.Empty(ScenarioDocument.Load(PathOf(copy)).Validate());

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_Production_MatchesTheReferenceModel(string copy)
    {
        var result = Evaluate(copy);

        Near.Sequence(PerPeriod.PrimaryPayable, result.Line(p => p.PrimaryPayable));
        Near.Sequence(PerPeriod.PrimaryPayable, result.Line(p => p.Products[0].Payable));
        Near.Sequence(PerPeriod.GrossRevenue, result.Line(p => p.GrossRevenue));
        Near.Sequence(PerPeriod.Nsr, result.Line(p => p.Nsr));
        Near.Sequence(PerPeriod.Royalties, result.Line(p => p.Royalties));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_OperatingCosts_MatchTheReferenceModel(string copy)
    {
        var result = Evaluate(copy);

        Near.Sequence(PerPeriod.MiningCost, result.Line(p => p.MiningCost));
        Near.Sequence(PerPeriod.ConsumablesCost, result.Line(p => p.ConsumablesCost));
        Near.Sequence(PerPeriod.EquipmentOperatingCost, result.Line(p => p.EquipmentOperatingCost));
        Near.Sequence(PerPeriod.OperatingCost, result.Line(p => p.OperatingCost));
        Near.Sequence(PerPeriod.Ebitda, result.Line(p => p.Ebitda));
        Near.Sequence(PerPeriod.Co2eTonnes, result.Line(p => p.Co2eTonnes));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_CapitalAndDepreciation_MatchTheReferenceModel(string copy)
    {
        var result = Evaluate(copy);

        Near.Sequence(PerPeriod.InitialCapital, result.Line(p => p.InitialCapital));
        Near.Sequence(PerPeriod.SustainingCapital, result.Line(p => p.SustainingCapital));
        Near.Sequence(PerPeriod.ClosureCapital, result.Line(p => p.ClosureCapital));
        Near.Sequence(PerPeriod.Capital, result.Line(p => p.Capital));
        Near.Sequence(PerPeriod.Depreciation, result.Line(p => p.Depreciation));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_TaxAndWorkingCapital_MatchTheReferenceModel(string copy)
    {
        var result = Evaluate(copy);

        Near.Sequence(PerPeriod.TaxableIncome, result.Line(p => p.TaxableIncome));
        Near.Sequence(PerPeriod.LossesUsed, result.Line(p => p.LossesUsed));
        Near.Sequence(PerPeriod.Tax, result.Line(p => p.Tax));
        Near.Sequence(PerPeriod.WorkingCapital, result.Line(p => p.WorkingCapital));
        Near.Sequence(PerPeriod.WorkingCapitalChange, result.Line(p => p.WorkingCapitalChange));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_CashFlows_MatchTheReferenceModel(string copy)
    {
        var result = Evaluate(copy);

        Near.Sequence(PerPeriod.PreTaxCashFlow, result.Line(p => p.PreTaxCashFlow));
        Near.Sequence(PerPeriod.AfterTaxCashFlow, result.Line(p => p.AfterTaxCashFlow));
        Near.Sequence(PerPeriod.DiscountedAfterTaxCashFlow, result.Line(p => p.DiscountedAfterTaxCashFlow));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_Metrics_MatchTheReferenceModel(string copy)
    {
        var metrics = Evaluate(copy).Metrics;

        Near.Equal(Metric.NpvAfterTax, metrics.NpvAfterTax);
        Near.Equal(Metric.NpvPreTax, metrics.NpvPreTax);
        Assert.Equal(Metric.IrrAfterTax, metrics.IrrAfterTax!.Value, 1e-9);
        Assert.Equal(Metric.IrrPreTax, metrics.IrrPreTax!.Value, 1e-9);
        Near.Equal(Metric.PaybackYears, metrics.PaybackYears);
        Near.Equal(Metric.DiscountedPaybackYears, metrics.DiscountedPaybackYears);
        Near.Equal(Metric.PeakFunding, metrics.PeakFunding);
        Near.Equal(Metric.CashCostPerUnit, metrics.CashCostPerUnit);
        Near.Equal(Metric.AiscPerUnit, metrics.AiscPerUnit);
        Near.Equal(Metric.Co2eTonnes, metrics.Co2eTonnes);
        Near.Equal(Metric.Co2eKgPerUnit, metrics.Co2eKgPerUnit);
        Near.Sequence(Metric.NpvProfileAfterTax, metrics.NpvProfile.Select(p => p.NpvAfterTax).ToArray());
        Near.Sequence(Metric.NpvProfilePreTax, metrics.NpvProfile.Select(p => p.NpvPreTax).ToArray());
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_BreakevenGoldPrice_MatchesTheReferenceModel_AndGivesAZeroNpv(string copy)
    {
        var breakeven = Evaluate(copy).Metrics.BreakevenPrice;

        Near.Equal(Metric.BreakevenPrice, breakeven, 1e-7);
        var atBreakeven = EconomicModel.Evaluate(ScenarioDocument.Load(PathOf(copy)), new Dictionary<string, double> { ["goldPrice"] = breakeven!.Value });
        Assert.True(Math.Abs(atBreakeven.Metrics.NpvAfterTax) < 100, $"after-tax NPV at the breakeven price {breakeven:R} is {atBreakeven.Metrics.NpvAfterTax:R} USD");
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("sample")]
    public void GoldOpenPit_Totals_MatchTheReferenceModel(string copy)
    {
        var totals = Evaluate(copy).Totals;

        Near.Equal(PerPeriod.PrimaryPayable.Sum(), totals.PrimaryPayable);
        Near.Equal(PerPeriod.Nsr.Sum(), totals.Nsr);
        Near.Equal(PerPeriod.Tax.Sum(), totals.Tax);
        Near.Equal(PerPeriod.AfterTaxCashFlow.Sum(), totals.AfterTaxCashFlow);
        Near.Equal(0, totals.WorkingCapitalChange, 1e-9 * 1e8);
    }

    [Fact]
    public void GoldOpenPit_ReferenceCopy_IsTheSample_ButForItsName()
    {
        var reference = System.Text.Json.Nodes.JsonNode.Parse(GoldOpenPit.Json)!.AsObject();
        var sample = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepositoryFiles.Sample("gold-open-pit.json")))!.AsObject();
        Assert.Equal("Example gold open pit - base case", (string?)reference["name"]);
        Assert.Equal("Gold open pit - base case", (string?)sample["name"]);

        reference.Remove("name");
        sample.Remove("name");

        Assert.True(
            System.Text.Json.Nodes.JsonNode.DeepEquals(reference, sample),
            "reference/gold-open-pit.json differs from samples/gold-open-pit.json in more than its name: copy it again and re-run reference/gold_open_pit.py --csharp");
    }

    // Generated by reference/gold_open_pit.py --csharp.
    private static class PerPeriod
    {
        public static readonly double[] PrimaryPayable = [0.0, 137403.35292676993, 132970.98670332573, 128538.62047988155, 124106.25425643736, 119673.88803299317, 115241.52180954895, 110809.15558610478, 106376.7893626606, 0.0];
        public static readonly double[] GrossRevenue = [0.0, 316027711.73157084, 305833269.4176492, 295638827.1037276, 285444384.78980595, 275249942.4758843, 265055500.1619626, 254861057.848041, 244666615.53411937, 0.0];
        public static readonly double[] Nsr = [0.0, 314928484.9081567, 304769501.5240226, 294610518.1398885, 284451534.7557544, 274292551.37162036, 264133567.9874862, 253974584.60335216, 243815601.21921808, 0.0];
        public static readonly double[] Royalties = [0.0, 9447854.5472447, 9143085.045720678, 8838315.544196656, 8533546.042672632, 8228776.54114861, 7924007.039624586, 7619237.538100565, 7314468.036576542, 0.0];
        public static readonly double[] MiningCost = [12800000.0, 48000000.0, 48000000.0, 48000000.0, 48000000.0, 48000000.0, 48000000.0, 35200000.0, 35200000.0, 0.0];
        public static readonly double[] ConsumablesCost = [3520000.0000000005, 25560000.0, 25560000.0, 25560000.0, 25560000.0, 25560000.0, 25560000.0, 22040000.0, 22040000.0, 0.0];
        public static readonly double[] EquipmentOperatingCost = [0.0, 22040160.0, 22040160.0, 22040160.0, 22040160.0, 22040160.0, 22040160.0, 22040160.0, 22040160.0, 0.0];
        public static readonly double[] OperatingCost = [16320000.0, 152600160.0, 152600160.0, 152600160.0, 152600160.0, 152600160.0, 152600160.0, 136280160.0, 136280160.0, 0.0];
        public static readonly double[] Ebitda = [-16320000.0, 152880470.36091197, 143026256.47830188, 133172042.59569186, 123317828.71308178, 113463614.83047175, 103609400.94786164, 110075187.06525159, 100220973.18264154, 0.0];
        public static readonly double[] InitialCapital = [376500000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        public static readonly double[] SustainingCapital = [0.0, 0.0, 10000000.0, 10000000.0, 10000000.0, 10000000.0, 10000000.0, 10000000.0, 10000000.0, 0.0];
        public static readonly double[] ClosureCapital = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 35000000.0];
        public static readonly double[] Capital = [376500000.0, 0.0, 10000000.0, 10000000.0, 10000000.0, 10000000.0, 10000000.0, 10000000.0, 10000000.0, 35000000.0];
        public static readonly double[] Depreciation = [0.0, 45337500.0, 47337500.0, 49337500.0, 51337500.0, 53337500.0, 55337500.0, 55337500.0, 55337500.0, 33800000.0];
        public static readonly double[] TaxableIncome = [-16320000.0, 107542970.36091197, 95688756.47830188, 83834542.59569186, 71980328.71308178, 60126114.830471754, 48271900.94786164, 54737687.06525159, 44883473.182641536, -68800000.0];
        public static readonly double[] LossesUsed = [0.0, 16320000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        public static readonly double[] Tax = [0.0, 27366891.108273588, 28706626.943490565, 25150362.778707556, 21594098.613924533, 18037834.449141525, 14481570.284358492, 16421306.119575476, 13465041.95479246, 0.0];
        public static readonly double[] WorkingCapital = [-2012054.7945205478, 7070814.649985481, 6235829.714303222, 5400844.778620973, 4565859.842938717, 3730874.907256469, 2895889.971574206, 4072959.830412507, 3237974.8947302513, 0.0];
        public static readonly double[] WorkingCapitalChange = [2012054.7945205478, -9082869.444506029, 834984.9356822595, 834984.9356822483, 834984.9356822558, 834984.9356822483, 834984.9356822632, -1177069.8588383012, 834984.9356822558, 3237974.8947302513];
        public static readonly double[] PreTaxCashFlow = [-390807945.20547944, 143797600.91640595, 133861241.41398415, 124007027.53137411, 114152813.64876403, 104298599.766154, 94444385.88354391, 98898117.20641328, 91055958.11832379, -31762025.10526975];
        public static readonly double[] AfterTaxCashFlow = [-390807945.20547944, 116430709.80813235, 105154614.47049358, 98856664.75266656, 92558715.0348395, 86260765.31701249, 79962815.59918542, 82476811.08683781, 77590916.16353133, -31762025.10526975];
        public static readonly double[] DiscountedAfterTaxCashFlow = [-372198043.05283755, 105606085.99377084, 90836509.63869438, 81329622.74169017, 72522175.16449429, 64369111.20521351, 56828080.150978714, 55823552.19817584, 50015796.37651989, -19499128.171419423];
        public static readonly double[] Co2eTonnes = [8576.0, 82560.0, 82560.0, 82560.0, 82560.0, 82560.0, 82560.0, 73984.0, 73984.0, 0.0];
    }

    private static class Metric
    {
        public const double NpvAfterTax = 185633762.24528068;
        public const double NpvPreTax = 316411173.77925646;
        public const double IrrAfterTax = 0.17813904506344763;
        public const double IrrPreTax = 0.26144535149957066;
        public const double PaybackYears = 4.760230478002001;
        public const double DiscountedPaybackYears = 5.3402819940197315;
        public const double PeakFunding = 390807945.20547944;
        public const double CashCostPerUnit = 1243.2126681528136;
        public const double AiscPerUnit = 1383.7586628431561;
        public const double BreakevenPrice = 1936.8767094789073;
        public const double Co2eTonnes = 651904.0;
        public const double Co2eKgPerUnit = 668.5368154659006;
        public static readonly double[] NpvProfileAfterTax = [316722041.9219499, 185633762.24528068, 126771904.4321109, 93802156.51249854, 65012705.49120185, 28406676.160480414];
        public static readonly double[] NpvProfilePreTax = [481945774.17421407, 316411173.77925646, 241630243.33501095, 199557783.44373122, 162675989.75739533, 115529107.42910452];
    }
}
