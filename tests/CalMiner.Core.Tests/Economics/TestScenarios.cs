using CalMiner.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>Small scenarios for hand-checked tests: one gold product, no costs, no tax, unless a test adds them.</summary>
internal static class TestScenarios
{
    public const double GramsPerTroyOunce = 31.1034768;
    public const double PoundsPerTonne = 2204.62262185;

    /// <summary>Gold in g/t, sold in troy ounces, all of it recovered and paid for.</summary>
    public static Product Gold(double price = 1.0) => new Product(
        Name: "Au",
        GradeUnit: GradeUnit.GramsPerTonne,
        PayableUnit: PayableUnit.TroyOunce,
        Recovery: 1.0,
        Price: price,
        Primary: true);

    /// <summary>A scenario of <paramref name="periods"/> periods at 10 % end of period with the gold product and the rows given.</summary>
    public static ScenarioDocument Create(int periods, params SchedulePeriod[] schedule) => new ScenarioDocument(
        Name: "Hand-checked",
        Currency: "USD",
        StartYear: 2030,
        Periods: periods,
        DiscountRate: 0.10,
        Products: [Gold()],
        Schedule: schedule);

    /// <summary>A period that processes <paramref name="ounces"/> t of ore at one troy ounce per tonne, so that it contains exactly that many ounces of gold.</summary>
    public static SchedulePeriod Ounces(int period, double ounces, double wasteMined = 0) => new SchedulePeriod(
        Period: period,
        OreProcessed: ounces,
        WasteMined: wasteMined,
        Grades: new Dictionary<string, double> { ["Au"] = GramsPerTroyOunce });

    /// <summary>A period that mines waste only: not an operating period.</summary>
    public static SchedulePeriod Waste(int period, double tonnes) => new SchedulePeriod(Period: period, WasteMined: tonnes);

    /// <summary>The scenario evaluated, after checking that it is valid (so a failure is about the model, not the test's scenario).</summary>
    public static EvaluationResult Evaluate(ScenarioDocument scenario)
    {
        var errors = scenario.Validate();
        Assert.True(errors.Count == 0, "the test scenario is invalid: " + string.Join("; ", errors));
        return EconomicModel.Evaluate(scenario);
    }

    /// <summary>One line of the result for every period.</summary>
    public static double[] Line(this EvaluationResult result, Func<CashFlowLine, double> line) =>
        result.Periods.Select(line).ToArray();
}

/// <summary>Comparisons of computed amounts with a tolerance relative to their size.</summary>
internal static class Near
{
    /// <summary>Passes when <paramref name="actual"/> is within <paramref name="relative"/> of <paramref name="expected"/>, relative to max(1, |expected|).</summary>
    public static void Equal(double expected, double actual, double relative = 1e-9)
    {
        var tolerance = relative * Math.Max(1, Math.Abs(expected));
        Assert.True(
            Math.Abs(expected - actual) <= tolerance,
            $"expected {expected:R}, actual {actual:R} (difference {actual - expected:G6}, tolerance {tolerance:G3})");
    }

    /// <summary>Passes when <paramref name="actual"/> has a value within <paramref name="relative"/> of <paramref name="expected"/>.</summary>
    public static void Equal(double expected, double? actual, double relative = 1e-9)
    {
        Assert.True(actual.HasValue, $"expected {expected:R}, actual null");
        Equal(expected, actual.Value, relative);
    }

    /// <summary>Passes when both sequences have the same length and each pair of values is near.</summary>
    public static void Sequence(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative = 1e-9)
    {
        Assert.True(expected.Count == actual.Count, $"expected {expected.Count} values, actual {actual.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var tolerance = relative * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"at [{i}]: expected {expected[i]:R}, actual {actual[i]:R}; expected [{string.Join(", ", expected)}], actual [{string.Join(", ", actual)}]");
        }
    }
}
