using System.Text;
using LinqToDB.Mapping;

namespace CalMiner.Data.Database;

/// <summary>
/// The fluent mapping of the row classes: table names, keys and identities. Column names are the
/// property names in snake_case (<see cref="ToSnakeCase"/>), applied by <see cref="Rename"/>.
/// </summary>
internal static class CalMinerMapping
{
    public static MappingSchema Schema { get; } = Build();

    /// <summary>Gives every table and column its snake_case name.</summary>
    public static void Rename(MappingSchema schema, IEntityChangeDescriptor entity)
    {
        foreach (var column in entity.Columns)
        {
            column.ColumnName = ToSnakeCase(column.MemberName);
        }
    }

    public static string ToSnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                // A new word starts at an upper-case letter after a lower-case letter or a digit
                // (PayableUnit → payable_unit, P10 stays p10 after a word: DistributionP10 → distribution_p10).
                if (i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static MappingSchema Build()
    {
        var schema = new MappingSchema("CalMiner");
        var builder = new FluentMappingBuilder(schema);

        builder.Entity<ScenarioRow>().HasTableName("scenario").HasPrimaryKey(r => r.Id).HasIdentity(r => r.Id);
        builder.Entity<ParameterRow>().HasTableName("parameter").HasPrimaryKey(r => new { r.ScenarioId, r.Name });
        builder.Entity<ParameterPointRow>().HasTableName("parameter_point").HasPrimaryKey(r => new { r.ScenarioId, r.ParameterName, r.Ordinal });
        builder.Entity<CorrelationRow>().HasTableName("correlation").HasPrimaryKey(r => new { r.ScenarioId, r.Ordinal });
        builder.Entity<ProductRow>().HasTableName("product").HasPrimaryKey(r => new { r.ScenarioId, r.Ordinal });
        builder.Entity<SchedulePeriodRow>().HasTableName("schedule_period").HasPrimaryKey(r => new { r.ScenarioId, r.Period });
        builder.Entity<ScheduleGradeRow>().HasTableName("schedule_grade").HasPrimaryKey(r => new { r.ScenarioId, r.Period, r.ProductName });
        builder.Entity<ConsumableRow>().HasTableName("consumable").HasPrimaryKey(r => new { r.ScenarioId, r.Ordinal });
        builder.Entity<EquipmentRow>().HasTableName("equipment").HasPrimaryKey(r => new { r.ScenarioId, r.Ordinal });
        builder.Entity<CapitalItemRow>().HasTableName("capital_item").HasPrimaryKey(r => new { r.ScenarioId, r.Ordinal });
        builder.Entity<RoyaltyRow>().HasTableName("royalty").HasPrimaryKey(r => new { r.ScenarioId, r.Ordinal });
        builder.Entity<ScenarioVersionRow>().HasTableName("scenario_version").HasPrimaryKey(r => new { r.ScenarioId, r.Version });
        builder.Entity<MaintenanceLogRow>().HasTableName("maintenance_log").HasPrimaryKey(r => r.Id).HasIdentity(r => r.Id);
        builder.Entity<SimulationRunRow>().HasTableName("simulation_run").HasPrimaryKey(r => r.Id).HasIdentity(r => r.Id);
        builder.Entity<SimulationResultRow>().HasTableName("simulation_result").HasPrimaryKey(r => r.RunId);
        builder.Entity<SimulationSampleRow>().HasTableName("simulation_sample").HasPrimaryKey(r => new { r.RunId, r.Kind, r.Name, r.Chunk });
        builder.Entity<AppUserRow>().HasTableName("app_user").HasPrimaryKey(r => r.Id).HasIdentity(r => r.Id);
        builder.Entity<ApiKeyRow>().HasTableName("api_key").HasPrimaryKey(r => r.Id).HasIdentity(r => r.Id);
        builder.Entity<SignInThrottleRow>().HasTableName("sign_in_throttle").HasPrimaryKey(r => r.AccountKey);
        builder.Entity<DataProtectionKeyRow>().HasTableName("data_protection_key").HasPrimaryKey(r => r.Id).HasIdentity(r => r.Id);
        builder.Entity<WorkspaceRow>().HasTableName("workspace").HasPrimaryKey(r => r.Id).HasIdentity(r => r.Id);
        builder.Entity<WorkspaceMemberRow>().HasTableName("workspace_member").HasPrimaryKey(r => new { r.WorkspaceId, r.UserId });
        builder.Entity<AuditLogRow>().HasTableName("audit_log").HasPrimaryKey(r => r.Id).HasIdentity(r => r.Id);
        builder.Entity<SchemaMigrationRow>().HasTableName("schema_migration").HasPrimaryKey(r => r.Version);

        builder.Build();
        return schema;
    }
}
