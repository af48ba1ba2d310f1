using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CalMiner.Data;
using CalMiner.Scenarios;

namespace CalMiner.Benchmarks.Data;

/// <summary>Saving and loading the gold open-pit sample scenario through the repository.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, warmupCount: 3, iterationCount: 10)]
public class ScenarioStoreBenchmarks
{
    private DataBenchmarkDatabase _database = null!;
    private ScenarioRepository _scenarios = null!;
    private ScenarioDocument _gold = null!;
    private ScenarioDocument _edited = null!;
    private long _id;
    private int _version;

    [Params(Engine.PostgreSql, Engine.Sqlite)]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _gold = ScenarioDocument.Load(Path.Combine(AppContext.BaseDirectory, "Data", "gold-open-pit.json"));
        _edited = _gold with { DiscountRate = 0.06 };
        _database = DataBenchmarkDatabase.Create(Engine);
        _scenarios = _database.Get<ScenarioRepository>();
        var stored = _scenarios.CreateAsync(_gold, "benchmark").GetAwaiter().GetResult();
        _id = stored.Id;
        _version = stored.Version;
    }

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();

    [Benchmark(Description = "Create (insert a new scenario)")]
    public Task<StoredScenario> Create() => _scenarios.CreateAsync(_gold, "benchmark");

    [Benchmark(Description = "Update (save the next version)")]
    public async Task<StoredScenario> Update()
    {
        var saved = await _scenarios.UpdateAsync(_id, _version, (_version & 1) == 0 ? _gold : _edited, "benchmark");
        _version = saved.Version;
        return saved;
    }

    [Benchmark(Description = "Load (rebuild from the tables)")]
    public Task<StoredScenario?> Load() => _scenarios.GetAsync(_id);
}
