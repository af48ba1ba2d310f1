using CalMiner.Data;

namespace CalMiner.Web.Security;

/// <summary>Makes the signed-in user, the client's address and its User-Agent the <see cref="AuditActor"/> of a request's writes.</summary>
internal static class AuditActors
{
    public static IApplicationBuilder UseAuditActor(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var userAgent = context.Request.Headers.UserAgent.ToString();
            var actor = new AuditActor(
                context.User.UserId(),
                context.User.Email(),
                context.Connection.RemoteIpAddress?.ToString(),
                userAgent.Length == 0 ? null : userAgent);
            using (AuditActor.Use(actor))
            {
                await next(context).ConfigureAwait(false);
            }
        });
}
