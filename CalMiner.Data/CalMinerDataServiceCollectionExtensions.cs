using CalMiner.Data;
using CalMiner.Data.Caching;
using CalMiner.Data.Configuration;
using CalMiner.Data.Database;
using CalMiner.Data.Migrations;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CalMiner's data services.</summary>
public static class CalMinerDataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the database (a singleton <c>NpgsqlDataSource</c> for PostgreSQL, or the SQLite
    /// file), <see cref="DatabaseMigrator"/>, the repositories (with <see cref="WorkspaceRepository"/>, <see cref="AuditRepository"/> and <see cref="DataProtectionKeyRepository"/>), <see cref="CalMinerCache"/>,
    /// <see cref="UserStampCache"/>, <see cref="SignInThrottle"/> (with default <see cref="SignInThrottleOptions"/>) and
    /// <see cref="SimulationRunProcessor"/> (with default <see cref="SimulationRunProcessorOptions"/>) as
    /// singletons, and a <see cref="HybridCache"/> backed by Redis when <see cref="CalMinerDataOptions.RedisUrl"/>
    /// is set. Services already registered are kept (TryAdd), e.g. a <see cref="TimeProvider"/> or an
    /// <see cref="IDistributedCache"/> of the host's own.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Where the data lives, e.g. <see cref="CalMinerDataOptions.FromConfiguration"/>.</param>
    /// <param name="configureDataSource">
    /// Adjusts the PostgreSQL data source before it is built, after CalMiner's own settings, e.g. to add a
    /// client certificate callback or a type mapping; not called on SQLite. The data source logs through
    /// the host's <see cref="ILoggerFactory"/> when one is registered.
    /// </param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="DataConfigurationException">A setting in <paramref name="options"/> is invalid; the message names it.</exception>
    public static IServiceCollection AddCalMinerData(
        this IServiceCollection services, CalMinerDataOptions options, Action<Npgsql.NpgsqlDataSourceBuilder>? configureDataSource = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Validate();

        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new CalMinerDatabase(options, provider.GetService<ILoggerFactory>(), configureDataSource));

        if (options.RedisUrl is { } redisUrl)
        {
            var redis = RedisUrls.Parse(redisUrl);
            services.TryAddSingleton<IDistributedCache>(provider => new ResilientDistributedCache(
                new RedisCache(new RedisCacheOptions { ConfigurationOptions = redis, InstanceName = CacheKeys.Namespace(options) }),
                provider.GetRequiredService<TimeProvider>(),
                Logger<ResilientDistributedCache>(provider)));
        }

        services.AddHybridCache(cache =>
            {
                cache.DefaultEntryOptions = new HybridCacheEntryOptions
                {
                    Expiration = TimeSpan.FromHours(1),
                    LocalCacheExpiration = TimeSpan.FromMinutes(5),
                };
                // Simulation summaries with histograms and CDFs can be a few MB.
                cache.MaximumPayloadBytes = 16 * 1024 * 1024;
            })
            .AddSerializer<StoredScenario, StoredScenarioSerializer>();

        services.TryAddSingleton(provider => new ScenarioCacheEvictor(provider.GetRequiredService<HybridCache>()));
        services.TryAddSingleton(provider => new DatabaseMigrator(
            provider.GetRequiredService<CalMinerDatabase>(), Migration.All, provider.GetRequiredService<TimeProvider>(), Logger<DatabaseMigrator>(provider)));
        services.TryAddSingleton(provider => new ScenarioRepository(
            provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ScenarioCacheEvictor>()));
        services.TryAddSingleton(provider => new ScenarioHistoryRepository(
            provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<ScenarioRepository>()));
        services.TryAddSingleton(provider => new MaintenanceLogRepository(provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new WorkspaceRepository(provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new AuditRepository(provider.GetRequiredService<CalMinerDatabase>()));
        services.TryAddSingleton(provider => new SimulationRunRepository(
            provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<TimeProvider>()));
        // Only Redis is shared by the replicas: a cache in one process's memory would miss the others' changes.
        services.TryAddSingleton(provider => new UserStampCache(
            provider.GetRequiredService<CalMinerDatabase>(),
            options.RedisUrl is null ? null : provider.GetService<IDistributedCache>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new UserRepository(
            provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<UserStampCache>()));
        services.TryAddSingleton(new SignInThrottleOptions());
        services.TryAddSingleton(provider => new SignInThrottle(
            provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<SignInThrottleOptions>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new ApiKeyRepository(
            provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new DataProtectionKeyRepository(
            provider.GetRequiredService<CalMinerDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new CalMinerCache(
            provider.GetRequiredService<HybridCache>(),
            provider.GetRequiredService<ScenarioRepository>(),
            provider.GetRequiredService<ScenarioHistoryRepository>(),
            provider.GetRequiredService<SimulationRunRepository>(),
            provider.GetService<IDistributedCache>()));
        services.TryAddSingleton(new SimulationRunProcessorOptions());
        services.TryAddSingleton(provider => new SimulationRunProcessor(
            provider.GetRequiredService<SimulationRunRepository>(),
            provider.GetRequiredService<CalMinerCache>(),
            provider.GetRequiredService<SimulationRunProcessorOptions>(),
            provider.GetRequiredService<TimeProvider>(),
            Logger<SimulationRunProcessor>(provider)));
        return services;
    }

    private static ILogger<T> Logger<T>(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}
