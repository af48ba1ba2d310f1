using CalMiner.Scenarios;

namespace CalMiner.Web.Problems;

/// <summary>
/// The API's error responses: RFC 9457 problem details. Validation problems carry an
/// <c>errors</c> object keyed by the JSON path of each bad field, as ASP.NET Core's
/// <see cref="HttpValidationProblemDetails"/> does.
/// </summary>
internal static class ApiProblems
{
    public static IResult Invalid(string path, string message, int statusCode = StatusCodes.Status400BadRequest) =>
        Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { [path] = [message] }, statusCode);

    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors, int statusCode = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = statusCode,
            Title = statusCode switch
            {
                StatusCodes.Status404NotFound => "Not found.",
                StatusCodes.Status422UnprocessableEntity => "The request breaks a rule.",
                _ => "The request is invalid.",
            },
            Detail = errors.Count == 1 ? errors.First().Value[0] : $"{errors.Count} fields are invalid; see errors.",
        });

    /// <summary>
    /// A scenario that could not be read (malformed JSON, wrong types: 400) or that breaks the
    /// rules of the format (422). Every problem is listed under the path of its field.
    /// </summary>
    public static IResult InvalidScenario(InvalidScenarioException exception)
    {
        var malformed = exception.Errors.Any(e => e.Line is not null);
        var errors = exception.Errors
            .GroupBy(e => string.IsNullOrEmpty(e.Path) ? "$" : e.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ToString()).ToArray(), StringComparer.Ordinal);
        return TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = malformed ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity,
            Title = malformed ? "The scenario document is not valid JSON for its format." : "The scenario breaks the rules of the format.",
            Detail = exception.Errors.Count == 1 ? exception.Errors[0].ToString() : $"{exception.Errors.Count} problems; see errors.",
        });
    }

    public static IResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"{what} does not exist.");

    public static IResult NoSuchPath() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: "No endpoint has this path; the API reference is at /api/reference.");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict.", detail: detail);

    public static IResult PreconditionRequired() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status428PreconditionRequired,
            title: "If-Match is required.",
            detail: "Send the ETag of the version you edited in an If-Match header, so that a change made meanwhile by someone else is not overwritten.");

    public static IResult PreconditionFailed(int? currentVersion) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The scenario was changed meanwhile.",
            detail: currentVersion is null
                ? "The scenario no longer exists."
                : $"The scenario is now at version {currentVersion} (ETag \"{currentVersion}\"), not the version If-Match names; read it again, reapply your change and send If-Match: \"{currentVersion}\".",
            extensions: currentVersion is null ? null : new Dictionary<string, object?> { ["currentVersion"] = currentVersion });
}
