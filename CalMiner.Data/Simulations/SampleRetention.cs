namespace CalMiner.Data;

/// <summary>
/// Which completed runs keep their samples; the others' are dropped by <see cref="SimulationRunRepository.ApplyRetentionAsync"/>
/// (their summaries are kept for ever). A run keeps them while it is among the newest <see cref="RunsPerScenario"/> of its
/// scenario that hold samples and is younger than <see cref="MaxAge"/>.
/// </summary>
public sealed record SampleRetention
{
    /// <summary>How many of a scenario's newest runs keep their samples, ≥ 1; default 5.</summary>
    public int RunsPerScenario { get; init; } = 5;

    /// <summary>How long after it finished a run keeps its samples, &gt; 0; <see langword="null"/>: no limit. Default 30 days.</summary>
    public TimeSpan? MaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How often an idle <see cref="SimulationRunProcessor.RunAsync"/> applies the policy, &gt; 0; default 1 hour. It is also applied after every run.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RunsPerScenario, 1, nameof(RunsPerScenario));
        if (MaxAge is { } age && age <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument(nameof(MaxAge), $"{nameof(MaxAge)} must be > 0 or null, not {age}.");
        }

        if (Interval <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument(nameof(Interval), $"{nameof(Interval)} must be > 0, not {Interval}.");
        }
    }
}
