namespace CalMiner.Data;

/// <summary>What a run of <see cref="DatabaseMigrator.MigrateAsync"/> did.</summary>
/// <param name="PreviousVersion">The schema version before the run; 0 for an empty database.</param>
/// <param name="CurrentVersion">The schema version after the run.</param>
/// <param name="Applied">The migrations this run applied, e.g. <c>0001_initial</c>, in order; empty when the database was up to date.</param>
public sealed record MigrationResult(int PreviousVersion, int CurrentVersion, IReadOnlyList<string> Applied);
