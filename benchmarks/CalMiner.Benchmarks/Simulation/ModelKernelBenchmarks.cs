using BenchmarkDotNet.Attributes;
using CalMiner.Economics;
using CalMiner.Model;

namespace CalMiner.Benchmarks.Simulation;

/// <summary>The vectorised model kernel alone over 100 003 iterations of sampled inputs, against the scalar model.</summary>
[MemoryDiagnoser]
public class ModelKernelBenchmarks
{
    private const int Iterations = 100_003;
    private ScenarioPlan _plan = null!;
    private ModelKernel _kernel = null!;
    private OutputColumns _outputs = null!;
    private ModelKernel.Scratch _scratch = null!;
    private double[][] _parameterRows = null!;
    private double[]?[] _columns = null!;
    private int _padded;

    [GlobalSetup]
    public void Setup()
    {
        _plan = ScenarioPlan.For(BenchmarkScenarios.Gold());
        _padded = (Iterations + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes;
        var random = new Random(20261126);
        var columns = new double[]?[_plan.ParameterNames.Length];
        for (var j = 0; j < columns.Length; j++)
        {
            columns[j] = [.. Enumerable.Range(0, _padded).Select(_ => _plan.BaseValues[j] * (0.9 + 0.1 * random.NextDouble()))];
        }

        _parameterRows = [.. Enumerable.Range(0, Iterations).Select(i => columns.Select(c => c![i]).ToArray())];
        _columns = columns;
        _kernel = ModelKernel.For(_plan);
        _outputs = new OutputColumns(_padded);
        _scratch = _kernel.NewScratch();
    }

    [Benchmark(Baseline = true, Description = "Scalar model, 100 003 iterations")]
    public double Scalar()
    {
        var sum = 0.0;
        foreach (var row in _parameterRows)
        {
            sum += CashFlowCalculator.Evaluate(_plan, row).Metrics.NpvAfterTax;
        }

        return sum;
    }

    [Benchmark(Description = "Vectorised kernel, 100 003 iterations, one thread")]
    public void Kernel() => _kernel.Evaluate(_columns, 0, _padded, _outputs, _scratch);
}
