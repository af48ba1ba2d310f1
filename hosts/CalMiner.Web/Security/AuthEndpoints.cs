using CalMiner.Data;
using CalMiner.Web.Problems;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CalMiner.Web.Security;

/// <summary><c>/api/auth</c>: cookie sign-in and sign-out, the current user, the antiforgery token.</summary>
internal static class AuthEndpoints
{
    public const string SignInRateLimit = "sign-in";

    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit);
        // Cast: a handler taking only HttpContext would otherwise bind as a RequestDelegate and drop its result.
        auth.MapPost("/logout", (Delegate)LogoutAsync);
        auth.MapGet("/me", Me);
        auth.MapGet("/antiforgery", Antiforgery);
        return api;
    }

    /// <summary>The body of <c>POST /api/auth/login</c>.</summary>
    public sealed record LoginRequest(string Email, string Password);

    /// <summary>Who is signed in, and the token their cookie-authenticated writes must send.</summary>
    public sealed record SignedInUser(long Id, string Email, string Role, string? AntiforgeryToken);

    private static async Task<IResult> LoginAsync(
        LoginRequest request, HttpContext context, UserRepository users, IPasswordHasher<UserAccount> hasher, IAntiforgery antiforgery)
    {
        var credentials = await users.GetCredentialsAsync(request.Email ?? "", context.RequestAborted).ConfigureAwait(false);
        var verdict = credentials?.PasswordHash is { } hash
            ? hasher.VerifyHashedPassword(credentials.Account, hash, request.Password ?? "")
            : PasswordVerificationResult.Failed;
        if (credentials is null || verdict == PasswordVerificationResult.Failed)
        {
            // The same answer for an unknown email and a wrong password: no account enumeration.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Sign-in failed.",
                detail: "The email or the password is wrong.");
        }

        var account = credentials.Account;
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await users.SetPasswordHashAsync(account.Id, hasher.HashPassword(account, request.Password!), context.RequestAborted).ConfigureAwait(false);
        }

        var principal = CalMinerClaims.Principal(account, AuthenticationSetup.CookieScheme);
        await context.SignInAsync(AuthenticationSetup.CookieScheme, principal).ConfigureAwait(false);

        // The antiforgery token is bound to the user it is issued for.
        context.User = principal;
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new SignedInUser(account.Id, account.Email, Roles.NameOf(account.Role), tokens.RequestToken));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(AuthenticationSetup.CookieScheme).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static IResult Me(HttpContext context, IAntiforgery antiforgery) =>
        TypedResults.Ok(new SignedInUser(
            context.User.UserId(),
            context.User.Email(),
            context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? Roles.Viewer,
            context.User.SignedInWithCookie() ? antiforgery.GetAndStoreTokens(context).RequestToken : null));

    private static IResult Antiforgery(HttpContext context, IAntiforgery antiforgery) =>
        context.User.SignedInWithCookie()
            ? TypedResults.Ok(new { antiforgeryToken = antiforgery.GetAndStoreTokens(context).RequestToken, header = AuthenticationSetup.AntiforgeryHeader })
            : ApiProblems.Invalid("Authorization", "API-key requests need no antiforgery token; it protects cookie sign-ins only.");
}
