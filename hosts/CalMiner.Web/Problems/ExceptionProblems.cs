using System.Text.Json;
using CalMiner.Data;
using CalMiner.Scenarios;
using Microsoft.AspNetCore.Diagnostics;

namespace CalMiner.Web.Problems;

/// <summary>
/// Turns the exceptions that mean "bad request" into problem details with the right status, so
/// bad input never becomes a 500. Anything else falls through to the generic 500 problem, which
/// carries no exception detail outside Development.
/// </summary>
internal sealed class ExceptionProblems : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            InvalidScenarioException invalid => ApiProblems.InvalidScenario(invalid),
            ScenarioConcurrencyException stale => ApiProblems.PreconditionFailed(stale.CurrentVersion),
            DuplicateEmailException duplicate => ApiProblems.Conflict($"An account with the email '{duplicate.Email}' already exists."),
            BadHttpRequestException { InnerException: JsonException json } => FromJson(json),
            BadHttpRequestException bad => TypedResults.Problem(statusCode: bad.StatusCode, title: TitleOf(bad.StatusCode), detail: bad.Message),
            JsonException json => FromJson(json),
            _ => null,
        };

        if (result is null)
        {
            return false;
        }

        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    // System.Text.Json names the field in its Path ("$.iterations"); its message says what was wrong.
    private static IResult FromJson(JsonException json) =>
        ApiProblems.Invalid(json.Path ?? "$", JsonMessage(json));

    private static string JsonMessage(JsonException json)
    {
        var message = json.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type.",
        _ => "The request is invalid.",
    };
}
