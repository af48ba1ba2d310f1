namespace CalMiner.Scenarios;

/// <summary>Working capital terms.</summary>
/// <param name="ReceivableDays">Days of NSR held as receivables, 0..365; default 0.</param>
/// <param name="PayableDays">Days of operating cost held as payables, 0..365; default 0.</param>
public sealed record WorkingCapital(double ReceivableDays = 0, double PayableDays = 0);
