using CalMiner.Scenarios;
using FsCheck;
using FsCheck.Fluent;

namespace CalMiner.Core.Tests.Economics;

public sealed class ScenarioShrinkerTests
{
    [Fact]
    public void FailingProperty_IsReportedWithTheSmallestFailingScenario_NotTheGeneratedOne()
    {
        ScenarioDocument? generated = null;
        ScenarioDocument? reported = null;
        var property = Prop.ForAll(ScenarioArbitraries.Scenarios(), scenario =>
        {
            var d = scenario.Document;
            var fails = d.Consumables.Count > 0;
            if (fails)
            {
                // The first failure is the generated scenario; FsCheck reports the last one, when no smaller candidate fails.
                generated ??= d;
                reported = d;
            }

            return !fails;
        });

        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure, property));

        Assert.NotNull(generated);
        Assert.NotNull(reported);
        Assert.Empty(reported.Validate());
        Assert.Equal(1, reported.Periods);
        Assert.Single(reported.Schedule);
        Assert.Single(reported.Products);
        Assert.Single(reported.Consumables);
        Assert.Empty(reported.Capital);
        Assert.Empty(reported.Equipment);
        Assert.Empty(reported.Royalties);
        Assert.Empty(reported.Parameters);
    }

    [Fact]
    public void Shrink_GivesOnlyValidSmallerScenarios_ThatKeepAProcessingPeriod()
    {
        var samples = ScenarioGen.Scenario.Sample(20);
        foreach (var d in samples)
        {
            foreach (var smaller in ScenarioShrinker.Shrink(d))
            {
                Assert.Empty(smaller.Validate());
                Assert.Contains(smaller.Schedule, r => r.OreProcessed > 0);
                Assert.True(Size(smaller) < Size(d), "each candidate is smaller than the scenario it shrinks");
            }
        }
    }

    private static int Size(ScenarioDocument d) =>
        d.Periods + d.Schedule.Count + d.Products.Count + d.Consumables.Count + d.Equipment.Count + d.Capital.Count + d.Royalties.Count + d.Parameters.Count;
}
