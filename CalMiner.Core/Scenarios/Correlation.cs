namespace CalMiner.Scenarios;

/// <summary>A target Spearman rank correlation between two uncertain parameters.</summary>
/// <param name="A">The first parameter's name.</param>
/// <param name="B">The second parameter's name.</param>
/// <param name="Rank">Target rank correlation in −1..1.</param>
public sealed record Correlation(string A, string B, double Rank);
