using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace CalMiner.Web.Tests.Infrastructure;

/// <summary>
/// The app's own OpenAPI document as a contract: <see cref="CheckingHandler"/> sits under an
/// HttpClient, finds the operation each request calls, and checks the response against what the
/// document declares for it: the status code must be listed, the media type declared, and a JSON
/// body must validate against the declared schema (JSON Schema 2020-12, OpenAPI 3.1's dialect).
/// </summary>
internal sealed class OpenApiContract(JsonObject document)
{
    private readonly List<Operation> _operations = [.. Operations(document)];
    private readonly JsonObject _definitions = Rewrite(document["components"]?["schemas"]?.DeepClone() ?? new JsonObject()).AsObject();
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _schemaCount;

    /// <summary>Every operation of the document: method, path template and its declared responses.</summary>
    public IReadOnlyList<Operation> All => _operations;

    /// <summary>What went against the document, one line each.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>The operations called, with the status codes they answered.</summary>
    public Dictionary<string, SortedSet<int>> Called { get; } = new(StringComparer.Ordinal);

    public HttpClient Client(CalMinerWebApp app, Action<HttpClient>? configure = null)
    {
        var client = new HttpClient(new CheckingHandler(this, new SocketsHttpHandler { UseCookies = true, AllowAutoRedirect = false }))
        {
            BaseAddress = app.BaseAddress,
        };
        configure?.Invoke(client);
        return client;
    }

    private async Task CheckAsync(HttpRequestMessage request, HttpResponseMessage response)
    {
        var path = request.RequestUri!.AbsolutePath;
        var operation = _operations
            .Where(o => o.Method == request.Method.Method && o.Pattern.IsMatch(path))
            .OrderByDescending(o => o.LiteralSegments)
            .FirstOrDefault();
        var call = $"{request.Method} {request.RequestUri.PathAndQuery}";
        if (operation is null)
        {
            Fail($"{call}: no operation of the document matches");
            return;
        }

        var status = (int)response.StatusCode;
        lock (_lock)
        {
            if (!Called.TryGetValue(operation.Key, out var statuses))
            {
                Called[operation.Key] = statuses = [];
            }

            statuses.Add(status);
        }

        var body = await response.Content.ReadAsByteArrayAsync();
        var declared = operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? operation.Responses["default"];
        if (declared is null)
        {
            Fail($"{call} → {status}: {operation.Key} does not declare {status} (it declares {string.Join(", ", operation.Responses.Select(r => r.Key))}); body {Text(body)}");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var content = declared["content"]?.AsObject();
        if (body.Length == 0)
        {
            return;
        }

        if (mediaType is null || content is null || !content.TryGetPropertyValue(mediaType, out var media))
        {
            Fail($"{call} → {status}: {mediaType ?? "no media type"} is not declared for {operation.Key} {status} (declared: {string.Join(", ", content?.Select(c => c.Key) ?? [])})");
            return;
        }

        if (!mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            return;
        }

        if (media?["schema"] is not { } schemaNode)
        {
            Fail($"{call} → {status}: {operation.Key} declares no schema for {mediaType}");
            return;
        }

        var schema = SchemaOf($"{operation.Key} {status} {mediaType}", schemaNode);
        using var json = JsonDocument.Parse(body);
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})"))
                .Take(8);
            Fail($"{call} → {status}: the body does not match the schema of {operation.Key} {status}: {string.Join("; ", errors)}; body {Text(body)}");
        }
    }

    private JsonSchema SchemaOf(string key, JsonNode schema)
    {
        lock (_lock)
        {
            if (!_schemas.TryGetValue(key, out var built))
            {
                var root = Rewrite(schema.DeepClone()) as JsonObject ?? new JsonObject();
                root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
                root["$defs"] = _definitions.DeepClone();
                var baseUri = new Uri($"urn:calminer:openapi:{++_schemaCount}");
                built = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, baseUri);
                _schemas[key] = built;
            }

            return built;
        }
    }

    // The document's references point into components; in a standalone schema they point into $defs.
    private static JsonNode Rewrite(JsonNode node)
    {
        var text = node.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        return JsonNode.Parse(text)!;
    }

    private void Fail(string failure)
    {
        lock (_lock)
        {
            Failures.Add(failure);
        }
    }

    private static string Text(byte[] body) =>
        body.Length > 600 ? System.Text.Encoding.UTF8.GetString(body, 0, 600) + "…" : System.Text.Encoding.UTF8.GetString(body);

    private static IEnumerable<Operation> Operations(JsonObject document)
    {
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            var segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var pattern = new Regex(
                "^/" + string.Join("/", segments.Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "/?$",
                RegexOptions.CultureInvariant);
            foreach (var (method, operation) in item!.AsObject())
            {
                yield return new Operation(
                    method.ToUpperInvariant(),
                    template,
                    pattern,
                    segments.Count(s => !s.StartsWith('{')),
                    operation!["responses"]!.AsObject());
            }
        }
    }

    /// <summary>One operation: <c>GET /api/scenarios/{id}</c>.</summary>
    internal sealed record Operation(string Method, string Template, Regex Pattern, int LiteralSegments, JsonObject Responses)
    {
        public string Key => $"{Method} {Template}";
    }

    private sealed class CheckingHandler(OpenApiContract contract, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            await contract.CheckAsync(request, response);
            return response;
        }
    }
}
