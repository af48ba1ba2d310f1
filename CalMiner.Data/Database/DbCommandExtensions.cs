using System.Data.Common;

namespace CalMiner.Data.Database;

/// <summary>Parameters of the plain ADO.NET commands, named the same way on Npgsql and Microsoft.Data.Sqlite.</summary>
internal static class DbCommandExtensions
{
    /// <summary>Adds the parameter written <c>@name</c> in the command's SQL.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.Value) = (name, value);
        command.Parameters.Add(parameter);
        return parameter;
    }
}
