using System.Text.Json;
using System.Text.Json.Serialization;
using CalMiner.Web.Problems;

namespace CalMiner.Web.Hosting;

/// <summary>
/// Core's <see cref="TextRules"/> applied once to every text a request carries, whatever the endpoint:
/// to each string of a JSON body as it is read (<see cref="Converter"/>), and to each query-string
/// parameter (<see cref="UseTextRulesForQueries"/>). A text that breaks them is a 400 naming its field,
/// before any endpoint stores it or searches for it. Scenario documents follow the stricter rules of
/// their format; headers and paths with a NUL are refused by the server itself.
/// </summary>
internal static class TextInput
{
    /// <summary>Reads JSON strings as usual, and refuses those that break <see cref="TextRules"/>.</summary>
    public sealed class Converter : JsonConverter<string>
    {
        // GetString throws for a token that is not a string, which the serializer reports as for its own reader.
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Checked(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

        private static string Checked(string text) =>
            TextRules.Problem(text) is { } problem ? throw new TextRuleException(problem) : text;
    }

    /// <summary>A JSON string breaks <see cref="TextRules"/>; the message follows the field's name, the serializer sets the path.</summary>
    public sealed class TextRuleException(string problem) : JsonException(problem);

    /// <summary>A query-string parameter whose name or value breaks <see cref="TextRules"/> is a 400 naming it.</summary>
    public static IApplicationBuilder UseTextRulesForQueries(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            foreach (var (name, values) in context.Request.Query)
            {
                var problem = TextRules.Problem(name);
                foreach (var value in values)
                {
                    problem ??= TextRules.Problem(value);
                }

                if (problem is not null)
                {
                    var field = TextRules.Problem(name) is null ? name : "query";
                    return ApiProblems.Invalid(field, $"{field} {problem}.").ExecuteAsync(context);
                }
            }

            return next(context);
        });
}
