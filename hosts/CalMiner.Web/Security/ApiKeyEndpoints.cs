using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Hosting;
using CalMiner.Web.Problems;
using Microsoft.Extensions.Caching.Memory;

namespace CalMiner.Web.Security;

/// <summary>
/// <c>/api/keys</c>: the signed-in user's own API keys. A new key's secret is in the response to
/// its creation and nowhere else; lists show only the prefix. Revoking a key takes effect on this
/// host at once (its cached lookups are dropped), on other replicas within
/// <see cref="ApiKeyAuthenticationHandler.CacheDuration"/>.
/// </summary>
internal static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("API keys");
        keys.MapGet("/", ListAsync)
            .WithName("ListApiKeys")
            .WithSummary("List your API keys")
            .WithDescription("The caller's keys, oldest first, by prefix: never a secret.")
            .Produces<IReadOnlyList<KeyView>>();
        keys.MapPost("/", CreateAsync)
            .WithName("CreateApiKey")
            .WithSummary("Make an API key")
            .WithDescription("The secret is in this response and nowhere else: send it as Authorization: Bearer <secret>.")
            .Produces<CreatedKeyView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .WithRequestExample(json => JsonSerializer.SerializeToNode(new NewKeyRequest("ci"), json));
        keys.MapDelete("/{id:long}", RevokeAsync)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke one of your API keys")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The body of a request for a new key.</summary>
    /// <param name="Name">What the key is for, e.g. <c>ci</c>; 1..100 characters.</param>
    public sealed record NewKeyRequest(string Name);

    /// <summary>A key as lists show it: never its secret.</summary>
    public sealed record KeyView(long Id, long UserId, string Name, string Prefix, DateTimeOffset CreatedAt)
    {
        public static KeyView Of(ApiKeyInfo key) => new(key.Id, key.UserId, key.Name, key.Prefix, key.CreatedAt);
    }

    /// <summary>A new key with its secret, which is shown this once.</summary>
    public sealed record CreatedKeyView(long Id, long UserId, string Name, string Prefix, DateTimeOffset CreatedAt, string Secret);

    private static async Task<IResult> ListAsync(HttpContext context, ApiKeyRepository keys) =>
        TypedResults.Ok((await keys.ListAsync(context.User.UserId(), context.RequestAborted).ConfigureAwait(false)).Select(KeyView.Of));

    private static Task<IResult> CreateAsync(NewKeyRequest request, HttpContext context, ApiKeyRepository keys) =>
        CreateForAsync(context.User.UserId(), request, keys, context.RequestAborted);

    private static Task<IResult> RevokeAsync(long id, HttpContext context, ApiKeyRepository keys, IMemoryCache cache) =>
        RevokeForAsync(context.User.UserId(), id, keys, cache, context.RequestAborted);

    /// <summary>Creates a key for <paramref name="userId"/>: 201 with the secret, 400 naming <c>name</c>, 404 when the user is gone.</summary>
    public static async Task<IResult> CreateForAsync(long userId, NewKeyRequest request, ApiKeyRepository keys, CancellationToken cancellationToken)
    {
        if (request.Name is not { } name || name.Trim().Length is 0 or > 100)
        {
            return ApiProblems.Invalid("name", "name must have 1..100 characters.");
        }

        // PostgreSQL cannot store NUL in text, and no name needs a control character.
        if (name.Any(char.IsControl))
        {
            return ApiProblems.Invalid("name", "name must not contain control characters.");
        }

        try
        {
            var created = await keys.CreateAsync(userId, name, cancellationToken).ConfigureAwait(false);
            var key = created.Key;
            return TypedResults.Created((string?)null, new CreatedKeyView(key.Id, key.UserId, key.Name, key.Prefix, key.CreatedAt, created.Secret));
        }
        catch (KeyNotFoundException)
        {
            return ApiProblems.NotFound($"User {userId}");
        }
    }

    /// <summary>Revokes one of <paramref name="userId"/>'s keys and forgets the user's cached keys: 204, or 404 when there is no such key of theirs.</summary>
    public static async Task<IResult> RevokeForAsync(long userId, long keyId, ApiKeyRepository keys, IMemoryCache cache, CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(keyId, userId, cancellationToken).ConfigureAwait(false))
        {
            return ApiProblems.NotFound($"API key {keyId}");
        }

        ApiKeyAuthenticationHandler.Forget(cache, userId);
        return TypedResults.NoContent();
    }
}
