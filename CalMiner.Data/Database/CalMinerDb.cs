using System.Data;
using System.Data.Common;
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

    /// <summary>
    /// Runs plain SQL, in this connection's transaction if it has one, and reads its first row; the
    /// default of <typeparamref name="T"/> when there is none. For the lookups made on every request:
    /// linq2db built their SQL again on every run (it takes their statements as parameter-dependent),
    /// compiled or not, which cost them 100–400 µs and 40–100 KB a call. The SQL must be valid on PostgreSQL and SQLite alike.
    /// </summary>
    public async Task<T?> QueryFirstAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var connection = await OpenDbConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : default;
    }
}
