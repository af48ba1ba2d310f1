using LinqToDB;
using LinqToDB.Data;

namespace CalMiner.Data.Database;

/// <summary>A connection to CalMiner's database, with its tables. Short-lived: one per unit of work.</summary>
internal sealed class CalMinerDb(DataOptions<CalMinerDb> options) : DataConnection(options.Options)
{
    public ITable<ScenarioRow> Scenarios => this.GetTable<ScenarioRow>();

    public ITable<ParameterRow> Parameters => this.GetTable<ParameterRow>();

    public ITable<ParameterPointRow> ParameterPoints => this.GetTable<ParameterPointRow>();

    public ITable<CorrelationRow> Correlations => this.GetTable<CorrelationRow>();

    public ITable<ProductRow> Products => this.GetTable<ProductRow>();

    public ITable<SchedulePeriodRow> SchedulePeriods => this.GetTable<SchedulePeriodRow>();

    public ITable<ScheduleGradeRow> ScheduleGrades => this.GetTable<ScheduleGradeRow>();

    public ITable<ConsumableRow> Consumables => this.GetTable<ConsumableRow>();

    public ITable<EquipmentRow> Equipment => this.GetTable<EquipmentRow>();

    public ITable<CapitalItemRow> CapitalItems => this.GetTable<CapitalItemRow>();

    public ITable<RoyaltyRow> Royalties => this.GetTable<RoyaltyRow>();

    public ITable<ScenarioVersionRow> ScenarioVersions => this.GetTable<ScenarioVersionRow>();

    public ITable<MaintenanceLogRow> MaintenanceLogs => this.GetTable<MaintenanceLogRow>();

    public ITable<SimulationRunRow> SimulationRuns => this.GetTable<SimulationRunRow>();

    public ITable<SimulationResultRow> SimulationResults => this.GetTable<SimulationResultRow>();

    public ITable<SimulationSampleRow> SimulationSamples => this.GetTable<SimulationSampleRow>();

    public ITable<AppUserRow> Users => this.GetTable<AppUserRow>();

    public ITable<ApiKeyRow> ApiKeys => this.GetTable<ApiKeyRow>();

    public ITable<SignInThrottleRow> SignInThrottle => this.GetTable<SignInThrottleRow>();

    public ITable<DataProtectionKeyRow> DataProtectionKeys => this.GetTable<DataProtectionKeyRow>();

    public ITable<WorkspaceRow> Workspaces => this.GetTable<WorkspaceRow>();

    public ITable<WorkspaceMemberRow> WorkspaceMembers => this.GetTable<WorkspaceMemberRow>();

    public ITable<AuditLogRow> AuditLog => this.GetTable<AuditLogRow>();

    public ITable<SchemaMigrationRow> SchemaMigrations => this.GetTable<SchemaMigrationRow>();
}
