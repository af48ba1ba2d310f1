namespace CalMiner.Data;

/// <summary>The order of <see cref="ScenarioRepository.ListAsync"/>.</summary>
public enum ScenarioSort
{
    /// <summary>By name, A to Z, ignoring case (ASCII letters on SQLite).</summary>
    Name,

    /// <summary>By name, Z to A.</summary>
    NameDescending,

    /// <summary>By the time of the latest save, oldest first.</summary>
    UpdatedAt,

    /// <summary>By the time of the latest save, most recent first.</summary>
    UpdatedAtDescending,
}
