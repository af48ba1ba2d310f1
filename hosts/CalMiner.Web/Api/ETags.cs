using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace CalMiner.Web.Api;

/// <summary>
/// A scenario's ETag is its version number, quoted: <c>"7"</c>. Updates must send it back in
/// <c>If-Match</c> (quoted or not) or <c>*</c>; a stale one is refused with 412 and changes nothing.
/// </summary>
internal static class ETags
{
    public static string Of(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static void Set(HttpResponse response, int version) => response.Headers.ETag = Of(version);

    /// <summary>
    /// The version named by <c>If-Match</c>: null when the header is absent, <paramref name="currentVersion"/>
    /// for <c>*</c> (RFC 9110 §13.1.1: it matches any current representation), -1 when it names no version
    /// (so it can never match). Besides the ETag as sent (<c>"7"</c>), the bare version (<c>7</c>) and a
    /// weak tag (<c>W/"7"</c>) are taken: each can only mean that version.
    /// </summary>
    public static int? IfMatch(HttpRequest request, int currentVersion)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }

        var tag = header.Count == 1 ? (header[0] ?? "").AsSpan().Trim() : [];
        if (tag is "*")
        {
            return currentVersion;
        }

        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        if (tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"')
        {
            tag = tag[1..^1];
        }

        return int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    /// <summary>Sets the ETag of <paramref name="version"/>; a 304 when <c>If-None-Match</c> already names it, else null.</summary>
    public static IResult? NotModified(HttpContext context, int version)
    {
        Set(context.Response, version);
        return IsCurrent(context.Request, version) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : null;
    }

    private static bool IsCurrent(HttpRequest request, int version)
    {
        var header = request.Headers.IfNoneMatch;
        return header.Count > 0 && EntityTagHeaderValue.TryParseList(header, out var tags)
            && tags.Any(tag => tag.Tag.Equals("*", StringComparison.Ordinal) || tag.Tag.Equals(Of(version), StringComparison.Ordinal));
    }
}
