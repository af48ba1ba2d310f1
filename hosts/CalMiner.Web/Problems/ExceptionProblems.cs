using System.Text.Json;
using System.Text.RegularExpressions;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Web.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Problems;

/// <summary>
/// Turns the exceptions that mean "bad request" into problem details with the right status, so
/// bad input never becomes a 500. Anything else falls through to the generic 500 problem, which
/// carries no exception detail outside Development. A database that cannot be reached is a 503
/// with <c>Retry-After</c> (<see cref="DatabaseOutage"/>), logged once per outage.
/// </summary>
internal sealed partial class ExceptionProblems(DatabaseOutage outage) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            InvalidScenarioException invalid => ApiProblems.InvalidScenario(invalid),
            ScenarioConcurrencyException stale => ApiProblems.PreconditionFailed(stale.CurrentVersion),
            InvalidMaintenanceLogException stored => ApiProblems.Conflict(stored.Message),
            DuplicateEmailException duplicate => ApiProblems.Conflict($"An account with the email '{duplicate.Email}' already exists."),
            BadHttpRequestException { InnerException: JsonException json } => FromJson(json, httpContext),
            // ASP.NET Core's words for a missing body name a .NET parameter and speak to the endpoint's author.
            BadHttpRequestException bad when bad.Message.Contains("was not provided from body", StringComparison.Ordinal)
                || bad.Message.Contains("no body was provided", StringComparison.Ordinal) =>
                ApiProblems.Invalid("$", "The request has no body: send it as JSON."),
            BadHttpRequestException bad => TypedResults.Problem(statusCode: bad.StatusCode, title: TitleOf(bad.StatusCode), detail: bad.Message),
            JsonException json => FromJson(json, httpContext),
            _ when DatabaseOutage.IsUnreachable(exception) => outage.Unavailable(httpContext, exception),
            _ => null,
        };

        if (result is null)
        {
            return false;
        }

        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    // System.Text.Json names the field in its Path ("$.iterations"); its message speaks of .NET types,
    // which a client never sees, so it is said again in terms of the request's JSON.
    private static IResult FromJson(JsonException json, HttpContext context)
    {
        var path = json.Path ?? "$";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var message = json.Message;
        string detail;
        if (json is TextInput.TextRuleException)
        {
            detail = $"{field} {json.Message}.";
        }
        else if (UnmappedPattern().Match(message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups[1].Value;
            detail = $"{name} is not a field of this request.";
            if (!path.EndsWith(name, StringComparison.Ordinal))
            {
                path = path == "$" ? "$." + name : $"{path}.{name}";
            }
        }
        else if (RequiredPattern().Match(message) is { Success: true } required)
        {
            detail = $"{required.Groups[1].Value.Replace("'", "", StringComparison.Ordinal)} is required.";
        }
        else if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            detail = $"{field} must be {Expected(TypeAt(context, path))}.";
        }
        else if (message.Contains("doesn't allow null", StringComparison.Ordinal) || message.Contains("non-nullable", StringComparison.Ordinal))
        {
            detail = $"{field} must not be null.";
        }
        else if (message.Contains("Duplicate", StringComparison.Ordinal))
        {
            detail = $"{field} is given more than once.";
        }
        else
        {
            // The reader's own messages are about the text; they lose its position suffix and state.
            detail = message;
            foreach (var cut in new[] { " Path: ", " LineNumber: ", ", when isFinalBlock" })
            {
                var at = detail.IndexOf(cut, StringComparison.Ordinal);
                detail = at > 0 ? detail[..at] : detail;
            }

            detail = $"The body is not valid JSON: {detail.TrimEnd('.')}.";
        }

        return ApiProblems.Invalid(path, detail);
    }

    /// <summary>The type of the field at <paramref name="path"/> of the endpoint's request body, found by walking its JSON contract; null when unknown.</summary>
    private static Type? TypeAt(HttpContext context, string path)
    {
        // The handler runs with the endpoint cleared; the feature keeps the one that failed.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var body = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        if (body is null)
        {
            return null;
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var info = options.GetTypeInfo(body);
        foreach (var name in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var property = info.Properties.FirstOrDefault(p => p.Name == name);
            if (property is null)
            {
                return null;
            }

            info = options.GetTypeInfo(property.PropertyType);
        }

        return info.Type;
    }

    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ => "of another type",
        };
    }

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedPattern();

    [GeneratedRegex("missing required properties including: (.+?)\\.?(?: Path:|$)")]
    private static partial Regex RequiredPattern();

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type.",
        _ => "The request is invalid.",
    };
}
