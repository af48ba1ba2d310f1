using CalMiner.Scenarios;
using CalMiner.Simulation;

namespace CalMiner.Core.Tests.Scenarios;

public sealed class ScenarioWarningTests
{
    private static readonly ScenarioDocument Gold = ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json"));

    // Gold with diesel, and diesel with mining cost, strongly together, yet gold against mining cost: impossible at once.
    private static readonly ScenarioDocument Contradictory = Gold with
    {
        Correlations =
        [
            new Correlation("goldPrice", "dieselPrice", 0.9),
            new Correlation("dieselPrice", "miningCost", 0.9),
            new Correlation("goldPrice", "miningCost", -0.9),
        ],
        Simulation = Gold.Simulation with { Iterations = 2_000 },
    };

    [Fact]
    public void ConsistentCorrelations_DrawNoWarning()
    {
        Assert.Empty(Gold.Warnings());
    }

    [Fact]
    public void ContradictoryCorrelations_AreValid_ButWarned_WithTheSmallestEigenvalue()
    {
        Assert.Empty(Contradictory.Validate());
        Assert.Equal(Contradictory, ScenarioDocument.Parse(Contradictory.ToJson()));

        var warning = Assert.Single(Contradictory.Warnings());

        Assert.Equal("correlations", warning.Path);
        Assert.Equal(
            "correlations contradict one another: their matrix is not positive semi-definite (smallest eigenvalue -0.8)",
            warning.ToString());
    }

    [Fact]
    public void CorrelationsThatBreakARule_AreLeftToValidate()
    {
        var invalid = Contradictory with { Correlations = [.. Contradictory.Correlations, new Correlation("goldPrice", "noSuchParameter", 0.5)] };

        Assert.NotEmpty(invalid.Validate());
        Assert.Empty(invalid.Warnings());
    }

    [Fact]
    public void ASimulation_RefusesContradictoryCorrelations_NamingTheRepairOption()
    {
        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => MonteCarlo.Run(Contradictory)).Errors);

        Assert.Equal("correlations", error.Path);
        Assert.Contains("smallest eigenvalue -0.8", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SimulationOptions.RepairCorrelations), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepairedRun_SaysSo_AndByHowMuchTheLargestCorrelationChanged()
    {
        var result = MonteCarlo.Run(Contradictory, new SimulationOptions { RepairCorrelations = true });
        var unrepaired = MonteCarlo.Run(Gold with { Simulation = Contradictory.Simulation });

        Assert.True(result.CorrelationsRepaired);
        Assert.InRange(result.CorrelationsMaxChange, 0.01, 1.0);
        Assert.Contains("\"correlationsMaxChange\": ", result.ToJson(), StringComparison.Ordinal);
        Assert.False(unrepaired.CorrelationsRepaired);
        Assert.Equal(0, unrepaired.CorrelationsMaxChange);
    }
}
