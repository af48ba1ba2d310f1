using BenchmarkDotNet.Attributes;
using CalMiner.Economics;
using CalMiner.Model;
using CalMiner.Simulation;

namespace CalMiner.Benchmarks.Simulation;

/// <summary>
/// The root search of IRRs that Newton's method does not settle: 2 000 after-tax cash-flow vectors of the 30-period,
/// 15-input scenario (most change sign four times or more), one at a time as the scalar model searches them, and
/// eight at a time in vector lanes as the simulation does.
/// </summary>
[MemoryDiagnoser]
public class IrrSearchBenchmarks
{
    private const int Count = 2_000;
    private readonly List<(double[] Flows, int SignChanges, double NewtonRoot)> _searched = [];
    private IrrSearchBatch _batch = null!;
    private double[] _irr = null!;

    [GlobalSetup]
    public void Setup()
    {
        var scenario = BenchmarkScenarios.Synthetic30By15();
        var plan = ScenarioPlan.For(scenario);
        var run = MonteCarlo.Run(scenario, new SimulationOptions { Iterations = 40_000, KeepSamples = true });
        var values = (double[])plan.BaseValues.Clone();
        for (var i = 0; _searched.Count < Count; i++)
        {
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = run.Samples!.Inputs.TryGetValue(plan.ParameterNames[j], out var column) ? column[i] : plan.BaseValues[j];
            }

            var flows = CashFlowCalculator.Evaluate(plan, values).Periods.Select(p => p.AfterTaxCashFlow).ToArray();
            var signChanges = CashFlowMath.SignChanges(flows, out var lowestSign);
            var converged = CashFlowMath.Newton(flows, out var x);
            var settled = converged && signChanges <= 2 && CashFlowMath.IsFirstRoot(flows, x, signChanges, lowestSign);
            if (signChanges > 0 && !settled)
            {
                _searched.Add((flows, signChanges, converged ? x : double.NaN));
            }
        }

        _batch = new IrrSearchBatch(plan.Periods);
        _irr = new double[Count];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "IRR search, one at a time (scalar model)")]
    public void OneAtATime()
    {
        for (var k = 0; k < Count; k++)
        {
            var (flows, signChanges, newtonRoot) = _searched[k];
            _irr[k] = CashFlowMath.RootSearch(flows, signChanges, newtonRoot);
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "IRR search, eight at a time in vector lanes")]
    public void EightAtATime()
    {
        for (var k = 0; k < Count; k++)
        {
            var (flows, signChanges, newtonRoot) = _searched[k];
            _batch.Add(flows, signChanges, newtonRoot, k);
        }

        _batch.Solve(_irr);
    }
}
