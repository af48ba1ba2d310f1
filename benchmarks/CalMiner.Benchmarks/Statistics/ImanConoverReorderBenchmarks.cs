using BenchmarkDotNet.Attributes;
using CalMiner.Scenarios;
using CalMiner.Simulation.Correlation;
using CalMiner.Simulation.Sampling;

namespace CalMiner.Benchmarks.Statistics;

/// <summary>
/// Iman–Conover on ranks alone, as a Latin Hypercube run uses it: a million and three iterations of 3 and 7
/// correlated inputs whose ranks are their strata. The workspace is kept between invocations, as it is within
/// a run; reordering in place means later invocations reorder already correlated ranks: the work is the same.
/// </summary>
[MemoryDiagnoser]
public class ImanConoverReorderBenchmarks
{
    private const int N = 1_000_003;

    private Memory<int>[] _ranks = [];
    private CorrelationMatrix _target = CorrelationMatrix.Identity(1);
    private readonly ImanConoverWorkspace _workspace = new();

    [Params(3, 7)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] names = [.. Enumerable.Range(0, K).Select(j => $"input{j}")];
        var plan = new SamplingPlan(42, SamplingMethod.LatinHypercube, N, names);
        _ranks = [.. Enumerable.Range(0, K).Select(u =>
        {
            var strata = new int[N];
            plan.Strata(u, 0, strata);
            return (Memory<int>)strata;
        })];
        _target = ImanConoverStatisticsBenchmarks.Target(K);
    }

    [GlobalCleanup]
    public void Cleanup() => _workspace.Dispose();

    [Benchmark(Description = "Iman-Conover, reorder LHS strata")]
    public void Reorder() => ImanConover.Reorder(_ranks, _target, _workspace);
}
