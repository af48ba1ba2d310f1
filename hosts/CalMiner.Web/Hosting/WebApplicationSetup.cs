using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using CalMiner.Data;
using CalMiner.Web.Api;
using CalMiner.Web.Problems;
using CalMiner.Web.Security;
using Scalar.AspNetCore;

namespace CalMiner.Web.Hosting;

/// <summary>The web host's composition: services in <see cref="AddCalMinerWeb"/>, the pipeline and endpoints in <see cref="UseCalMinerWeb"/>.</summary>
internal static class WebApplicationSetup
{
    public const string DefaultUrl = "http://localhost:8000";
    public const string SimulationRateLimit = "simulation-runs";

    public static WebApplicationBuilder AddCalMinerWeb(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;

        // Port 8000 unless the environment says otherwise (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, --urls).
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"]) && string.IsNullOrEmpty(configuration["https_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        services.AddWebOptions(configuration);
        var data = CalMinerDataOptions.FromConfiguration(configuration);
        services.AddCalMinerData(data);
        services.AddDatabaseOutages();
        services.AddHostedService<DatabaseStartup>();
        services.AddHostedService<DeletedScenarioPurger>();
        services.AddHostedService<SimulationRunner>();

        services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ExceptionProblems>();

        services.AddCalMinerAuthentication();
        builder.AddCalMinerDataProtection();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, token) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.", detail: "Wait a moment and try again.")
                    .ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            };
        });

        services.AddCalMinerHealthChecks(data);
        services.AddCalMinerOpenApi();
        return builder;
    }

    public static WebApplication UseCalMinerWeb(this WebApplication app)
    {
        app.UseHeadAsGet();
        app.UseRouting();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNotFoundForUnknownPaths();
        app.UseUnsupportedMediaTypeForEveryone();
        app.UseAuthentication();
        app.UseAuditActor();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgeryForCookieWrites();
        app.UseUtf8RequestBodies();
        app.UseTextRulesForQueries();

        app.MapCalMinerHealthChecks();
        app.MapOpenApi().AllowAnonymous();
        // The reference page loads nothing from outside the app: no web fonts, no telemetry, no AI agent,
        // no toolbar of links to hosted services.
        app.MapScalarApiReference("/api/reference", reference => reference
                .WithTitle("CalMiner API")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .AddPreferredSecuritySchemes([OpenApiSetup.BearerScheme]))
            .AllowAnonymous();

        // The API reference is the page a browser opening the host finds.
        app.MapGet("/", () => Results.Redirect("/api/reference")).AllowAnonymous().ExcludeFromDescription();

        var api = app.MapGroup("/api").RequireAuthorization(Policies.Read);
        ((IEndpointConventionBuilder)api).Finally(OpenApiSetup.DescribeCommonResponses);
        api.MapAuthEndpoints();
        api.MapApiKeyEndpoints();
        api.MapUserEndpoints();
        api.MapWorkspaceEndpoints();
        api.MapScenarioEndpoints();
        api.MapScenarioSectionEndpoints();
        api.MapScenarioVersionEndpoints();
        api.MapScenarioCopyEndpoints();
        api.MapScenarioMaintenanceEndpoints();
        api.MapComparisonEndpoints();
        api.MapCashflowEndpoints();
        api.MapSimulationEndpoints();
        return app;
    }

    /// <summary>
    /// A path that matches no endpoint is 404 for everyone: otherwise the fallback policy would answer
    /// an anonymous caller 401, as if the path existed. It tells nothing of what is protected: every
    /// endpoint that exists still answers 401 to an anonymous caller, whatever its parameters.
    /// </summary>
    private static IApplicationBuilder UseNotFoundForUnknownPaths(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is null)
            {
                await ApiProblems.NoSuchPath().ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

    /// <summary>
    /// A body of a media type the route does not read is 415 for everyone, before authentication: else
    /// the fallback policy answers an anonymous caller 401, which sends someone signing in with the
    /// wrong Content-Type looking for a wrong password. The route is known to exist either way.
    /// </summary>
    private static IApplicationBuilder UseUnsupportedMediaTypeForEveryone(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            // Routing stands in an endpoint of its own, not a route, when every candidate refuses the media type.
            if (context.GetEndpoint() is { } endpoint and not RouteEndpoint
                && endpoint.DisplayName?.StartsWith("415", StringComparison.Ordinal) == true)
            {
                await TypedResults.Problem(
                        statusCode: StatusCodes.Status415UnsupportedMediaType,
                        title: "Unsupported media type.",
                        detail: $"This endpoint does not read {context.Request.ContentType ?? "a body without a Content-Type"}: send JSON (Content-Type: application/json), or what the API reference lists for it.")
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

    /// <summary>Strict JSON for request bodies: unknown fields, missing required fields and nulls where none may be are errors that name the field.</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.RespectNullableAnnotations = true;
        json.RespectRequiredConstructorParameters = true;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.AllowDuplicateProperties = false;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.Converters.Add(new TextInput.Converter());
        json.TypeInfoResolver = (json.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(OpenApiSetup.WithoutStructDefaults);
    }
}
