using CalMiner.Model;
using CalMiner.Simulation.Sampling;

namespace CalMiner.Simulation.Stages;

/// <summary>The tornado and the spider: the after-tax NPV with one uncertain input changed at a time, every other at its base value.</summary>
internal static class OneAtATime
{
    private static readonly double[] SpiderChanges = [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3];

    /// <summary>Each input at its 10th and 90th percentiles, the widest swing in NPV first.</summary>
    /// <param name="kernel">The run's kernel.</param>
    /// <param name="uncertain">The uncertain parameters by their index in the plan.</param>
    /// <param name="samplers">Their samplers.</param>
    public static List<TornadoBar> Tornado(ModelKernel kernel, int[] uncertain, ParameterSampler[] samplers)
    {
        var plan = kernel.Plan;
        var bounds = uncertain.Select((j, u) => (Parameter: j, Low: samplers[u].Quantile(0.1), High: samplers[u].Quantile(0.9))).ToArray();
        var npv = NpvsWith(kernel, [.. bounds.SelectMany(b => new[] { (b.Parameter, b.Low), (b.Parameter, b.High) })]);
        return
        [
            .. bounds.Select((b, u) => new TornadoBar(plan.ParameterNames[b.Parameter], b.Low, b.High, npv[2 * u], npv[2 * u + 1]))
                .OrderByDescending(bar => Math.Abs(bar.NpvAtHigh - bar.NpvAtLow)),
        ];
    }

    /// <summary>Each input from 30 % below its base value to 30 % above, in steps of 10 %.</summary>
    /// <param name="kernel">The run's kernel.</param>
    /// <param name="uncertain">The uncertain parameters by their index in the plan.</param>
    public static List<SpiderSeries> Spider(ModelKernel kernel, int[] uncertain)
    {
        var plan = kernel.Plan;
        var points = uncertain.SelectMany(j => SpiderChanges.Select(change => (Parameter: j, Value: plan.BaseValues[j] * (1 + change)))).ToArray();
        var npv = NpvsWith(kernel, points);
        return
        [
            .. uncertain.Select((j, u) => new SpiderSeries(
                plan.ParameterNames[j],
                [.. SpiderChanges.Select((change, k) => new SpiderPoint(change, points[(u * SpiderChanges.Length) + k].Value, npv[(u * SpiderChanges.Length) + k]))])),
        ];
    }

    /// <summary>
    /// The after-tax NPV with one parameter changed at a time, every other at its base value. The run's kernel
    /// evaluates all the changes in one call, each the scalar model's NPV to rounding, at a fraction of its cost.
    /// </summary>
    private static double[] NpvsWith(ModelKernel kernel, (int Parameter, double Value)[] changes)
    {
        var plan = kernel.Plan;
        var count = (changes.Length + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes;
        var inputs = new double[]?[plan.ParameterNames.Length];
        foreach (var (parameter, _) in changes)
        {
            inputs[parameter] ??= [.. Enumerable.Repeat(plan.BaseValues[parameter], count)];
        }

        for (var i = 0; i < changes.Length; i++)
        {
            inputs[changes[i].Parameter]![i] = changes[i].Value;
        }

        using var outputs = new OutputColumns(count);
        kernel.Evaluate(inputs, 0, count, outputs, kernel.NewScratch());
        return outputs.NpvAfterTax[..changes.Length];
    }
}
