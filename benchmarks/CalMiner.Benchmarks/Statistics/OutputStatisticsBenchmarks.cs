using BenchmarkDotNet.Attributes;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Benchmarks.Statistics;

/// <summary>
/// Percentiles and the full summary of one output column. The baseline is the straightforward way:
/// copy the column, sort it, read the nine percentiles.
/// </summary>
[MemoryDiagnoser]
public class OutputStatisticsBenchmarks
{
    private static readonly double[] Levels = [0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99];
    private static readonly StatisticsOptions OneThread = new() { MaxDegreeOfParallelism = 1 };

    private double[] _values = [];
    private double[] _copy = [];
    private int[] _ranks = [];
    private int[] _checkpoints = [];
    private ConvergencePoint[] _points = [];
    private readonly double[] _selected = new double[2 * Levels.Length];
    private readonly double[] _percentiles = new double[Levels.Length];

    [Params(1_000_003, 10_000_019)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _values = BenchmarkData.Npv(N, 20240601);
        _copy = new double[N];
        var ranks = new SortedSet<int>();
        foreach (var p in Levels)
        {
            Percentile.Position(N, p, out var lower, out _);
            ranks.Add(lower);
            ranks.Add(lower + 1);
        }

        _ranks = [.. ranks];
        _checkpoints = Convergence.Checkpoints(N);
        _points = new ConvergencePoint[_checkpoints.Length];
    }

    [Benchmark(Baseline = true, Description = "9 percentiles: copy + Array.Sort")]
    public double[] SortedPercentiles()
    {
        _values.CopyTo(_copy, 0);
        Array.Sort(_copy);
        for (var i = 0; i < Levels.Length; i++)
        {
            _percentiles[i] = Percentile.OfSorted(_copy, Levels[i]);
        }

        return _percentiles;
    }

    [Benchmark(Description = "9 percentiles: bucket selection")]
    public double[] SelectedPercentiles()
    {
        var moments = OutputStatistics.Moments(_values, -1);
        OrderStatistics.Select(_values, moments, _ranks, _selected.AsSpan(0, _ranks.Length), -1);
        return _selected;
    }

    [Benchmark(Description = "full summary (moments, 9 percentiles, VaR/CVaR, histogram, 101-point CDF)")]
    public double Summary() => OutputStatistics.Compute(_values).ConditionalValueAtRisk;

    [Benchmark(Description = "full summary, one thread")]
    public double SummaryOneThread() => OutputStatistics.Compute(_values, OneThread).ConditionalValueAtRisk;

    [Benchmark(Description = "running mean at checkpoints")]
    public double RunningMean()
    {
        Convergence.RunningMean(_values, _checkpoints, _points);
        return _points[^1].Mean;
    }
}
