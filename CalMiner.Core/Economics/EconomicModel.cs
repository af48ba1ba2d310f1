using CalMiner.Model;
using CalMiner.Scenarios;

namespace CalMiner.Economics;

/// <summary>The deterministic cash-flow model of a scenario.</summary>
public static class EconomicModel
{
    /// <summary>Evaluates the scenario at the base-case values of its parameters.</summary>
    /// <param name="scenario">The scenario; it is validated first.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks the rules of the format.</exception>
    public static EvaluationResult Evaluate(ScenarioDocument scenario) =>
        Evaluate(scenario, parameterValues: null);

    /// <summary>Evaluates the scenario with some parameters set to other values than their base case.</summary>
    /// <param name="scenario">The scenario; it is validated first.</param>
    /// <param name="parameterValues">Values by parameter name that replace the base-case values; the others keep theirs.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks the rules of the format.</exception>
    /// <exception cref="ArgumentException">A name in <paramref name="parameterValues"/> is not a parameter of the scenario, or its value is not finite.</exception>
    public static EvaluationResult Evaluate(ScenarioDocument scenario, IReadOnlyDictionary<string, double>? parameterValues)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var plan = ScenarioPlan.For(scenario);
        return CashFlowCalculator.Evaluate(plan, plan.ParameterValues(parameterValues));
    }
}
