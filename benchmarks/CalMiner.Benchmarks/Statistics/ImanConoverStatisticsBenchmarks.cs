using BenchmarkDotNet.Attributes;
using CalMiner.Simulation.Correlation;

namespace CalMiner.Benchmarks.Statistics;

/// <summary>
/// Iman–Conover on a million iterations of 7 and 15 inputs. The baseline is the same algorithm with
/// Array.Sort for every ranking; "LHS ranks" passes the ranks a Latin Hypercube sampler knows.
/// Reordering is done in place, so later invocations reorder already correlated columns: the work
/// is the same.
/// </summary>
[MemoryDiagnoser]
public class ImanConoverStatisticsBenchmarks
{
    private const int N = 1_000_000;

    private double[][] _columns = [];
    private Memory<double>[] _memories = [];
    private ReadOnlyMemory<int>[] _ranks = [];
    private CorrelationMatrix _target = CorrelationMatrix.Identity(1);
    private readonly ImanConoverWorkspace _workspace = new();
    private readonly NaiveImanConover _naive = new();

    [Params(7, 15)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _columns = BenchmarkData.Inputs(N, K, 99);
        _memories = [.. _columns.Select(c => c.AsMemory())];
        _target = Target(K);

        // Ranks as a sampler would know them, computed once here.
        _ranks = [.. _columns.Select(c =>
        {
            var order = Enumerable.Range(0, c.Length).ToArray();
            Array.Sort((double[])c.Clone(), order);
            var ranks = new int[c.Length];
            for (var p = 0; p < order.Length; p++)
            {
                ranks[order[p]] = p;
            }

            return (ReadOnlyMemory<int>)ranks;
        })];

        ImanConover.Apply(_memories, _target, _workspace);
        _naive.Apply(_columns, _target);
    }

    [Benchmark(Baseline = true, Description = "Iman-Conover, Array.Sort rankings")]
    public void Naive() => _naive.Apply(_columns, _target);

    [Benchmark(Description = "Iman-Conover, bucket-sort rankings")]
    public void Bucketed() => ImanConover.Apply(_memories, _target, _workspace);

    [Benchmark(Description = "Iman-Conover, LHS ranks given")]
    public void WithRanks() => ImanConover.Apply(_memories, _target, _workspace, ranks: _ranks);

    /// <summary>A chain of neighbouring inputs correlated 0.5, −0.3 alternately: valid for any k.</summary>
    internal static CorrelationMatrix Target(int k)
    {
        var values = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            values[i, i] = 1;
            if (i + 1 < k)
            {
                values[i, i + 1] = values[i + 1, i] = i % 2 == 0 ? 0.5 : -0.3;
            }
        }

        return CorrelationMatrix.FromArray(values);
    }
}
