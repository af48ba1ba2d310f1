using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using CalMiner.Scenarios;
using CalMiner.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace CalMiner.Web.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>. Request and response schemas come from the C#
/// types each endpoint declares (<c>Produces</c>, <c>Accepts</c>); what every endpoint of a kind
/// answers (401 without credentials, 403 for a role that may not, 413/415 for a bad body, 429 past
/// a rate limit) is derived here from the endpoint's own authorization and rate-limit metadata, so
/// the document cannot say otherwise than the pipeline does.
/// </summary>
internal static class OpenApiSetup
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    private const string ProblemJson = "application/problem+json";
    private const string AnyContentType = "*/*";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Authentication"] = "Cookie sign-in and sign-out, the current user, the antiforgery token.",
        ["API keys"] = "The signed-in user's own API keys.",
        ["Users"] = "Accounts, roles, passwords and their API keys; admins only.",
        ["Workspaces"] = "The teams scenarios belong to: members and their roles, deleted scenarios, the audit log of every write.",
        ["Scenarios"] = "Scenario documents: list, read, create, replace, delete, copy, import, export, evaluate.",
        ["Scenario sections"] = "One section of a scenario's document read and replaced on its own.",
        ["Scenario history"] = "Every saved version of a scenario: list, read, compare, restore.",
        ["Maintenance logs"] = "Maintenance events of a scenario's equipment fleets and the indicators derived from them.",
        ["Comparison"] = "The metrics of several scenarios side by side.",
        ["Simulations"] = "Monte Carlo runs of a scenario: start, follow, read results and samples, cancel.",
    };

    public static IServiceCollection AddCalMinerOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CalMiner API",
                    Version = "v1",
                    Description =
                        "Economic evaluation of mining projects: scenarios and their history, cash flows, comparisons, " +
                        "maintenance logs and Monte Carlo simulations. Every error is an RFC 9457 problem " +
                        "(`application/problem+json`). Sign in with `POST /api/auth/login` (a cookie; writes then send the " +
                        "antiforgery token in `X-CSRF-TOKEN`) or send an API key as `Authorization: Bearer <key>`.",
                    License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                };
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/');
                }

                foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                {
                    tag.Description = tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description) ? description : null;
                }

                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "API key",
                        Description = "An API key (cm_…) made with POST /api/keys or `calminer apikey create`.",
                    },
                    [CookieScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Cookie,
                        Name = AuthenticationSetup.AuthCookie,
                        Description = $"The cookie POST /api/auth/login sets. Writes made with it send the antiforgery token in the {AuthenticationSetup.AntiforgeryHeader} header.",
                    },
                };
                return Task.CompletedTask;
            });

            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any())
                {
                    // An empty requirement: no credentials needed.
                    operation.Security = [new OpenApiSecurityRequirement()];
                }
                else
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] },
                    ];
                }

                return Task.CompletedTask;
            });

            // Core reads and writes a Bindable as a number or the name of a parameter (BindableJsonConverter).
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(Bindable))
                {
                    schema.Type = null;
                    schema.OneOf =
                    [
                        new OpenApiSchema { Type = JsonSchemaType.Number },
                        new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, Description = "The name of a parameter of the scenario." },
                    ];
                    schema.Description = "A number, or the name of a scenario parameter whose value it takes.";
                }

                // Problems carry extensions: always traceId, some more (412's currentVersion).
                if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
                {
                    schema.AdditionalPropertiesAllowed = true;
                    schema.AdditionalProperties = null;
                    schema.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
                    schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's id, as in the server's logs." };
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// Core's records take some inputs as <c>Bindable x = default</c> ("not given"). System.Text.Json's
    /// schema exporter fails on such a default (it has no value to write), so these records are
    /// described by their properties rather than their constructor: the constructor's required
    /// parameters become required properties, and the web app never reads them through these options
    /// (scenario documents are read by Core's own parser).
    /// </summary>
    public static void WithoutStructDefaults(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        var constructor = typeInfo.Type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var parameters = constructor?.GetParameters() ?? [];
        if (!parameters.Any(p => p is { HasDefaultValue: true, DefaultValue: null } && p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null))
        {
            return;
        }

        var type = typeInfo.Type;
        typeInfo.CreateObject = () => throw new NotSupportedException($"{type.Name} is read by CalMiner.Core's scenario parser, not by the web app's JSON options.");
        foreach (var property in typeInfo.Properties)
        {
            if (parameters.Any(p => !p.HasDefaultValue && string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)))
            {
                property.IsRequired = true;
            }
        }
    }

    /// <summary>
    /// Declares the answers that follow from an endpoint's metadata rather than from its handler:
    /// 401 unless anonymous, 403 under a role policy, 400 for a cookie write without the antiforgery
    /// token, 400/413/415 for a request body, 429 under a rate limit or after failed authentications, 503 while the
    /// database cannot be reached. Runs after every other
    /// convention, so it sees the endpoint's final metadata.
    /// </summary>
    public static void DescribeCommonResponses(EndpointBuilder endpoint)
    {
        var metadata = endpoint.Metadata;
        var declared = metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
        void Problem(int status, Type type)
        {
            if (declared.Add(status))
            {
                metadata.Add(new ProducesResponseTypeMetadata(status, type, [ProblemJson]));
            }
        }

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var write = metadata.OfType<IHttpMethodMetadata>().Any(m => m.HttpMethods.Any(method => !HttpMethods.IsGet(method)));
        if (!anonymous)
        {
            Problem(StatusCodes.Status401Unauthorized, typeof(ProblemDetails));
            // An address whose API keys keep failing is refused for a while (FailedAuthentications).
            Problem(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails));
        }

        if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is Policies.Edit or Policies.Administer))
        {
            Problem(StatusCodes.Status403Forbidden, typeof(ProblemDetails));
        }

        if (metadata.OfType<IAcceptsMetadata>().Any() || (write && !anonymous))
        {
            Problem(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails));
        }

        if (metadata.OfType<IAcceptsMetadata>().Any())
        {
            Problem(StatusCodes.Status413PayloadTooLarge, typeof(ProblemDetails));
            Problem(StatusCodes.Status415UnsupportedMediaType, typeof(ProblemDetails));
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            Problem(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails));
        }

        // Every endpoint of the API reads the database; while it cannot be reached the answer is 503 (DatabaseOutage).
        Problem(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails));
    }

    /// <summary>Declares problem responses: validation problems (an <c>errors</c> object) for 400 and 422, plain problems otherwise.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            builder = status is StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity
                ? builder.ProducesValidationProblem(status)
                : builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>
    /// Declares a JSON request body that the handler reads itself (Core's strict parser), with the
    /// schema of <paramref name="type"/>. Routing still lets every content type through to the
    /// handler (the <c>*/*</c> entry, left out of the document), which answers 415 with its own message.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJsonBody(this RouteHandlerBuilder builder, Type type, params string[] moreContentTypes) =>
        builder.Accepts(type, "application/json", [.. moreContentTypes, AnyContentType])
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody?.Content?.Remove(AnyContentType);
                return Task.CompletedTask;
            });

    /// <summary>Documents the <c>If-Match</c> header: the ETag of the version the change is based on.</summary>
    public static RouteHandlerBuilder WithIfMatch(this RouteHandlerBuilder builder, bool required) =>
        builder.WithHeader(new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Required = required,
            Description = "The ETag of the version the change is based on, e.g. \"3\". A stale one is refused with 412 and changes nothing.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });

    /// <summary>Documents the <c>If-None-Match</c> header: a current ETag gets 304 without a body.</summary>
    public static RouteHandlerBuilder WithIfNoneMatch(this RouteHandlerBuilder builder) =>
        builder.WithHeader(new OpenApiParameter
        {
            Name = "If-None-Match",
            In = ParameterLocation.Header,
            Description = "An ETag read before; when it is still current the answer is 304 without a body.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });

    /// <summary>Adds an example of the JSON request body: a C# request serialised with the app's own JSON options.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, Func<JsonSerializerOptions, JsonNode?> example) =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType json)
            {
                json.Example = example(context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
            }

            return Task.CompletedTask;
        });

    private static RouteHandlerBuilder WithHeader(this RouteHandlerBuilder builder, OpenApiParameter header) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(header);
            return Task.CompletedTask;
        });
}
