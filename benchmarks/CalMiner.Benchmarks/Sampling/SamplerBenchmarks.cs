using BenchmarkDotNet.Attributes;
using CalMiner.Scenarios;
using CalMiner.Simulation.Sampling;

namespace CalMiner.Benchmarks.Sampling;

/// <summary>Variates per second of each family's compiled sampler: element by element, and over a span.</summary>
[MemoryDiagnoser]
public class SamplerBenchmarks
{
    private const int Count = 1_000_003;

    private double[] _uniforms = [];
    private double[] _destination = [];
    private ParameterSampler _sampler = null!;

    [Params("normal", "lognormal", "uniform", "triangular", "pert", "discrete", "empirical", "normalTruncated")]
    public string Family { get; set; } = "normal";

    [GlobalSetup]
    public void Setup()
    {
        _uniforms = new double[Count];
        _destination = new double[Count];
        Xoshiro256StarStar.FromSeed(7).NextUniforms(_uniforms);
        _sampler = ParameterSampler.Create(Family switch
        {
            "normal" => new Distribution { Type = DistributionType.Normal, Mean = 1850, Sd = 150 },
            "lognormal" => new Distribution { Type = DistributionType.Lognormal, Mean = 1.2, Sd = 0.36 },
            "uniform" => new Distribution { Type = DistributionType.Uniform, Min = 0.8, Max = 1.2 },
            "triangular" => new Distribution { Type = DistributionType.Triangular, Min = 0.86, Mode = 0.92, Max = 0.94 },
            "pert" => new Distribution { Type = DistributionType.Pert, Min = 10, Mode = 14, Max = 25 },
            "discrete" => new Distribution { Type = DistributionType.Discrete, Values = [0.9, 1.0, 1.1, 1.25], Weights = [1, 4, 2, 1] },
            "empirical" => new Distribution { Type = DistributionType.Empirical, Values = [.. Enumerable.Range(0, 250).Select(i => 1.0 + i * 0.01)] },
            "normalTruncated" => new Distribution { Type = DistributionType.Normal, Mean = 0.9, Sd = 0.05, Truncate = new() { Min = 0.8, Max = 0.97 } },
            _ => throw new InvalidOperationException(Family),
        });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public void Scalar()
    {
        var u = _uniforms;
        var x = _destination;
        for (var i = 0; i < u.Length; i++)
        {
            x[i] = _sampler.Quantile(u[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void Span() => _sampler.Quantiles(_uniforms, _destination);
}

/// <summary>The one-off cost of compiling a sampler: the PERT quantile table, and the percentile solvers.</summary>
[MemoryDiagnoser]
public class SamplerConstructionBenchmarks
{
    private static readonly Distribution Pert = new() { Type = DistributionType.Pert, Min = 10, Mode = 14, Max = 25 };
    private static readonly Distribution PertFromPercentiles = new() { Type = DistributionType.Pert, P10 = 11.5, Mode = 14, P90 = 20 };
    private static readonly Distribution TriangularFromPercentiles = new() { Type = DistributionType.Triangular, P10 = 0.86, Mode = 0.92, P90 = 0.94 };

    // Results are returned as object so that the internal sampler type stays internal.
    [Benchmark(Baseline = true)]
    public object PertSampler() => ParameterSampler.Create(Pert);

    [Benchmark]
    public Distribution SolvePertPercentiles() => DistributionSolver.ToStandardForm(PertFromPercentiles);

    [Benchmark]
    public Distribution SolveTriangularPercentiles() => DistributionSolver.ToStandardForm(TriangularFromPercentiles);
}

/// <summary>The standard normal quantile against MathNet's, the usual reference in .NET.</summary>
[MemoryDiagnoser]
public class NormalQuantileBenchmarks
{
    private const int Count = 1_000_003;

    private double[] _uniforms = [];
    private double[] _destination = [];
    private int[] _scratch = [];

    [GlobalSetup]
    public void Setup()
    {
        _uniforms = new double[Count];
        _destination = new double[Count];
        _scratch = new int[256];
        Xoshiro256StarStar.FromSeed(7).NextUniforms(_uniforms);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public void MathNetInvCdf()
    {
        for (var i = 0; i < _uniforms.Length; i++)
        {
            _destination[i] = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, _uniforms[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void As241Scalar()
    {
        for (var i = 0; i < _uniforms.Length; i++)
        {
            _destination[i] = NormalFunctions.Quantile(_uniforms[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void As241Span()
    {
        for (var start = 0; start < Count; start += 256)
        {
            var length = Math.Min(256, Count - start);
            NormalFunctions.Quantiles(_uniforms.AsSpan(start, length), _destination.AsSpan(start, length), _scratch);
        }
    }
}
