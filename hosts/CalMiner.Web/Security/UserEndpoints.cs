using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;

namespace CalMiner.Web.Security;

/// <summary>
/// <c>/api/users</c>, for admins: accounts, their roles and passwords, and their API keys. The
/// last admin can be neither demoted nor deleted, so the app always keeps someone who can manage
/// it. Role changes and deletions drop the user's cached API-key lookups on this host at once.
/// </summary>
internal static class UserEndpoints
{
    public const int MinPasswordLength = 12;

    // Hashing is deliberately slow; a cap keeps a huge "password" from costing more than a normal one.
    public const int MaxPasswordLength = 1024;

    // Demoting or deleting checks "is there another admin?" and then writes: one change at a time
    // on this host keeps two admins from removing each other at once.
    private static readonly SemaphoreSlim AdminChanges = new(1, 1);

    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Administer);
        users.MapGet("/", ListAsync)
            .WithName("ListUsers")
            .WithSummary("List the accounts")
            .WithDescription("Every account, by email; never a password hash.")
            .Produces<IReadOnlyList<UserView>>();
        users.MapPost("/", CreateAsync)
            .WithName("CreateUser")
            .WithSummary("Create an account")
            .WithDescription("Without a password the user calls the API with keys only. 409 when the email is taken (ignoring case).")
            .Produces<UserView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithRequestExample(json => JsonSerializer.SerializeToNode(new NewUserRequest("analyst@example.com", Roles.Analyst, "correct horse battery staple"), json));
        users.MapGet("/{id:long}", GetAsync)
            .WithName("GetUser")
            .WithSummary("Read an account")
            .Produces<UserView>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        users.MapPut("/{id:long}/role", SetRoleAsync)
            .WithName("SetUserRole")
            .WithSummary("Change an account's role")
            .WithDescription("The last admin cannot be demoted (409).")
            .Produces<UserView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        users.MapPut("/{id:long}/password", SetPasswordAsync)
            .WithName("SetUserPassword")
            .WithSummary("Set an account's password")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound);
        users.MapDelete("/{id:long}", DeleteAsync)
            .WithName("DeleteUser")
            .WithSummary("Delete an account and its API keys")
            .WithDescription("The last admin cannot be deleted (409).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        users.MapGet("/{id:long}/keys", ListKeysAsync)
            .WithName("ListUserApiKeys")
            .WithSummary("List an account's API keys")
            .Produces<IReadOnlyList<ApiKeyEndpoints.KeyView>>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        users.MapPost("/{id:long}/keys", CreateKeyAsync)
            .WithName("CreateUserApiKey")
            .WithSummary("Make an API key for an account")
            .Produces<ApiKeyEndpoints.CreatedKeyView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status404NotFound);
        users.MapDelete("/{id:long}/keys/{keyId:long}", RevokeKeyAsync)
            .WithName("RevokeUserApiKey")
            .WithSummary("Revoke an account's API key")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The body of <c>POST /api/users</c>.</summary>
    /// <param name="Email">The address the user signs in with.</param>
    /// <param name="Role"><c>viewer</c>, <c>analyst</c> or <c>admin</c>.</param>
    /// <param name="Password">At least 12 characters; none for a user who calls the API with keys only.</param>
    public sealed record NewUserRequest(string Email, string Role, string? Password = null);

    /// <summary>The body of <c>PUT /api/users/{id}/role</c>.</summary>
    public sealed record RoleRequest(string Role);

    /// <summary>The body of <c>PUT /api/users/{id}/password</c>.</summary>
    public sealed record PasswordRequest(string Password);

    /// <summary>An account as the API shows it.</summary>
    public sealed record UserView(long Id, string Email, string Role, DateTimeOffset CreatedAt)
    {
        public static UserView Of(UserAccount user) => new(user.Id, user.Email, Roles.NameOf(user.Role), user.CreatedAt);
    }

    private static async Task<IResult> ListAsync(UserRepository users, CancellationToken cancellationToken) =>
        TypedResults.Ok((await users.ListAsync(cancellationToken).ConfigureAwait(false)).Select(UserView.Of));

    private static async Task<IResult> GetAsync(long id, UserRepository users, CancellationToken cancellationToken) =>
        await users.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } user
            ? TypedResults.Ok(UserView.Of(user))
            : ApiProblems.NotFound($"User {id}");

    private static async Task<IResult> CreateAsync(
        NewUserRequest request, UserRepository users, IPasswordHasher<UserAccount> hasher, CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(request.Role, out var role))
        {
            return BadRole();
        }

        if (request.Password is { } password && CheckPassword(password) is { } bad)
        {
            return bad;
        }

        var email = request.Email ?? "";
        try
        {
            // PasswordHasher does not read the account it is given; the real one has no id until it is stored.
            var hash = request.Password is null ? null : hasher.HashPassword(new UserAccount(0, email, role, default), request.Password);
            var user = await users.CreateAsync(email, hash, role, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/users/{user.Id}", UserView.Of(user));
        }
        catch (ArgumentException e) when (e.ParamName == "email")
        {
            return ApiProblems.Invalid("email", e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static async Task<IResult> SetRoleAsync(
        long id, RoleRequest request, UserRepository users, IMemoryCache cache, CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(request.Role, out var role))
        {
            return BadRole();
        }

        await AdminChanges.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await users.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } user)
            {
                return ApiProblems.NotFound($"User {id}");
            }

            if (role != UserRole.Admin && await IsLastAdminAsync(user, users, cancellationToken).ConfigureAwait(false))
            {
                return LastAdmin("demoted");
            }

            var updated = await users.SetRoleAsync(id, role, cancellationToken).ConfigureAwait(false);
            ApiKeyAuthenticationHandler.Forget(cache, id);
            return updated is null ? ApiProblems.NotFound($"User {id}") : TypedResults.Ok(UserView.Of(updated));
        }
        finally
        {
            AdminChanges.Release();
        }
    }

    private static async Task<IResult> SetPasswordAsync(
        long id, PasswordRequest request, UserRepository users, IPasswordHasher<UserAccount> hasher, CancellationToken cancellationToken)
    {
        if (CheckPassword(request.Password) is { } bad)
        {
            return bad;
        }

        if (await users.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return ApiProblems.NotFound($"User {id}");
        }

        return await users.SetPasswordHashAsync(id, hasher.HashPassword(user, request.Password), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"User {id}");
    }

    private static async Task<IResult> DeleteAsync(long id, UserRepository users, IMemoryCache cache, CancellationToken cancellationToken)
    {
        await AdminChanges.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await users.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } user)
            {
                return ApiProblems.NotFound($"User {id}");
            }

            if (await IsLastAdminAsync(user, users, cancellationToken).ConfigureAwait(false))
            {
                return LastAdmin("deleted");
            }

            var deleted = await users.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
            ApiKeyAuthenticationHandler.Forget(cache, id);
            return deleted ? TypedResults.NoContent() : ApiProblems.NotFound($"User {id}");
        }
        finally
        {
            AdminChanges.Release();
        }
    }

    private static async Task<IResult> ListKeysAsync(long id, UserRepository users, ApiKeyRepository keys, CancellationToken cancellationToken)
    {
        if (await users.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.NotFound($"User {id}");
        }

        return TypedResults.Ok((await keys.ListAsync(id, cancellationToken).ConfigureAwait(false)).Select(ApiKeyEndpoints.KeyView.Of));
    }

    private static Task<IResult> CreateKeyAsync(long id, ApiKeyEndpoints.NewKeyRequest request, ApiKeyRepository keys, CancellationToken cancellationToken) =>
        ApiKeyEndpoints.CreateForAsync(id, request, keys, cancellationToken);

    private static Task<IResult> RevokeKeyAsync(long id, long keyId, ApiKeyRepository keys, IMemoryCache cache, CancellationToken cancellationToken) =>
        ApiKeyEndpoints.RevokeForAsync(id, keyId, keys, cache, cancellationToken);

    private static async Task<bool> IsLastAdminAsync(UserAccount user, UserRepository users, CancellationToken cancellationToken) =>
        user.Role == UserRole.Admin
        && (await users.ListAsync(cancellationToken).ConfigureAwait(false)).Count(u => u.Role == UserRole.Admin) <= 1;

    private static IResult? CheckPassword(string? password) => password switch
    {
        null or { Length: < MinPasswordLength } => ApiProblems.Invalid("password", $"password must have at least {MinPasswordLength} characters."),
        { Length: > MaxPasswordLength } => ApiProblems.Invalid("password", $"password must have at most {MaxPasswordLength} characters."),
        _ => null,
    };

    private static IResult BadRole() => ApiProblems.Invalid("role", "role must be viewer, analyst or admin.");

    private static IResult LastAdmin(string what) =>
        ApiProblems.Conflict($"This is the last admin: it cannot be {what}. Make another user an admin first.");
}
