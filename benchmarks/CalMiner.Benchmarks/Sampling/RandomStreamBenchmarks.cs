using BenchmarkDotNet.Attributes;
using CalMiner.Scenarios;
using CalMiner.Simulation.Sampling;

namespace CalMiner.Benchmarks.Sampling;

/// <summary>Uniforms per second: one xoshiro256** stream, four streams in a Vector256, a sampling plan's blocks, and Latin Hypercube strata alone.</summary>
[MemoryDiagnoser]
public class RandomStreamBenchmarks
{
    private const int Count = 1_000_003;

    private double[] _destination = [];
    private int[] _strata = [];
    private SamplingPlan _monteCarlo = null!;
    private SamplingPlan _latinHypercube = null!;

    [GlobalSetup]
    public void Setup()
    {
        _destination = new double[Count];
        _strata = new int[Count];
        _monteCarlo = new SamplingPlan(42, SamplingMethod.MonteCarlo, Count, ["goldPrice"]);
        _latinHypercube = new SamplingPlan(42, SamplingMethod.LatinHypercube, Count, ["goldPrice"]);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public void Scalar()
    {
        var rng = Xoshiro256StarStar.FromSeed(42);
        rng.NextUniforms(_destination);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void Vector4Lanes() => Xoshiro256StarStarX4.Fill(42, 0, _destination);

    [Benchmark(OperationsPerInvoke = Count)]
    public void PlanMonteCarlo() => _monteCarlo.Uniforms(0, 0, _destination);

    [Benchmark(OperationsPerInvoke = Count)]
    public void PlanLatinHypercube() => _latinHypercube.Uniforms(0, 0, _destination);

    [Benchmark(OperationsPerInvoke = Count)]
    public void LatinHypercubeStrata() => _latinHypercube.Strata(0, 0, _strata);
}
