using BenchmarkDotNet.Attributes;
using CalMiner.Simulation.Statistics;

namespace CalMiner.Benchmarks.Statistics;

/// <summary>Ranks of one column of a million values: the baseline sorts keys and indices with Array.Sort.</summary>
[MemoryDiagnoser]
public class RankingStatisticsBenchmarks
{
    private double[] _values = [];
    private double[] _keys = [];
    private int[] _order = [];
    private int[] _ranks = [];
    private double[] _midRanks = [];

    [Params(1_000_003)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _values = BenchmarkData.Npv(N, 7);
        _keys = new double[N];
        _order = new int[N];
        _ranks = new int[N];
        _midRanks = new double[N];
    }

    [Benchmark(Baseline = true, Description = "ranks: Array.Sort(keys, indices)")]
    public int[] ComparisonSortRanks()
    {
        _values.CopyTo(_keys, 0);
        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        Array.Sort(_keys, _order);
        for (var p = 0; p < _order.Length; p++)
        {
            _ranks[_order[p]] = p;
        }

        return _ranks;
    }

    [Benchmark(Description = "ranks: bucket sort")]
    public int[] BucketSortRanks()
    {
        BucketSort.Ranks(_values, _ranks, _keys, _order);
        return _ranks;
    }

    [Benchmark(Description = "mid-ranks (Spearman): bucket sort")]
    public double[] BucketSortMidRanks()
    {
        BucketSort.MidRanks(_values, _midRanks, _keys, _order);
        return _midRanks;
    }

    [Benchmark(Description = "mid-ranks (Spearman): chunked, one thread")]
    public double[] ChunkedMidRanks()
    {
        BucketSort.MidRanks(_values, _midRanks, _keys, _order, 1, [], []);
        return _midRanks;
    }

    [Benchmark(Description = "mid-ranks (Spearman): chunked, all cores")]
    public double[] ParallelMidRanks()
    {
        BucketSort.MidRanks(_values, _midRanks, _keys, _order, -1, [], []);
        return _midRanks;
    }
}
