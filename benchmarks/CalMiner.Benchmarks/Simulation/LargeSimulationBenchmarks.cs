using BenchmarkDotNet.Attributes;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Benchmarks.Simulation;

/// <summary>Ten million iterations of the gold sample: the goal is 1.5 s in well under 1 GiB (run with <c>--job short</c>).</summary>
[MemoryDiagnoser]
public class LargeSimulationBenchmarks
{
    private ScenarioDocument _gold = null!;

    [GlobalSetup]
    public void Setup() => _gold = BenchmarkScenarios.Gold();

    [Benchmark(Description = "Gold sample, 10 000 000 iterations, LHS + correlation")]
    public SimulationResult Gold() => MonteCarlo.Run(_gold, new SimulationOptions { Iterations = 10_000_000 });
}
