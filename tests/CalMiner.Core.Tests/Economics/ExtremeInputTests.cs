using CalMiner.Economics;
using CalMiner.Scenarios;
using FsCheck.Xunit;

namespace CalMiner.Core.Tests.Economics;

/// <summary>
/// Each rule-breaking change and each unusual input on its own, applied to the gold example, and the counter-examples
/// that the properties found, pinned.
/// </summary>
public sealed class ExtremeInputTests
{
    private static ScenarioDocument Gold() => ScenarioDocument.Load(GoldOpenPit.Path);

    public static TheoryData<string, int> Breaks()
    {
        var data = new TheoryData<string, int>();
        foreach (var (name, _) in Mutations.Breaks)
        {
            for (var salt = 0; salt < 6; salt++)
            {
                data.Add(name, salt);
            }
        }

        return data;
    }

    public static TheoryData<string> Oddities()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Mutations.Oddities)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    public void BrokenGoldExample_IsRejected_WithErrorsNamingAField(string change, int salt)
    {
        var document = Mutations.Breaks.Single(b => b.Name == change).Break(Gold(), salt);

        var exception = Assert.Throws<InvalidScenarioException>(() => EconomicModel.Evaluate(document));

        Assert.NotEmpty(exception.Errors);
        Assert.All(exception.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Path), $"error without a field: {e}"));
    }

    [Theory]
    [MemberData(nameof(Oddities))]
    public void UnusualGoldExample_EvaluatesOrIsRejected_AndNothingElse(string change)
    {
        var document = Mutations.Oddities.Single(o => o.Name == change).Change(Gold(), 0);

        var exception = Record.Exception(() => EconomicModel.Evaluate(document));

        Assert.True(exception is null or InvalidScenarioException, $"{change}: {exception}");
    }

    [Fact]
    public void AmountsThatCouldOverflow_AreRejectedNamingTheField()
    {
        // 1000 oz x 1e308 $/oz of refining charges would overflow; amounts are capped at 1e15.
        var scenario = TestScenarios.Create(3, TestScenarios.Ounces(1, 1000), TestScenarios.Ounces(2, 1000)) with
        {
            Products = [TestScenarios.Gold(2000) with { SellingCostPerUnit = 1e308 }],
        };

        var exception = Assert.Throws<InvalidScenarioException>(() => EconomicModel.Evaluate(scenario));

        Assert.Equal("products[0].sellingCostPerUnit must be within 0..1000000000000000", Assert.Single(exception.Errors).ToString());
    }

    [Theory]
    [InlineData(new[] { double.NaN, 1.0 })]
    [InlineData(new[] { -1.0, double.PositiveInfinity })]
    [InlineData(new[] { double.NegativeInfinity, double.PositiveInfinity })]
    public void Irr_IsAbsent_ForFlowsThatAreNotFinite(double[] flows) =>
        Assert.Null(Finance.Irr(flows));

    [Fact]
    public void Validate_ReportsANegativeSdOfATruncatedNormal_WithoutThrowing()
    {
        var scenario = Gold() with
        {
            Parameters = new Dictionary<string, Parameter>(Gold().Parameters)
            {
                ["gradeFactor"] = new Parameter(1, Distribution: new Distribution { Type = DistributionType.Normal, Mean = 1, Sd = -0.1, Truncate = new Truncation { Min = 0 } }),
            },
        };

        var errors = scenario.Validate();

        Assert.Contains(errors, e => e.Path == "parameters.gradeFactor.distribution.sd");
    }

    // Counter-examples found by the properties, replayed at the failing step.
    [Property(Arbitrary = [typeof(MutationArbitraries)], MaxTest = 1, Replay = "(11120467253604014673,17828764768549677345,3)")]
    public void Pinned_HugeEquipmentLifeAndCost_EvaluatesOrIsRejected(OddScenario odd)
    {
        var exception = Record.Exception(() => EconomicModel.Evaluate(odd.Scenario.Document));
        Assert.True(exception is null or InvalidScenarioException, $"{odd}: {exception}");
    }

    [Property(Arbitrary = [typeof(MutationArbitraries)], MaxTest = 1, Replay = "(867251467259914562,9977001794115288485,30)")]
    public void Pinned_SellingCostOf1E308InJson_EvaluatesOrIsRejected(EditedJson edited)
    {
        var exception = Record.Exception(() => EconomicModel.Evaluate(ScenarioDocument.Parse(edited.Json)));
        Assert.True(exception is null or InvalidScenarioException, $"{edited.Edits[0]}: {exception}");
    }

    [Property(Arbitrary = [typeof(MutationArbitraries)], MaxTest = 1, Replay = "(13728543597234075112,3028999352784057897,5)")]
    public void Pinned_NegativeSdOfATruncatedNormal_IsRejectedNotThrown(BrokenScenario broken)
    {
        var exception = Record.Exception(() => EconomicModel.Evaluate(broken.Document));
        Assert.True(exception is InvalidScenarioException, $"{broken}: {exception}");
    }
}
