using System.Globalization;
using System.Security.Claims;
using CalMiner.Data;

namespace CalMiner.Web.Security;

/// <summary>How a user account becomes a <see cref="ClaimsPrincipal"/>, and back.</summary>
internal static class CalMinerClaims
{
    /// <summary>The claim a sign-in cookie carries the account's security stamp in.</summary>
    public const string SecurityStampClaim = "calminer:security_stamp";

    /// <summary>The principal of <paramref name="user"/>; a sign-in cookie's also carries <paramref name="securityStamp"/>.</summary>
    public static ClaimsPrincipal Principal(UserAccount user, string scheme, string? securityStamp = null)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.Email),
                new Claim(ClaimTypes.Role, Roles.NameOf(user.Role)),
            ],
            scheme);
        if (securityStamp is not null)
        {
            identity.AddClaim(new Claim(SecurityStampClaim, securityStamp));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>The same user and session with <paramref name="role"/> in place of the role they had.</summary>
    public static ClaimsPrincipal WithRole(this ClaimsPrincipal user, UserRole role)
    {
        var identity = new ClaimsIdentity(user.Claims.Where(c => c.Type != ClaimTypes.Role), user.Identity?.AuthenticationType);
        identity.AddClaim(new Claim(ClaimTypes.Role, Roles.NameOf(role)));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The security stamp the session was opened with, or <see langword="null"/> if it carries none.</summary>
    public static string? SecurityStamp(this ClaimsPrincipal user) => user.FindFirstValue(SecurityStampClaim);

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
