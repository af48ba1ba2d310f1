using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using CalMiner.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CalMiner.Web.Tests.Infrastructure;

/// <summary>
/// The web app as it runs for real: Kestrel on a free loopback port (tests speak real HTTP), the
/// PostgreSQL server and Redis that scripts/test.sh starts, in a schema of its own that is dropped
/// afterwards, environment Testing. Shared by every test class of the assembly (see
/// <see cref="WebAppCollection"/>); tests make their own users and scenarios, so they do not
/// depend on one another.
/// </summary>
public sealed class CalMinerWebApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "first-admin@example.com";
    public const string AdminPassword = "correct horse battery staple";

    private readonly string _schema;
    private readonly bool _ownsSchema;
    private readonly IReadOnlyDictionary<string, string> _overrides;

    public CalMinerWebApp()
        : this(new Dictionary<string, string>(StringComparer.Ordinal))
    {
    }

    /// <summary>An app of its own (own schema, own first admin) with some <see cref="Settings"/> changed, e.g. a low rate limit.</summary>
    internal CalMinerWebApp(IReadOnlyDictionary<string, string> overrides)
        : this(overrides, $"web_{Guid.NewGuid():N}", ownsSchema: true)
    {
    }

    /// <summary>
    /// An app on the PostgreSQL schema <paramref name="schema"/>, which several instances may share, as replicas do; it
    /// drops the schema when disposed only if <paramref name="ownsSchema"/> (else see <see cref="DropSchemaAsync(string)"/>).
    /// </summary>
    internal CalMinerWebApp(IReadOnlyDictionary<string, string> overrides, string schema, bool ownsSchema)
    {
        _overrides = overrides;
        _schema = schema;
        _ownsSchema = ownsSchema;
        UseKestrel(0);
    }

    /// <summary>Settings a test adds before the app starts, e.g. a smaller inline-run limit.</summary>
    internal static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CalMiner:InlineIterationLimit"] = "20000",
        ["CalMiner:MaxIterations"] = "2000000",
        ["CalMiner:MaxPageSize"] = "50",
        ["CalMiner:MaxRequestBytes"] = "1048576",
        ["CalMiner:SignInPermitsPerMinute"] = "1000",
        ["CalMiner:SignInFreeAttempts"] = "1000",
        ["CalMiner:FailedAuthenticationsPerMinute"] = "100000",
        ["CalMiner:SimulationRunsPerMinute"] = "1000",
    };

    public async Task InitializeAsync()
    {
        RequireTestServers();
        StartServer();
        if (Get<CalMinerDataOptions>().Schema != _schema)
        {
            throw new InvalidOperationException("The app did not take the test's DATABASE_SCHEMA: its data would land outside the throwaway schema.");
        }

        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
        await Task.CompletedTask;
    }

    /// <summary>Every message the app logs (at the levels its configuration lets through).</summary>
    internal CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_ownsSchema)
        {
            await DropSchemaAsync(_schema);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("DATABASE_SCHEMA", _schema);
        builder.UseSetting("CALMINER_ADMIN_EMAIL", AdminEmail);
        builder.UseSetting("CALMINER_ADMIN_PASSWORD", AdminPassword);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        foreach (var (key, value) in Settings.Concat(_overrides))
        {
            builder.UseSetting(key, value);
        }
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client that sends no credentials.</summary>
    public HttpClient Anonymous() => Browser(handleCookies: false);

    /// <summary>A client that keeps cookies, as a browser does. Against the real Kestrel server it follows redirects, as a browser does too.</summary>
    public HttpClient Browser(bool handleCookies = true) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = BaseAddress, HandleCookies = handleCookies });

    /// <summary>
    /// A client without credentials whose connections come from another loopback address, the <paramref name="host"/>-th
    /// of 127.0.0.0/16 (1..65 534), as a client on another machine would: limits per address see it as someone else.
    /// </summary>
    public HttpClient From(int host, bool handleCookies = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(host, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(host, 65_534);
        var source = new IPAddress([127, 0, (byte)(host >> 8), (byte)host]);
        var handler = new SocketsHttpHandler
        {
            UseCookies = handleCookies,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    /// <summary>A client signed in with an API key of a new user who has <paramref name="role"/>.</summary>
    public async Task<HttpClient> ClientAsync(UserRole role)
    {
        var (_, secret) = await NewUserWithKeyAsync(role);
        return ClientWithKey(secret);
    }

    /// <summary>
    /// A new user with <paramref name="role"/> and an API key; returns the account and the key's secret. The user is a
    /// member of <paramref name="workspaceId"/> (default the default workspace) with the role migration 0005 gives users
    /// of that role, or <paramref name="workspaceRole"/>.
    /// </summary>
    public async Task<(UserAccount Account, string Secret)> NewUserWithKeyAsync(UserRole role, long workspaceId = WorkspaceRepository.DefaultId, WorkspaceRole? workspaceRole = null)
    {
        var account = await Get<UserRepository>().CreateAsync($"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.com", null, role);
        var mapped = role switch
        {
            UserRole.Admin => WorkspaceRole.Owner,
            UserRole.Analyst => WorkspaceRole.Analyst,
            _ => WorkspaceRole.Viewer,
        };
        await Get<WorkspaceRepository>().SetMemberAsync(workspaceId, account.Id, workspaceRole ?? mapped);

        var key = await Get<ApiKeyRepository>().CreateAsync(account.Id, "tests");
        return (account, key.Secret);
    }

    /// <summary>A client that calls as <paramref name="secret"/>'s user.</summary>
    public HttpClient ClientWithKey(string secret)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private static void RequireTestServers()
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("DATABASE_DRIVER"), "postgresql", StringComparison.Ordinal)
            || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("REDIS_URL")))
        {
            throw new InvalidOperationException(
                "The web tests need the PostgreSQL and Redis servers that scripts/test.sh starts: run them with `bash scripts/test.sh`.");
        }
    }

    /// <summary>Drops a PostgreSQL schema of the test server, with everything in it.</summary>
    public static async Task DropSchemaAsync(string schema)
    {
        var options = CalMinerDataOptions.FromEnvironment();
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = options.Host,
            Port = options.Port,
            Username = options.User,
            Password = options.Password,
            Database = options.Database,
        };
        await using var source = NpgsqlDataSource.Create(connection.ConnectionString);
        await using var command = source.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Every web test class shares one running app.</summary>
[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<CalMinerWebApp>
{
    public const string Name = "web app";
}
