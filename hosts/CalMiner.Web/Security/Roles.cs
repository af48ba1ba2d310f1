using CalMiner.Data;

namespace CalMiner.Web.Security;

/// <summary>The role names carried in a signed-in user's claims, and the policies built on them.</summary>
internal static class Roles
{
    public const string Viewer = "viewer";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static string NameOf(UserRole role) => role switch
    {
        UserRole.Admin => Admin,
        UserRole.Analyst => Analyst,
        _ => Viewer,
    };

    public static bool TryParse(string? name, out UserRole role)
    {
        switch (name)
        {
            case Viewer: role = UserRole.Viewer; return true;
            case Analyst: role = UserRole.Analyst; return true;
            case Admin: role = UserRole.Admin; return true;
            default: role = default; return false;
        }
    }
}

/// <summary>Authorization policies. Every endpoint needs a signed-in user unless it says otherwise.</summary>
internal static class Policies
{
    /// <summary>Read scenarios, evaluations and runs: any role.</summary>
    public const string Read = "read";

    /// <summary>Change scenarios and run simulations: analysts and admins.</summary>
    public const string Edit = "edit";

    /// <summary>Manage users and their API keys: admins.</summary>
    public const string Administer = "administer";
}
