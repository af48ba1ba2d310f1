using BenchmarkDotNet.Attributes;
using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Benchmarks.Economics;

/// <summary>The deterministic model end to end: validation, compilation, every line, every metric.</summary>
[MemoryDiagnoser]
public class EvaluateBenchmarks
{
    private ScenarioDocument _gold = null!;
    private ScenarioDocument _long = null!;

    [GlobalSetup]
    public void Setup()
    {
        _gold = BenchmarkScenarios.Gold();
        _long = BenchmarkScenarios.LongGold(40);
    }

    [Benchmark(Baseline = true, Description = "Evaluate gold sample (10 periods)")]
    public EvaluationResult Gold10() => EconomicModel.Evaluate(_gold);

    [Benchmark(Description = "Evaluate gold, 40 periods")]
    public EvaluationResult Gold40() => EconomicModel.Evaluate(_long);
}
