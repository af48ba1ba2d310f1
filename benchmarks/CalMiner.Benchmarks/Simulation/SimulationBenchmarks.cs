using BenchmarkDotNet.Attributes;
using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Benchmarks.Simulation;

/// <summary>Whole simulations: sampling (LHS), correlation, the model, every statistic and sensitivity.</summary>
[MemoryDiagnoser]
public class SimulationBenchmarks
{
    private ScenarioDocument _gold = null!;
    private ScenarioDocument _synthetic = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Iterations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _gold = BenchmarkScenarios.Gold();
        _synthetic = BenchmarkScenarios.Synthetic30By15();
    }

    [Benchmark(Baseline = true, Description = "Gold sample, LHS + correlation")]
    public SimulationResult Gold() => MonteCarlo.Run(_gold, new SimulationOptions { Iterations = Iterations });

    [Benchmark(Description = "30 periods x 15 inputs, LHS + correlation")]
    public SimulationResult Synthetic() => MonteCarlo.Run(_synthetic, new SimulationOptions { Iterations = Iterations });
}
