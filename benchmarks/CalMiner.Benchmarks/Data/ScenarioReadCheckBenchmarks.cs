using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CalMiner.Data;
using CalMiner.Scenarios;

namespace CalMiner.Benchmarks.Data;

/// <summary>
/// The two lookups in front of every read of a scenario through the web API: the caller's access to
/// the scenario's workspace, and the scenario's current version (the cache key and the ETag).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, warmupCount: 3, iterationCount: 10)]
public class ScenarioReadCheckBenchmarks
{
    private DataBenchmarkDatabase _database = null!;
    private ScenarioRepository _scenarios = null!;
    private WorkspaceRepository _workspaces = null!;
    private long _id;
    private long _userId;

    [Params(Engine.PostgreSql, Engine.Sqlite)]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _database = DataBenchmarkDatabase.Create(Engine);
        _scenarios = _database.Get<ScenarioRepository>();
        _workspaces = _database.Get<WorkspaceRepository>();
        var gold = ScenarioDocument.Load(Path.Combine(AppContext.BaseDirectory, "Data", "gold-open-pit.json"));
        _id = _scenarios.CreateAsync(gold, "benchmark").GetAwaiter().GetResult().Id;
        var users = _database.Get<UserRepository>();
        _userId = users.CreateAsync("reader@calminer.local", null, UserRole.Viewer).GetAwaiter().GetResult().Id;
        _workspaces.SetMemberAsync(WorkspaceRepository.DefaultId, _userId, WorkspaceRole.Viewer).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();

    [Benchmark(Description = "Scenario access (workspace and role)")]
    public Task<WorkspaceAccess?> Access() => _workspaces.ScenarioAccessAsync(_id, _userId);

    [Benchmark(Description = "Scenario version")]
    public Task<int?> Version() => _scenarios.GetVersionAsync(_id);
}
