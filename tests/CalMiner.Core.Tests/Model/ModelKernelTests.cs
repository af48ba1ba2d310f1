using CalMiner.Core.Tests.Economics;
using CalMiner.Core.Tests.Simulation;
using CalMiner.Economics;
using CalMiner.Model;
using CalMiner.Numerics;
using CalMiner.Scenarios;
using CalMiner.Simulation;
using FsCheck.Xunit;

namespace CalMiner.Core.Tests.Model;

/// <summary>The vectorised kernel against the scalar model, iteration by iteration (see <see cref="ScalarAgreement"/>).</summary>
[Properties(Arbitrary = [typeof(ScenarioArbitraries)], MaxTest = 60)]
public sealed class ModelKernelTests
{
    // Every lane width runs, whatever the machine (wider lanes are emulated where they are not accelerated), and agrees bit for bit.
    private static OutputColumns Run(ScenarioPlan plan, double[]?[] columns, int iterations)
    {
        var padded = (iterations + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes;
        var two = Evaluate(new ModelKernel<Lanes2>(plan), columns, padded);
        foreach (var (width, kernel) in new (int, ModelKernel)[] { (4, new ModelKernel<Lanes4>(plan)), (8, new ModelKernel<Lanes8>(plan)) })
        {
            var wider = Evaluate(kernel, columns, padded);
            foreach (var ((name, expected), (_, actual)) in two.Named.Zip(wider.Named))
            {
                Assert.True(expected.AsSpan(0, padded).SequenceEqual(actual.AsSpan(0, padded)), $"{name} differs between 2 and {width} lanes");
            }
        }

        return two;
    }

    private static OutputColumns Evaluate(ModelKernel kernel, double[]?[] columns, int padded)
    {
        var outputs = new OutputColumns(padded);
        kernel.Evaluate(columns, 0, padded, outputs, kernel.NewScratch());
        return outputs;
    }

    private static void AssertMatches(EvaluationResult expected, OutputColumns actual, int i)
    {
        var columns = actual.Named.ToDictionary(o => o.Name, o => o.Values);
        ScalarAgreement.AssertMatches(expected, output => columns[output][i], i);
    }

    [Property]
    public void Kernel_MatchesTheScalarModel_OnRandomScenarios(GeneratedScenario scenario)
    {
        var plan = ScenarioPlan.For(scenario.Document);

        var outputs = Run(plan, new double[]?[plan.ParameterNames.Length], 5);

        var expected = EconomicModel.Evaluate(scenario.Document);
        for (var i = 0; i < 5; i++)
        {
            AssertMatches(expected, outputs, i);
        }
    }

    public static TheoryData<string> Samples() => [.. RepositoryFiles.Samples];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Kernel_MatchesTheScalarModel_ForEverySampledIteration(string path)
    {
        var document = ScenarioDocument.Load(path);
        var plan = ScenarioPlan.For(document);
        const int iterations = 37;
        var random = new Random(7);
        var columns = new double[]?[plan.ParameterNames.Length];
        for (var j = 0; j < columns.Length; j++)
        {
            // Every other parameter varies, ±20 % around its base value and kept within 0..1 where the base is a fraction.
            if (j % 2 == 1)
            {
                continue;
            }

            var column = new double[40];
            for (var i = 0; i < column.Length; i++)
            {
                var value = plan.BaseValues[j] * (0.8 + 0.4 * random.NextDouble());
                column[i] = plan.BaseValues[j] <= 1 ? Math.Min(value, 1) : value;
            }

            columns[j] = column;
        }

        var outputs = Run(plan, columns, iterations);

        for (var i = 0; i < iterations; i++)
        {
            var values = Enumerable.Range(0, columns.Length)
                .Where(j => columns[j] is not null)
                .ToDictionary(j => plan.ParameterNames[j], j => columns[j]![i]);
            AssertMatches(EconomicModel.Evaluate(document, values), outputs, i);
        }
    }

    [Fact]
    public void Kernel_MatchesTheScalarModel_WithCapitalFleetsAndCostsBoundToParameters()
    {
        // The copper sample (two products, royalties on NSR and on gross revenue, consumables of every driver, fleets
        // replaced mid-life) with an amount of every capital category, a fleet's hourly cost, G&A, a consumable's rate
        // and the by-product's payability and selling cost bound to parameters too; every parameter varies ±20 %.
        var copper = ScenarioDocument.Load(RepositoryFiles.Sample("copper-gold-porphyry.json"));
        var bound = new Dictionary<string, double>
        {
            ["initialAmount"] = copper.Capital[0].Amount.Number,
            ["sustainingAmount"] = copper.Capital[4].Amount.Number,
            ["closureAmount"] = copper.Capital[9].Amount.Number,
            ["truckHourlyCost"] = copper.Equipment[0].OperatingCostPerHour.Number,
            ["generalAndAdmin"] = copper.OperatingCosts.GeneralAndAdminPerPeriod.Number,
            ["powerRate"] = copper.Consumables[1].RatePerDriver.Number,
            ["goldPayability"] = copper.Products[1].Payability.Number,
            ["goldSellingCost"] = copper.Products[1].SellingCostPerUnit.Number,
        };
        var capital = copper.Capital.ToArray();
        (capital[0], capital[4], capital[9]) = (
            capital[0] with { Amount = Bindable.Of("initialAmount") },
            capital[4] with { Amount = Bindable.Of("sustainingAmount") },
            capital[9] with { Amount = Bindable.Of("closureAmount") });
        var consumables = copper.Consumables.ToArray();
        consumables[1] = consumables[1] with { RatePerDriver = Bindable.Of("powerRate") };
        var document = copper with
        {
            Parameters = new Dictionary<string, Parameter>(copper.Parameters.Concat(bound.Select(b => KeyValuePair.Create(b.Key, new Parameter(b.Value))))),
            Capital = capital,
            Equipment = [copper.Equipment[0] with { OperatingCostPerHour = Bindable.Of("truckHourlyCost") }, .. copper.Equipment.Skip(1)],
            OperatingCosts = copper.OperatingCosts with { GeneralAndAdminPerPeriod = Bindable.Of("generalAndAdmin") },
            Consumables = consumables,
            Products = [copper.Products[0], copper.Products[1] with { Payability = Bindable.Of("goldPayability"), SellingCostPerUnit = Bindable.Of("goldSellingCost") }],
        };
        var plan = ScenarioPlan.For(document);
        const int iterations = 61;
        var random = new Random(13);
        var columns = plan.BaseValues.Select(value => (double[]?)[.. Enumerable.Range(0, 64).Select(_ => Math.Min(value * (0.8 + 0.4 * random.NextDouble()), value <= 1 ? 1 : double.MaxValue))]).ToArray();

        var outputs = Run(plan, columns, iterations);

        for (var i = 0; i < iterations; i++)
        {
            var values = Enumerable.Range(0, columns.Length).ToDictionary(j => plan.ParameterNames[j], j => columns[j]![i]);
            AssertMatches(EconomicModel.Evaluate(document, values), outputs, i);
        }
    }

    [Fact]
    public void Kernel_MatchesTheScalarModel_WhenTheFlowsChangeSignOften()
    {
        // Heavy sustaining capital every third year turns the after-tax flow negative mid-life, so Newton's method is
        // not tried and the IRR comes from the batched search; 203 iterations end in a partial block of lanes.
        var gold = ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json"));
        var document = gold with
        {
            Capital = [.. gold.Capital, .. new[] { 3, 6 }.Select(t => new CapitalItem($"Rebuild Y{t}", CapitalCategory.Sustaining, t, 400_000_000, DepreciationYears: 3))],
        };
        var plan = ScenarioPlan.For(document);
        const int iterations = 203;
        var random = new Random(11);
        var columns = new double[]?[plan.ParameterNames.Length];
        var price = Array.IndexOf(plan.ParameterNames, "goldPrice");
        columns[price] = [.. Enumerable.Range(0, 208).Select(_ => plan.BaseValues[price] * (0.6 + 0.9 * random.NextDouble()))];

        var outputs = Run(plan, columns, iterations);

        var often = 0;
        for (var i = 0; i < iterations; i++)
        {
            var expected = EconomicModel.Evaluate(document, new Dictionary<string, double> { ["goldPrice"] = columns[price]![i] });
            often += CashFlowMath.SignChanges([.. expected.Periods.Select(p => p.AfterTaxCashFlow)], out _) > 2 ? 1 : 0;
            AssertMatches(expected, outputs, i);
        }

        Assert.True(often > iterations / 2, $"only {often} of {iterations} iterations change sign more than twice");
    }

    [Fact]
    public void Kernel_MatchesTheScalarModel_WhenNewtonDoesNotSettle()
    {
        // In some of the gold sample's iterations closure costs put a second root near the IRR and Newton's method does not
        // settle within its steps: those lanes stop with the others and take the search.
        var document = ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json"));
        var plan = ScenarioPlan.For(document);
        const int iterations = 6_003;
        var samples = MonteCarlo.Run(document, new SimulationOptions { Iterations = iterations, KeepSamples = true }).Samples!.Inputs;
        var columns = plan.ParameterNames.Select(name => samples.TryGetValue(name, out var values) ? (double[]?)[.. values, .. new double[8]] : null).ToArray();

        var outputs = Run(plan, columns, iterations);

        var unsettled = 0;
        for (var i = 0; i < iterations; i++)
        {
            var expected = EconomicModel.Evaluate(document, samples.ToDictionary(s => s.Key, s => s.Value[i]));
            var flows = expected.Periods.Select(p => p.AfterTaxCashFlow).ToArray();
            unsettled += CashFlowMath.SignChanges(flows, out _) <= 2 && !CashFlowMath.Newton(flows, out _) ? 1 : 0;
            AssertMatches(expected, outputs, i);
        }

        Assert.True(unsettled >= 20, $"only {unsettled} of {iterations} iterations are not settled by Newton's method");
    }
}
