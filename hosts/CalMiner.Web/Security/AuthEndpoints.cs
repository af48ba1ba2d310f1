using System.Security.Cryptography;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Hosting;
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
        auth.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit)
            .WithName("SignIn")
            .WithSummary("Sign in with email and password")
            .WithDescription("Sets the HttpOnly sign-in cookie and returns the antiforgery token that writes made with the cookie must send in X-CSRF-TOKEN. An unknown email and a wrong password get the same 401. Attempts are limited per client address and, after failures, per email (429 with Retry-After).")
            .Produces<SignedInUser>()
            .ProducesProblems(StatusCodes.Status401Unauthorized)
            .WithRequestExample(json => JsonSerializer.SerializeToNode(new LoginRequest("analyst@example.com", "correct horse battery staple"), json));
        // Cast: a handler taking only HttpContext would otherwise bind as a RequestDelegate and drop its result.
        auth.MapPost("/logout", (Delegate)LogoutAsync)
            .WithName("SignOut")
            .WithSummary("Sign out")
            .WithDescription("Removes the sign-in cookie.")
            .Produces(StatusCodes.Status204NoContent);
        auth.MapGet("/me", Me)
            .WithName("GetCurrentUser")
            .WithSummary("Who is signed in")
            .WithDescription("The signed-in user and role; with the cookie also a fresh antiforgery token (null for API keys).")
            .Produces<SignedInUser>();
        auth.MapGet("/antiforgery", Antiforgery)
            .WithName("GetAntiforgeryToken")
            .WithSummary("A fresh antiforgery token")
            .WithDescription("For cookie sign-ins only: the token and the header to send it in. API-key requests need none and get 400.")
            .Produces<AntiforgeryTokenView>()
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return api;
    }

    /// <summary>The body of <c>POST /api/auth/login</c>.</summary>
    public sealed record LoginRequest(string Email, string Password);

    /// <summary>An antiforgery token and the header that carries it.</summary>
    public sealed record AntiforgeryTokenView(string? AntiforgeryToken, string Header);

    /// <summary>Who is signed in, and the token their cookie-authenticated writes must send.</summary>
    public sealed record SignedInUser(long Id, string Email, string Role, string? AntiforgeryToken);

    private static readonly UserAccount NoAccount = new(0, "", UserRole.Viewer, DateTimeOffset.UnixEpoch);
    private static string? _noAccountHash;

    /// <summary>Verifies <paramref name="password"/> against the hash of a password nobody has, and fails.</summary>
    private static PasswordVerificationResult UnknownUserVerdict(IPasswordHasher<UserAccount> hasher, string password)
    {
        _noAccountHash ??= hasher.HashPassword(NoAccount, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        hasher.VerifyHashedPassword(NoAccount, _noAccountHash, password);
        return PasswordVerificationResult.Failed;
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest request, HttpContext context, UserRepository users, IPasswordHasher<UserAccount> hasher, IAntiforgery antiforgery, SignInThrottle throttle)
    {
        // Counted per account, whatever address the attempt comes from; one made too early is refused unchecked.
        if (await throttle.BeginAttemptAsync(request.Email ?? "", context.RequestAborted).ConfigureAwait(false) is { } wait && wait > TimeSpan.Zero)
        {
            return TooManyAttempts(context, wait);
        }

        var credentials = await users.GetCredentialsAsync(request.Email ?? "", context.RequestAborted).ConfigureAwait(false);
        // An unknown email, or a user without a password, costs the same hashing as a wrong password: the time of the
        // answer must not tell which emails have accounts.
        var verdict = credentials?.PasswordHash is { } hash
            ? hasher.VerifyHashedPassword(credentials.Account, hash, request.Password ?? "")
            : UnknownUserVerdict(hasher, request.Password ?? "");
        if (credentials?.PasswordHash is null || verdict == PasswordVerificationResult.Failed)
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
            // The same password in the hasher's newer format: the security stamp, and so the user's other sessions, stay.
            await users.RehashPasswordAsync(account.Id, credentials.PasswordHash!, hasher.HashPassword(account, request.Password!), context.RequestAborted).ConfigureAwait(false);
        }

        await throttle.SucceededAsync(request.Email!, context.RequestAborted).ConfigureAwait(false);
        var principal = CalMinerClaims.Principal(account, AuthenticationSetup.CookieScheme, credentials.SecurityStamp);
        await context.SignInAsync(AuthenticationSetup.CookieScheme, principal).ConfigureAwait(false);

        // The antiforgery token is bound to the user it is issued for.
        context.User = principal;
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new SignedInUser(account.Id, account.Email, Roles.NameOf(account.Role), tokens.RequestToken));
    }

    private static IResult TooManyAttempts(HttpContext context, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The same answer for every email, with an account or not.
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.",
            detail: $"Too many sign-ins with this email failed: wait {seconds} s and try again.");
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
            ? TypedResults.Ok(new AntiforgeryTokenView(antiforgery.GetAndStoreTokens(context).RequestToken, AuthenticationSetup.AntiforgeryHeader))
            : ApiProblems.Invalid("Authorization", "API-key requests need no antiforgery token; it protects cookie sign-ins only.");
}
