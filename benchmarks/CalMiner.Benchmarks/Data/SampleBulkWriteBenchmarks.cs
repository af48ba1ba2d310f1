using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CalMiner.Data;
using CalMiner.Scenarios;

namespace CalMiner.Benchmarks.Data;

/// <summary>
/// Completing a run of 1 000 000 iterations: the result row and the samples (binary COPY on
/// PostgreSQL) in one transaction. Columns = 1 is one million samples; 14 is the gold sample's
/// seven outputs and seven uncertain inputs.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 2, iterationCount: 10)]
public class SampleBulkWriteBenchmarks
{
    private const int Iterations = 1_000_000;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private DataBenchmarkDatabase _database = null!;
    private SimulationRunRepository _runs = null!;
    private SimulationSamples _samples = null!;
    private long _scenarioId;
    private long _runId;

    [Params(1, 14)]
    public int Columns { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _database = DataBenchmarkDatabase.Create(Engine.PostgreSql);
        _runs = _database.Get<SimulationRunRepository>();
        var gold = ScenarioDocument.Load(Path.Combine(AppContext.BaseDirectory, "Data", "gold-open-pit.json"));
        _scenarioId = _database.Get<ScenarioRepository>().CreateAsync(gold, "benchmark").GetAwaiter().GetResult().Id;

        var random = new Random(20261126);
        var outputs = new Dictionary<string, double[]>();
        var inputs = new Dictionary<string, double[]>();
        for (var c = 0; c < Columns; c++)
        {
            var values = new double[Iterations];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = random.NextDouble() * 1e9 - 2e8;
            }

            (c % 2 == 0 ? outputs : inputs).Add($"column{c}", values);
        }

        _samples = new SimulationSamples(outputs, inputs);
    }

    [IterationSetup]
    public void ClaimARun()
    {
        _runId = _runs.QueueAsync(_scenarioId, 1, new SimulationSettings { Iterations = Iterations }, "benchmark").GetAwaiter().GetResult().Id;
        _runs.ClaimAsync("benchmark", Lease).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "Complete a 1M-iteration run (PostgreSQL binary COPY)")]
    public Task<bool> Complete() => _runs.CompleteAsync(_runId, "benchmark", Iterations, "{}", _samples);

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();
}
