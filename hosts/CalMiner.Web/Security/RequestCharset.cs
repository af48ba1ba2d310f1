using CalMiner.Web.Problems;
using Microsoft.Net.Http.Headers;

namespace CalMiner.Web.Security;

/// <summary>
/// JSON travels in UTF-8 (RFC 8259 §8.1). A body declared in another charset is refused with 415
/// before any endpoint reads it: the framework's transcoding fails with a 500 on a charset it does
/// not know, and a strange charset is more often an attack than a client's need.
/// </summary>
internal static class RequestCharset
{
    public static IApplicationBuilder UseUtf8RequestBodies(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var contentType = context.Request.ContentType;
            if (contentType is not null
                && MediaTypeHeaderValue.TryParse(contentType, out var media)
                && media.Charset.HasValue
                && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                && !media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                return TypedResults.Problem(
                        statusCode: StatusCodes.Status415UnsupportedMediaType,
                        title: "Unsupported media type.",
                        detail: $"Send request bodies in UTF-8, not {media.Charset}.")
                    .ExecuteAsync(context);
            }

            return next(context);
        });
}
