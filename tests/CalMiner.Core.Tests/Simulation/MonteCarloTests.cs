using CalMiner.Economics;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Core.Tests.Simulation;

public sealed class MonteCarloTests
{
    private static readonly ScenarioDocument Gold = ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json"));
    private static readonly ScenarioDocument Copper = ScenarioDocument.Load(RepositoryFiles.Sample("copper-gold-porphyry.json"));

    private static SimulationResult Run(ScenarioDocument scenario, int iterations, int threads = -1, SamplingMethod? sampling = null, long seed = 42) =>
        MonteCarlo.Run(scenario, new SimulationOptions { Iterations = iterations, Seed = seed, Sampling = sampling, MaxDegreeOfParallelism = threads, KeepSamples = true });

    [Fact]
    public void EveryIteration_MatchesTheScalarModelOnItsSampledInputs()
    {
        var result = Run(Copper, 203);
        var samples = result.Samples!;

        for (var i = 0; i < result.Iterations; i++)
        {
            var inputs = samples.Inputs.ToDictionary(p => p.Key, p => p.Value[i]);
            ScalarAgreement.AssertMatches(EconomicModel.Evaluate(Copper, inputs), output => samples.Outputs[output][i], i);
        }
    }

    [Theory]
    [InlineData(SamplingMethod.LatinHypercube)]
    [InlineData(SamplingMethod.MonteCarlo)]
    public void Results_AreBitIdentical_WithOneTwoAndEightThreads(SamplingMethod sampling)
    {
        var one = Run(Gold, 50_001, threads: 1, sampling);
        var two = Run(Gold, 50_001, threads: 2, sampling);
        var eight = Run(Gold, 50_001, threads: 8, sampling);

        foreach (var (name, values) in one.Samples!.Outputs)
        {
            Assert.Equal(values, two.Samples!.Outputs[name]);
            Assert.Equal(values, eight.Samples!.Outputs[name]);
        }

        Assert.Equal(one.Outputs["npvAfterTax"].Percentiles, eight.Outputs["npvAfterTax"].Percentiles);
        Assert.Equal(one.Sensitivity, eight.Sensitivity);
    }

    [Fact]
    public void SameSeed_GivesTheSameRun_AndAnotherSeedAnotherOne()
    {
        var first = Run(Gold, 10_000);
        var again = Run(Gold, 10_000);
        var other = Run(Gold, 10_000, seed: 43);

        Assert.Equal(first.Samples!.Outputs["npvAfterTax"], again.Samples!.Outputs["npvAfterTax"]);
        Assert.NotEqual(first.Samples.Outputs["npvAfterTax"], other.Samples!.Outputs["npvAfterTax"]);
    }

    [Fact]
    public void AddingAParameter_LeavesTheOthersSamplesUnchanged()
    {
        var parameters = new Dictionary<string, Parameter>(Gold.Parameters)
        {
            ["aNewInput"] = new Parameter(1, Distribution: new Distribution { Type = DistributionType.Uniform, Min = 0.5, Max = 1.5 }),
        };
        var extended = Gold with { Parameters = parameters, Simulation = Gold.Simulation with { Sampling = SamplingMethod.MonteCarlo } };
        var plain = Gold with { Correlations = [], Simulation = Gold.Simulation with { Sampling = SamplingMethod.MonteCarlo } };

        var before = Run(plain, 5_000);
        var after = Run(extended with { Correlations = [] }, 5_000);

        Assert.Equal(before.Samples!.Inputs["goldPrice"], after.Samples!.Inputs["goldPrice"]);
        Assert.Equal(before.Samples.Inputs["miningCost"], after.Samples.Inputs["miningCost"]);
    }

    [Fact]
    public void Correlations_AreAchievedWithinTwoHundredths()
    {
        var result = Run(Gold, 10_000);
        var inputs = result.Samples!.Inputs;

        Assert.InRange(Spearman(inputs["dieselPrice"], inputs["miningCost"]), 0.58, 0.62);
        Assert.InRange(Spearman(inputs["goldPrice"], inputs["dieselPrice"]), 0.28, 0.32);
        Assert.InRange(Spearman(inputs["goldPrice"], inputs["miningCost"]), -0.05, 0.25);
    }

