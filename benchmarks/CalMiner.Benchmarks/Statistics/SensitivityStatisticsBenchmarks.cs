using BenchmarkDotNet.Attributes;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Benchmarks.Statistics;

/// <summary>Spearman, contribution to variance and tail analysis of 7 inputs against a million-iteration NPV.</summary>
[MemoryDiagnoser]
public class SensitivityStatisticsBenchmarks
{
    private const int N = 1_000_003;
    private SensitivityInput[] _inputs = [];
    private SensitivityInput[] _inputsWithRanks = [];
    private double[] _npv = [];

    [GlobalSetup]
    public void Setup()
    {
        var columns = BenchmarkData.Inputs(N, 7, 5);
        _npv = new double[N];
        for (var i = 0; i < N; i++)
        {
            _npv[i] = (3e6 * columns[0][i]) - (2e8 * columns[1][i]) + (5e7 * columns[2][i]);
        }

        _inputs = [.. columns.Select((c, j) => new SensitivityInput($"input{j}", c))];
        _inputsWithRanks = [.. _inputs.Select(input =>
        {
            var ranks = new int[N];
            BucketSort.Ranks(input.Values.Span, ranks, new double[N], new int[N]);
            return input with { Ranks = ranks };
        })];
    }

    [Benchmark(Baseline = true, Description = "sensitivity of 7 inputs, ranking each")]
    public double RankingInputs() => Sensitivity.Analyse(_npv, _inputs)[0].TailShift;

    [Benchmark(Description = "sensitivity of 7 inputs, LHS ranks given")]
    public double GivenRanks() => Sensitivity.Analyse(_npv, _inputsWithRanks)[0].TailShift;
}
