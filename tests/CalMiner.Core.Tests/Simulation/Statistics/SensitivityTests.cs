using CalMiner.Simulation.Statistics;

namespace CalMiner.Core.Tests.Simulation.Statistics;

public class SensitivityTests
{
    [Fact]
    public void Spearman_MatchesTheTextbookExample()
    {
        // IQ against hours of TV a week: Σd² = 194, ρ = 1 − 6·194/(10·(10² − 1)) = −29/165.
        double[] iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
        double[] tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];

        var result = Sensitivity.Analyse(iq, [new SensitivityInput("tv", tv)]);

        Assert.Equal(-29.0 / 165, result[0].RankCorrelation, 14);
    }

    [Fact]
    public void Spearman_UsesMeanRanksForTies()
    {
        var target = Reference.Data(2000, 1, 0);
        var tied = Reference.Data(2000, 2, 2).Zip(target, (a, b) => a + Math.Round(b / 50)).ToArray();

        var result = Sensitivity.Analyse(target, [new SensitivityInput("tied", tied)]);

        Assert.Equal(Reference.Spearman(target, tied), result[0].RankCorrelation, 12);
    }

    [Fact]
    public void Spearman_FromGivenRanks_EqualsSpearmanFromTheValues()
    {
        var target = Reference.Data(10_000, 3, 3);
        var input = Reference.Data(10_000, 4, 0).Zip(target, (a, b) => a + (b / 1e6)).ToArray();
        var ranks = new int[input.Length];
        BucketSort.Ranks(input, ranks, new double[input.Length], new int[input.Length]);

        var result = Sensitivity.Analyse(target, [new SensitivityInput("values", input), new SensitivityInput("strata", input) { Ranks = ranks }]);

        Assert.Equal(result[0].RankCorrelation, result[1].RankCorrelation, 12);
        Assert.Equal(Reference.Spearman(target, input), result[0].RankCorrelation, 12);
    }

    [Fact]
    public void ContributionToVariance_IsTheSignedShareOfSquaredRankCorrelations()
    {
        double[] rho = [0.8, -0.6, 0, double.NaN];
        var contribution = new double[rho.Length];

        Sensitivity.ContributionToVariance(rho, contribution);

        Assert.Equal(64, contribution[0], 12);
        Assert.Equal(-36, contribution[1], 12);
        Assert.Equal(0, contribution[2]);
        Assert.Equal(0, contribution[3]);
    }

    [Fact]
    public void TailAnalysis_ShowsTheInputThatDrivesTheLowTail()
    {
        // NPV falls steeply with capex; the price only adds noise; opex matters a little.
        const int n = 50_000;
        var random = new Random(17);
        var capex = new double[n];
        var price = new double[n];
        var opex = new double[n];
        var npv = new double[n];
        for (var i = 0; i < n; i++)
        {
            capex[i] = 500 + (100 * Reference.Normal(random));
            price[i] = 1800 + (200 * Reference.Normal(random));
            opex[i] = 40 + (5 * Reference.Normal(random));
            npv[i] = 1000 - (5 * capex[i]) - (10 * opex[i]) + (20 * Reference.Normal(random));
        }

        var result = Sensitivity.Analyse(npv, [new("capex", capex), new("price", price), new("opex", opex)]);

        var p10 = Reference.PercentileInc(Reference.SortedPresent(npv), 0.1);
        var tail = Enumerable.Range(0, n).Where(i => npv[i] <= p10).ToArray();
        Assert.Equal(n / 10, tail.Length);
        var capexResult = result[0];
        Assert.Equal(Reference.PercentileInc(Reference.SortedPresent(tail.Select(i => capex[i])), 0.5), capexResult.TailMedian);
        Assert.Equal(Reference.PercentileInc(Reference.SortedPresent(capex), 0.5), capexResult.Median);
        Assert.Equal((capexResult.TailMedian - capexResult.Median) / Reference.SampleStandardDeviation(capex), capexResult.TailShift, 12);

        // The bottom decile of NPV sits about 1.7 sd of capex above its median; price is unrelated.
        Assert.InRange(capexResult.TailShift, 1.5, 1.9);
        Assert.InRange(result[1].TailShift, -0.1, 0.1);
        Assert.InRange(result[2].TailShift, 0.0, 0.6);
        Assert.True(capexResult.RankCorrelation < -0.9);
        Assert.True(Math.Abs(capexResult.ContributionToVariance) > 90);
    }

    [Fact]
    public void TailAnalysis_OfTheUpperTail_LooksAtTheIterationsAtOrAboveP90()
    {
        var target = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        var input = target.Select(x => x * 2).ToArray();

        var result = Sensitivity.Analyse(target, [new("input", input)], new SensitivityOptions { UpperTail = true });

        // target ≥ 899.1 is 900..999, whose doubled median is 1899.
        Assert.Equal(1899, result[0].TailMedian);
        Assert.Equal(999, result[0].Median);
        Assert.Equal(1, result[0].RankCorrelation, 12);
    }
}
