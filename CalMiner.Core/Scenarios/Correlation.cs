namespace CalMiner.Scenarios;

/// <summary>A target Spearman rank correlation between two uncertain parameters.</summary>
public sealed record Correlation
{
    /// <summary>The first parameter's name.</summary>
    public required string A { get; init; }

    /// <summary>The second parameter's name.</summary>
    public required string B { get; init; }

    /// <summary>Target rank correlation in −1..1.</summary>
    public required double Rank { get; init; }
}
