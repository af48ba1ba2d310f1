namespace CalMiner.Scenarios;

/// <summary>Working capital terms.</summary>
public sealed record WorkingCapital
{
    /// <summary>Days of NSR held as receivables, 0..365.</summary>
    public double ReceivableDays { get; init; }

    /// <summary>Days of operating cost held as payables, 0..365.</summary>
    public double PayableDays { get; init; }
}
