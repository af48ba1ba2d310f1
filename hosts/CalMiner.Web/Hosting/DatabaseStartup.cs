using System.Security.Cryptography;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Hosting;

/// <summary>
/// Readies the database before the app serves anything: says which database it is, migrates it (always on the embedded
/// SQLite file and in Development and Testing; elsewhere `calminer migrate` does, and a schema
/// that is behind stops the start), creates the first admin when there is none, and seeds the
/// sample scenarios into an empty database in Development; of several hosts starting together on
/// one database, exactly one does the last two.
/// </summary>
internal sealed partial class DatabaseStartup(
    DatabaseMigrator migrator,
    CalMinerDataOptions data,
    UserRepository users,
    WorkspaceRepository workspaces,
    ScenarioRepository scenarios,
    IPasswordHasher<UserAccount> hasher,
    KeyRingProtection keyRing,
    IOptions<WebOptions> options,
    IHostEnvironment environment,
    ILogger<DatabaseStartup> logger) : IHostedLifecycleService
{
    public const string DevelopmentAdminEmail = "admin@calminer.local";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        LogDatabase(data.DatabaseLocation);
        if (keyRing.CertificateThumbprint is { } thumbprint)
        {
            LogKeyRingEncrypted(thumbprint);
        }
        else
        {
            LogKeyRingUnencrypted(environment.EnvironmentName);
        }

        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        // Hosts starting together on one database take turns here: one creates the first admin and the
        // samples, the others find them (else each would print a password, and only the last would work).
        await migrator.RunExclusiveAsync(
            async token =>
            {
                await EnsureAdminAsync(token).ConfigureAwait(false);
                if (environment.IsDevelopment())
                {
                    await SeedSamplesAsync(token).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (data.Driver == DatabaseDriver.Sqlite || environment.IsDevelopment() || environment.IsEnvironment("Testing"))
        {
            var result = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
            if (result.Applied.Count > 0)
            {
                LogMigrated(result.PreviousVersion, result.CurrentVersion);
            }

            return;
        }

        var current = await migrator.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        if (current != migrator.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, and this version of CalMiner needs {migrator.LatestVersion}: run `calminer migrate` with the same DATABASE_* settings first.");
        }
    }

    private async Task EnsureAdminAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyAdminAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var settings = options.Value;
        if (settings.AdminEmail is { } email && settings.AdminPassword is { } password)
        {
            await CreateAdminAsync(email, password, cancellationToken).ConfigureAwait(false);
            LogAdminCreated(email);
        }
        else if (environment.IsDevelopment())
        {
            // Shown once: the hash alone is stored.
            var generated = RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
            await CreateAdminAsync(DevelopmentAdminEmail, generated, cancellationToken).ConfigureAwait(false);
            LogDevelopmentAdmin(DevelopmentAdminEmail, generated);
        }
        else
        {
            LogNoAdmin();
        }
    }

    private async Task CreateAdminAsync(string email, string password, CancellationToken cancellationToken)
    {
        UserAccount account;
        try
        {
            account = await users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false)
                ?? await users.CreateAsync(email, null, UserRole.Admin, cancellationToken).ConfigureAwait(false);
        }
        catch (DuplicateEmailException)
        {
            // Another replica starting at the same moment created it first.
            account = (await users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false))!;
        }

        await users.SetPasswordHashAsync(account.Id, hasher.HashPassword(account, password), cancellationToken).ConfigureAwait(false);
        // An owner of the default workspace too, so that the scenarios the first admin creates have a place to go.
        await workspaces.SetMemberAsync(WorkspaceRepository.DefaultId, account.Id, WorkspaceRole.Owner, cancellationToken).ConfigureAwait(false);
        if (account.Role != UserRole.Admin)
        {
            await users.SetRoleAsync(account.Id, UserRole.Admin, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SeedSamplesAsync(CancellationToken cancellationToken)
    {
        var existing = await scenarios.ListAsync(limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        var folder = Path.Combine(AppContext.BaseDirectory, "samples");
        if (existing.TotalCount > 0 || !Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var stored = await scenarios.CreateAsync(ScenarioDocument.Load(file), "samples", WorkspaceRepository.DefaultId, cancellationToken).ConfigureAwait(false);
            LogSeeded(stored.Document.Name, stored.Id);
        }
    }

    [LoggerMessage(EventId = WebEventId.DatabaseMigrated, Level = LogLevel.Information, Message = "Migrated the database from schema version {Previous} to {Current}.")]
    private partial void LogMigrated(int previous, int current);

    [LoggerMessage(EventId = WebEventId.AdminCreated, Level = LogLevel.Information, Message = "Created the first admin, {Email}.")]
    private partial void LogAdminCreated(string email);

    [LoggerMessage(EventId = WebEventId.DevelopmentAdminCreated, Level = LogLevel.Warning, Message = "Created the first admin for Development: sign in as {Email} with the password {Password} (shown this once; to set a new one, run `calminer user set-password --email {Email}` with the same DATABASE_* settings).")]
    private partial void LogDevelopmentAdmin(string email, string password);

    [LoggerMessage(EventId = WebEventId.NoAdmin, Level = LogLevel.Warning, Message = "There is no admin: set CALMINER_ADMIN_EMAIL and CALMINER_ADMIN_PASSWORD, or run `calminer user create --email <email> --role admin` with the same DATABASE_* settings.")]
    private partial void LogNoAdmin();

    [LoggerMessage(EventId = WebEventId.DatabaseLocation, Level = LogLevel.Information, Message = "Database: {Database}")]
    private partial void LogDatabase(string database);

    [LoggerMessage(EventId = WebEventId.KeyRingEncrypted, Level = LogLevel.Information, Message = "Data-protection keys (sign-in cookies): in the database, encrypted with the certificate {Thumbprint}.")]
    private partial void LogKeyRingEncrypted(string thumbprint);

    [LoggerMessage(EventId = WebEventId.KeyRingUnencrypted, Level = LogLevel.Information, Message = "Data-protection keys (sign-in cookies): in the database, unencrypted, as environment {Environment} allows; other environments need DATA_PROTECTION_CERTIFICATE_PATH.")]
    private partial void LogKeyRingUnencrypted(string environment);

    [LoggerMessage(EventId = WebEventId.SampleSeeded, Level = LogLevel.Information, Message = "Seeded the sample scenario '{Name}' as scenario {Id}.")]
    private partial void LogSeeded(string name, long id);
}
