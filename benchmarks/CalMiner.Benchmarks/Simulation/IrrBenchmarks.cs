using BenchmarkDotNet.Attributes;
using CalMiner.Economics;
using CalMiner.Model;

namespace CalMiner.Benchmarks.Simulation;

/// <summary>The IRR of 100 003 ten-period cash-flow vectors shaped like a mine's: construction, production, closure.</summary>
[MemoryDiagnoser]
public class IrrBenchmarks
{
    private const int Count = 100_003;
    private double[][] _flows = null!;
    private double[] _irr = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261126);
        double[] shape = [-390, 116, 105, 99, 93, 86, 80, 82, 78, -32];
        _flows = [.. Enumerable.Range(0, Count).Select(_ => shape.Select(f => f * (0.6 + 0.8 * random.NextDouble())).ToArray())];
        _irr = new double[Count];
    }

    [Benchmark(Description = "IRR of 100 003 mine cash-flow vectors")]
    public void Irr()
    {
        for (var i = 0; i < _flows.Length; i++)
        {
            _irr[i] = CashFlowMath.Irr(_flows[i]);
        }
    }
}
