namespace CalMiner.Web.Hosting;

/// <summary>Headers that keep browsers from sniffing, framing or leaking the app's responses.</summary>
internal static class SecurityHeaders
{
    // Scripts, styles and Chart.js are served by the app itself; the API reference page runs
    // inline scripts of its own, so it alone gets a looser policy.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private const string ReferenceContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api/reference", StringComparison.Ordinal)
                ? ReferenceContentSecurityPolicy
                : ContentSecurityPolicy;
            return next(context);
        });
}
