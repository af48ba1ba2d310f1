namespace CalMiner.Economics;

/// <summary>
/// The deterministic evaluation of a scenario: every line per period, their totals and the value metrics. Two
/// evaluations are equal when all their values are: the lists inside are compared by their contents.
/// </summary>
public sealed record EvaluationResult
{
    /// <summary>ISO 4217 code of the currency of every amount.</summary>
    public required string Currency { get; init; }

    /// <summary>One line per period, 0..T − 1.</summary>
    public required IReadOnlyList<CashFlowLine> Periods { get; init => field = ValueEquality.List(value); }

    /// <summary>Life-of-mine totals of every line.</summary>
    public required CashFlowLine Totals { get; init; }

    /// <summary>The value metrics.</summary>
    public required EconomicMetrics Metrics { get; init; }
}
