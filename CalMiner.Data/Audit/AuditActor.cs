namespace CalMiner.Data;

/// <summary>
/// Who makes the writes of the current flow of work, and from where: what every audit record names.
/// A host sets it once per request with <see cref="Use"/> (the web host from the signed-in user and
/// the connection, the CLI from the operating-system user); writes made with none set are recorded as
/// <see cref="System"/>.
/// </summary>
/// <param name="UserId">The acting user's id, or <see langword="null"/> for the system or the command line.</param>
/// <param name="Name">Who acts as the audit log shows it, e.g. an email address; 1..200 characters.</param>
/// <param name="RemoteAddress">The client's network address, if known.</param>
/// <param name="UserAgent">The client's User-Agent, if known; cut to 200 characters when recorded.</param>
/// <remarks>
/// The actor flows with the async context rather than through every repository method: it belongs to
/// the request as a whole, and each write joins its record to its own transaction.
/// </remarks>
public sealed record AuditActor(long? UserId, string Name, string? RemoteAddress, string? UserAgent)
{
    private static readonly AsyncLocal<AuditActor?> Ambient = new();

    /// <summary>The actor of writes that no user asked for, e.g. seeding or purging.</summary>
    public static AuditActor System { get; } = new(null, "system", null, null);

    /// <summary>The actor of the current flow of work: the one set by the innermost <see cref="Use"/>, else <see cref="System"/>.</summary>
    public static AuditActor Current => Ambient.Value ?? System;

    /// <summary>Makes <paramref name="actor"/> the actor of the writes of this flow of work until the result is disposed.</summary>
    /// <param name="actor">Who acts.</param>
    /// <returns>Restores the previous actor when disposed.</returns>
    public static IDisposable Use(AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(actor.Name) || actor.Name.Length > 200)
        {
            ThrowHelper.ThrowArgument(nameof(actor), "The actor must be named, in 1..200 characters.");
        }

        var previous = Ambient.Value;
        Ambient.Value = actor;
        return new Restore(previous);
    }

    private sealed class Restore(AuditActor? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
