using System.Threading.RateLimiting;
using CalMiner.Data;
using CalMiner.Web.Api;
using CalMiner.Web.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace CalMiner.Web.Hosting;

/// <summary>
/// Binds <see cref="WebOptions"/> once and checks it when the app starts; Kestrel's body limit, the rate limits and the
/// sign-in throttle take their values from that one checked copy, so a bad value stops the start with its name.
/// </summary>
internal static class WebOptionsSetup
{
    public const string AdminEmailSetting = "CALMINER_ADMIN_EMAIL";
    public const string AdminPasswordSetting = "CALMINER_ADMIN_PASSWORD";

    public static IServiceCollection AddWebOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>()
            .Bind(configuration.GetSection(WebOptions.Section))
            .Configure(options =>
            {
                options.AdminEmail ??= configuration[AdminEmailSetting];
                options.AdminPassword ??= configuration[AdminPasswordSetting];
            })
            .Validate(
                options => (options.AdminEmail is null) == (options.AdminPassword is null),
                $"{AdminEmailSetting} and {AdminPasswordSetting} must be set together.")
            .Validate(
                options => options.InlineIterationLimit <= options.MaxIterations,
                "CalMiner:InlineIterationLimit must not exceed CalMiner:MaxIterations.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<WebOptions>>((kestrel, web) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = web.Value.MaxRequestBytes;
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<WebOptions>>((limiter, web) => AddRateLimits(limiter, web.Value));
        services.AddSingleton(provider => SignInThrottle(provider.GetRequiredService<IOptions<WebOptions>>().Value));
        services.AddSingleton(provider => SimulationRunner.ProcessorOptions(provider.GetRequiredService<IOptions<WebOptions>>().Value));
        return services;
    }

    private static SignInThrottleOptions SignInThrottle(WebOptions web) =>
        new() { FreeAttempts = web.SignInFreeAttempts, MaxDelay = TimeSpan.FromSeconds(web.SignInMaxDelaySeconds) };

    private static void AddRateLimits(RateLimiterOptions limiter, WebOptions web)
    {
        limiter.AddPolicy(AuthEndpoints.SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
            FailedAuthentications.AddressKey(context),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = web.SignInPermitsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        limiter.AddPolicy(WebApplicationSetup.SimulationRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
            context.User.Identity?.Name ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = web.SimulationRunsPerMinute, Window = TimeSpan.FromMinutes(1) }));
    }
}
