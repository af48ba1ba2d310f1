namespace CalMiner.Cli.Output;

/// <summary>How a command writes its result to standard output.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned text for a 120-column terminal.</summary>
    Table,

    /// <summary>A JSON document.</summary>
    Json,

    /// <summary>Comma-separated values (RFC 4180), one row per period.</summary>
    Csv,
}
