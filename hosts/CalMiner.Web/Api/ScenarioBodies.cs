using System.Text;
using CalMiner.Scenarios;
using Microsoft.Net.Http.Headers;

namespace CalMiner.Web.Api;

/// <summary>
/// Reads scenario documents from request bodies with Core's strict reader, so the API refuses
/// exactly what the CLI refuses, with the same messages and JSON paths.
/// </summary>
internal static class ScenarioBodies
{
    /// <exception cref="BadHttpRequestException">415 for a body that is not JSON, 400 for an empty one, 413 for one over the size limit.</exception>
    /// <exception cref="InvalidScenarioException">The document is malformed or breaks the rules of the format.</exception>
    public static async Task<ScenarioDocument> ReadAsync(HttpRequest request)
    {
        if (!IsJson(request.ContentType))
        {
            throw new BadHttpRequestException("Send the scenario document as JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            throw new BadHttpRequestException("The request has no body: send a scenario document.");
        }

        return Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Reads a document from UTF-8 JSON; a byte order mark, which files saved by Windows editors often start with, is skipped.</summary>
    /// <exception cref="InvalidScenarioException">The document is malformed or breaks the rules of the format.</exception>
    public static ScenarioDocument Parse(ReadOnlySpan<byte> utf8Json) =>
        ScenarioDocument.Parse(utf8Json.StartsWith(Encoding.UTF8.Preamble) ? utf8Json[Encoding.UTF8.Preamble.Length..] : utf8Json);

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
