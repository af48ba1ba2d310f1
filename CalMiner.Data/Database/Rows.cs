namespace CalMiner.Data.Database;

// One class per table. Property names map to snake_case column names (see CalMinerMapping).
// A bindable input is two columns: the number, or the name of the parameter it is bound to.

internal sealed class ScenarioRow
{
    public long Id { get; set; }
    public int Version { get; set; }
    public int SchemaVersion { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Currency { get; set; } = "";
    public int StartYear { get; set; }
    public int Periods { get; set; }
    public double DiscountRate { get; set; }
    public string Discounting { get; set; } = "";
    public double? MiningPerTonne { get; set; }
    public string? MiningPerTonneParameter { get; set; }
    public double? ProcessingPerTonne { get; set; }
    public string? ProcessingPerTonneParameter { get; set; }
    public double? GeneralAndAdminPerPeriod { get; set; }
    public string? GeneralAndAdminPerPeriodParameter { get; set; }
    public double? CarbonPricePerTonne { get; set; }
    public string? CarbonPricePerTonneParameter { get; set; }
    public double? TaxRate { get; set; }
    public string? TaxRateParameter { get; set; }
    public bool TaxLossCarryForward { get; set; }
    public double ReceivableDays { get; set; }
    public double PayableDays { get; set; }
    public double? GradeFactor { get; set; }
    public string? GradeFactorParameter { get; set; }
    public double? ThroughputFactor { get; set; }
    public string? ThroughputFactorParameter { get; set; }
    public double? OperatingCostFactor { get; set; }
    public string? OperatingCostFactorParameter { get; set; }
    public double? InitialCapitalFactor { get; set; }
    public string? InitialCapitalFactorParameter { get; set; }
    public double? SustainingCapitalFactor { get; set; }
    public string? SustainingCapitalFactorParameter { get; set; }
    public int SimulationIterations { get; set; }
    public long SimulationSeed { get; set; }
    public string SimulationSampling { get; set; } = "";
    public string? ConvergenceMetric { get; set; }
    public double? ConvergenceRelativeTolerance { get; set; }
    public double? ConvergenceConfidence { get; set; }
    public int? ConvergenceMaxIterations { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
    public long WorkspaceId { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public string? DeletedBy { get; set; }
}

internal sealed class ParameterRow
{
    public long ScenarioId { get; set; }
    public string Name { get; set; } = "";
    public int Ordinal { get; set; }
    public double Value { get; set; }
    public string? Unit { get; set; }
    public string? Description { get; set; }
    public string? DistributionType { get; set; }
    public double? DistributionValue { get; set; }
    public double? DistributionMean { get; set; }
    public double? DistributionSd { get; set; }
    public double? DistributionMin { get; set; }
    public double? DistributionMode { get; set; }
    public double? DistributionMax { get; set; }
    public double? DistributionLambda { get; set; }
    public double? DistributionP10 { get; set; }
    public double? DistributionP50 { get; set; }
    public double? DistributionP90 { get; set; }
    public double? TruncateMin { get; set; }
    public double? TruncateMax { get; set; }
}

internal sealed class ParameterPointRow
{
    public long ScenarioId { get; set; }
    public string ParameterName { get; set; } = "";
    public int Ordinal { get; set; }
    public double Value { get; set; }
    public double? Weight { get; set; }
}

internal sealed class CorrelationRow
{
    public long ScenarioId { get; set; }
    public int Ordinal { get; set; }
    public string ParameterA { get; set; } = "";
    public string ParameterB { get; set; } = "";
    public double RankCorrelation { get; set; }
}

internal sealed class ProductRow
{
    public long ScenarioId { get; set; }
    public int Ordinal { get; set; }
    public string Name { get; set; } = "";
    public string GradeUnit { get; set; } = "";
    public string PayableUnit { get; set; } = "";
    public double? Recovery { get; set; }
    public string? RecoveryParameter { get; set; }
    public double? Payability { get; set; }
    public string? PayabilityParameter { get; set; }
    public double? Price { get; set; }
    public string? PriceParameter { get; set; }
    public double? SellingCostPerUnit { get; set; }
    public string? SellingCostPerUnitParameter { get; set; }
    public bool IsPrimary { get; set; }
}

internal sealed class SchedulePeriodRow
{
    public long ScenarioId { get; set; }
    public int Period { get; set; }
    public int Ordinal { get; set; }
    public double OreMined { get; set; }
    public double WasteMined { get; set; }
    public double OreProcessed { get; set; }
}

internal sealed class ScheduleGradeRow
{
    public long ScenarioId { get; set; }
    public int Period { get; set; }
    public string ProductName { get; set; } = "";
    public int Ordinal { get; set; }
    public double Grade { get; set; }
}

internal sealed class ConsumableRow
{
    public long ScenarioId { get; set; }
    public int Ordinal { get; set; }
    public string Name { get; set; } = "";
    public string? Unit { get; set; }
    public string Driver { get; set; } = "";
    public double? RatePerDriver { get; set; }
    public string? RatePerDriverParameter { get; set; }
    public double? UnitPrice { get; set; }
    public string? UnitPriceParameter { get; set; }
    public double Co2eKgPerUnit { get; set; }
}

internal sealed class EquipmentRow
{
    public long ScenarioId { get; set; }
    public int Ordinal { get; set; }
    public string Name { get; set; } = "";
    public int UnitCount { get; set; }
    public double UnitCost { get; set; }
    public int PurchasePeriod { get; set; }
    public double? OperatingCostPerHour { get; set; }
    public string? OperatingCostPerHourParameter { get; set; }
    public double Availability { get; set; }
    public double Utilisation { get; set; }
    public double LifeHours { get; set; }
    public int DepreciationYears { get; set; }
    public double? CapacityTonnesPerHour { get; set; }
}

internal sealed class CapitalItemRow
{
    public long ScenarioId { get; set; }
    public int Ordinal { get; set; }
    public string Name { get; set; } = "";
    public string Category { get; set; } = "";
    public int Period { get; set; }
    public double? Amount { get; set; }
    public string? AmountParameter { get; set; }
    public double Contingency { get; set; }
    public int DepreciationYears { get; set; }
}

internal sealed class RoyaltyRow
{
    public long ScenarioId { get; set; }
    public int Ordinal { get; set; }
    public string Name { get; set; } = "";
    public double? Rate { get; set; }
    public string? RateParameter { get; set; }
    public string Basis { get; set; } = "";
}

internal sealed class ScenarioVersionRow
{
    public long ScenarioId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset SavedAt { get; set; }
    public string SavedBy { get; set; } = "";
    public string ChangedPaths { get; set; } = "";
    public string Document { get; set; } = "";
}

internal sealed class MaintenanceLogRow
{
    public long Id { get; set; }
    public long ScenarioId { get; set; }
    public string EquipmentName { get; set; } = "";
    public int Period { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public bool Planned { get; set; }
    public double Cost { get; set; }
    public string? Description { get; set; }
}

internal sealed class SimulationRunRow
{
    public long Id { get; set; }
    public long ScenarioId { get; set; }
    public int ScenarioVersion { get; set; }
    public string Status { get; set; } = "";
    public int Iterations { get; set; }
    public long Seed { get; set; }
    public string Sampling { get; set; } = "";
    public string? ConvergenceMetric { get; set; }
    public double? ConvergenceRelativeTolerance { get; set; }
    public double? ConvergenceConfidence { get; set; }
    public int? ConvergenceMaxIterations { get; set; }
    public bool RepairCorrelations { get; set; }
    public bool KeepSamples { get; set; } = true;
    public long SampleBytes { get; set; }
    public DateTimeOffset? SamplesDroppedAt { get; set; }
    public double Progress { get; set; }
    public int Attempts { get; set; }
    public string? WorkerId { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
}

internal sealed class SimulationResultRow
{
    public long RunId { get; set; }
    public int Iterations { get; set; }
    public string Summary { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SimulationSampleRow
{
    public long RunId { get; set; }
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public int Chunk { get; set; }
    public int ValueCount { get; set; }
    public byte[] Data { get; set; } = [];
}

internal sealed class AppUserRow
{
    public long Id { get; set; }
    public string Email { get; set; } = "";
    public string? PasswordHash { get; set; }
    public string Role { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string SecurityStamp { get; set; } = "";
}

internal sealed class SignInThrottleRow
{
    public string AccountKey { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset RetryAt { get; set; }
    public DateTimeOffset LastAttemptAt { get; set; }
}

internal sealed class ApiKeyRow
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public byte[] SecretHash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class DataProtectionKeyRow
{
    public long Id { get; set; }
    public string FriendlyName { get; set; } = "";
    public string Xml { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SchemaMigrationRow
{
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset AppliedAt { get; set; }
}

internal sealed class WorkspaceRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class WorkspaceMemberRow
{
    public long WorkspaceId { get; set; }
    public long UserId { get; set; }
    public string Role { get; set; } = "";
}

internal sealed class AuditLogRow
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public long? UserId { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public long? TargetId { get; set; }
    public long? WorkspaceId { get; set; }
    public string Summary { get; set; } = "";
    public string? RemoteAddress { get; set; }
    public string? UserAgent { get; set; }
}