    [Fact]
    public void Outputs_AreFoundByTypedKey_AsByName()
    {
        var result = Run(Gold, 2_000);

        Assert.Equal(result.Outputs.Count, Enum.GetValues<SimulationOutput>().Length);
        Assert.Same(result.Outputs["npvAfterTax"], result.Output(SimulationOutput.NpvAfterTax));
        Assert.Same(result.Outputs["aiscPerUnit"], result.Output(SimulationOutput.AiscPerUnit));
        Assert.Same(result.Samples!.Outputs["irrAfterTax"], result.Samples.Output(SimulationOutput.IrrAfterTax));
        Assert.All(Enum.GetValues<SimulationOutput>(), output => Assert.NotNull(result.Output(output)));
        Assert.Throws<ArgumentOutOfRangeException>("output", () => result.Output((SimulationOutput)99));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(SimulationLimits.MaxIterations + 1)]
    public void Run_RefusesIterationsOutOfRange_NamingTheOptions(int iterations)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>("options", () => MonteCarlo.Run(Gold, new SimulationOptions { Iterations = iterations }));

        Assert.StartsWith($"options.Iterations must be within 1..{SimulationLimits.MaxIterations}.", error.Message, StringComparison.Ordinal);
        Assert.Equal(iterations, error.ActualValue);
    }

    [Fact]
    public void Percentile_ReadsTheStandardPercentiles_AndTheCdfBetweenThem()
    {
        var npv = Run(Gold, 2_000).Output(SimulationOutput.NpvAfterTax);

        Assert.Equal([1, 5, 10, 25, 50, 75, 90, 95, 99], OutputDistribution.StandardPercentiles);
        for (var i = 0; i < OutputDistribution.StandardPercentiles.Count; i++)
        {
            var percent = OutputDistribution.StandardPercentiles[i];
            Assert.Equal(npv.Percentiles[i], npv.Percentile(percent));
            Assert.Equal(npv.Cdf[percent], npv.Percentile(percent));
        }

        Assert.Equal(npv.Cdf[7], npv.Percentile(7));
        Assert.Equal(npv.Min, npv.Percentile(0));
        Assert.Equal(npv.Max, npv.Percentile(100));
        Assert.Equal(npv.ValueAtRisk5, npv.Percentile(5));
        Assert.Throws<ArgumentOutOfRangeException>("percent", () => npv.Percentile(101));
        Assert.Throws<ArgumentOutOfRangeException>("percent", () => npv.Percentile(-1));
    }

    [Fact]
    public void Statistics_DescribeTheNpvDistribution()
    {
        var result = Run(Gold, 20_000);
        var npv = result.Outputs["npvAfterTax"];
        var sorted = result.Samples!.Outputs["npvAfterTax"].Order().ToArray();

        Assert.Equal(sorted[0], npv.Min);
        Assert.Equal(sorted[^1], npv.Max);
        Assert.True(npv.Percentile(10) < npv.Percentile(50) && npv.Percentile(50) < npv.Percentile(90));
        Assert.Equal(sorted.Count(v => v < 0) / (double)sorted.Length, npv.ProbabilityNegative, 12);
        Assert.Equal(20_000, npv.Histogram.Sum());
        Assert.Equal(101, npv.Cdf.Count);
        Assert.Equal(sorted.Average(), npv.Mean, 1e-6 * Math.Abs(npv.Mean));
        Assert.Equal("goldPrice", result.Sensitivity[0].Input);
        Assert.Equal("goldPrice", result.Tornado[0].Input);
        Assert.True(result.Tornado[0].NpvAtHigh > result.Tornado[0].NpvAtLow);
        Assert.Equal(7, result.Spider[0].Points.Count);
        var baseCase = EconomicModel.Evaluate(Gold);
        Assert.Equal(baseCase.Metrics.NpvAfterTax, result.Spider.Single(s => s.Input == "goldPrice").Points[3].Npv, ScalarAgreement.MoneyTolerance(baseCase));
    }

    [Fact]
    public void TornadoAndSpider_MatchTheScalarModel_WithOneInputMoved()
    {
        var result = Run(Copper, 1_000);
        void AssertNpv(string input, double value, double npv)
        {
            var scalar = EconomicModel.Evaluate(Copper, new Dictionary<string, double> { [input] = value });
            Assert.Equal(scalar.Metrics.NpvAfterTax, npv, ScalarAgreement.MoneyTolerance(scalar));
        }

        Assert.Equal(result.Sensitivity.Count, result.Tornado.Count);
        foreach (var bar in result.Tornado)
        {
            AssertNpv(bar.Input, bar.Low, bar.NpvAtLow);
            AssertNpv(bar.Input, bar.High, bar.NpvAtHigh);
        }

        foreach (var (input, point) in result.Spider.SelectMany(s => s.Points.Select(p => (s.Input, p))))
        {
            AssertNpv(input, point.Value, point.Npv);
        }
    }

    [Fact]
    public void Cancellation_StopsTheRunPromptly()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new Progress(cancellation);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            MonteCarlo.Run(Gold, new SimulationOptions { Iterations = 1_000_000 }, progress, cancellation.Token));

        Assert.True(progress.CancelledAt is { } at && started.Elapsed - at < TimeSpan.FromMilliseconds(100), $"stopped {started.Elapsed - progress.CancelledAt} after the cancellation");
    }

    [Fact]
    public void ConvergenceRule_StopsAtTheSameIterationEveryTime()
    {
        var scenario = Gold with
        {
            Simulation = Gold.Simulation with { Convergence = new ConvergenceRule("npvAfterTax.mean", 0.01, 0.95, 400_000) },
        };

        var first = MonteCarlo.Run(scenario, new SimulationOptions { MaxDegreeOfParallelism = 1 });
        var second = MonteCarlo.Run(scenario, new SimulationOptions { MaxDegreeOfParallelism = 2 });

        Assert.True(first.StoppedEarly);
        Assert.True(first.Iterations < 400_000);
        Assert.Equal(first.Iterations, second.Iterations);
        Assert.Equal(first.Outputs["npvAfterTax"].Mean, second.Outputs["npvAfterTax"].Mean);
    }

    private static double Spearman(double[] a, double[] b)
    {
        static double[] Ranks(double[] x)
        {
            var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
            var ranks = new double[x.Length];
            for (var r = 0; r < order.Length; r++)
            {
                ranks[order[r]] = r;
            }

            return ranks;
        }

        double[] ra = Ranks(a), rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        var cov = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(y => (y - mb) * (y - mb)));
    }

    [Fact]
    public void Progress_GoesThroughEveryStage_AndTheSummaryStepByStep_ToTheWholeRun()
    {
        var reports = new System.Collections.Concurrent.ConcurrentQueue<SimulationProgress>();
        MonteCarlo.Run(Gold, new SimulationOptions { Iterations = 50_000, Seed = 3 }, new Recorder(reports));

        Assert.Equal([SimulationStage.Sampling, SimulationStage.Correlating, SimulationStage.Evaluating, SimulationStage.Summarising], reports.Select(r => r.Stage).Distinct());
        var summary = reports.Where(r => r.Stage == SimulationStage.Summarising).ToList();
        Assert.Contains(summary, r => r.Completed > 0 && r.Completed < r.Total);
        Assert.Equal(1.0, summary.Max(r => r.RunFraction));
        Assert.Equal(0.60, reports.Where(r => r.Stage == SimulationStage.Evaluating).Max(r => r.RunFraction), 12);
        Assert.Equal(0.325, new SimulationProgress(SimulationStage.Evaluating, 500, 1000).RunFraction, 12);
        Assert.Equal(0.0, new SimulationProgress(SimulationStage.Sampling, 0, 1000).RunFraction);
    }

    private sealed class Recorder(System.Collections.Concurrent.ConcurrentQueue<SimulationProgress> reports) : IProgress<SimulationProgress>
    {
        public void Report(SimulationProgress value) => reports.Enqueue(value);
    }

    /// <summary>Cancels once evaluation has begun, and notes when.</summary>
    private sealed class Progress(CancellationTokenSource cancellation) : IProgress<SimulationProgress>
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        public TimeSpan? CancelledAt { get; private set; }

        public void Report(SimulationProgress value)
        {
            if (value is { Stage: SimulationStage.Evaluating, Completed: > 0 } && CancelledAt is null)
            {
                CancelledAt = _clock.Elapsed;
                cancellation.Cancel();
            }
        }
    }
}
