using CalMiner.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace CalMiner.Web.Security;

/// <summary>
/// Who may do what. Browsers sign in with a cookie (<c>POST /api/auth/login</c>); API clients send
/// <c>Authorization: Bearer &lt;key&gt;</c>. Every endpoint needs one or the other unless it is
/// marked anonymous; roles decide the rest (<see cref="Policies"/>).
/// </summary>
internal static class AuthenticationSetup
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string ApiKeyScheme = "ApiKey";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";
    public const string AuthCookie = "calminer.auth";
    private const string EitherScheme = "CookieOrApiKey";

    public static IServiceCollection AddCalMinerAuthentication(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddSingleton<UnknownApiKeys>();
        services.AddSingleton<FailedAuthentications>();

        services.AddAuthentication(EitherScheme)
            .AddPolicyScheme(EitherScheme, "Cookie or API key", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.Count > 0 ? ApiKeyScheme : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = AuthCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                // The host has no sign-in page (sign in with POST /api/auth/login): a challenge is a status code, never a
                // redirect, which would send a browser to a page that does not exist, and from there round again.
                options.Events.OnRedirectToLogin = context => Status(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = CheckStampAsync;
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Read, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Policies.Edit, policy => policy.RequireRole(Roles.Analyst, Roles.Admin))
            .AddPolicy(Policies.Administer, policy => policy.RequireRole(Roles.Admin));

        services.AddAntiforgery(options =>
        {
            options.HeaderName = AntiforgeryHeader;
            options.Cookie.Name = "calminer.csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        return services;
    }

    /// <summary>
    /// Writes through the sign-in cookie must carry the antiforgery token (header
    /// <see cref="AntiforgeryHeader"/>, from <c>GET /api/auth/antiforgery</c> or the login response);
    /// API-key requests cannot be forged by another site and need none.
    /// </summary>
    public static IApplicationBuilder UseAntiforgeryForCookieWrites(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                && !HttpMethods.IsOptions(context.Request.Method) && context.User.SignedInWithCookie())
            {
                var antiforgery = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
                {
                    await Problems.ApiProblems.Invalid(
                            AntiforgeryHeader,
                            $"Writes signed in with the cookie need the antiforgery token in the {AntiforgeryHeader} header; get it from GET /api/auth/antiforgery.")
                        .ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }
            }

            await next(context).ConfigureAwait(false);
        });

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    // A cookie outlives role changes, new passwords and deletions: on every request it is checked against the user's
    // stamp (from Redis, which every change clears, or the database), so a change made on any replica or through the
    // CLI reaches the session at its next request. A new role replaces the old one in the session; a new password
    // (a new security stamp) or a deleted account ends it.
    private static async Task CheckStampAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var stamps = context.HttpContext.RequestServices.GetRequiredService<UserStampCache>();
        var stamp = await stamps.GetAsync(principal.UserId(), context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (stamp is null || !string.Equals(stamp.SecurityStamp, principal.SecurityStamp(), StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme).ConfigureAwait(false);
            return;
        }

        if (!principal.IsInRole(Roles.NameOf(stamp.Role)))
        {
            context.ReplacePrincipal(principal.WithRole(stamp.Role));
            context.ShouldRenew = true;
        }
    }
}
