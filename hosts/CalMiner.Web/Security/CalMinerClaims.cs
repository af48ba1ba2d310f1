using System.Globalization;
using System.Security.Claims;
using CalMiner.Data;

namespace CalMiner.Web.Security;

/// <summary>How a user account becomes a <see cref="ClaimsPrincipal"/>, and back.</summary>
internal static class CalMinerClaims
{
    public static ClaimsPrincipal Principal(UserAccount user, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.Email),
                new Claim(ClaimTypes.Role, Roles.NameOf(user.Role)),
            ],
            scheme));

    /// <summary>The signed-in user's id.</summary>
    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user is not signed in."), CultureInfo.InvariantCulture);

    /// <summary>The signed-in user's email: who saved a version, who queued a run.</summary>
    public static string Email(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("The user is not signed in.");

    /// <summary>Whether the request was authenticated by the sign-in cookie (and so needs an antiforgery token to write).</summary>
    public static bool SignedInWithCookie(this ClaimsPrincipal user) =>
        string.Equals(user.Identity?.AuthenticationType, AuthenticationSetup.CookieScheme, StringComparison.Ordinal);
}
