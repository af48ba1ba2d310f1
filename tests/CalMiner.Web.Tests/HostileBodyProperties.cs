using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace CalMiner.Web.Tests;

/// <summary>A request body that a careless or hostile client might send, with its content type (null: none).</summary>
public sealed record HostileBody(string Description, byte[] Bytes, string? ContentType)
{
    public override string ToString() => $"{Description} as {ContentType ?? "no content type"}";
}

/// <summary>Malformed and hostile bodies: broken JSON, wrong types, extreme numbers, deep nesting, bad encodings, odd content types.</summary>
public static class HostileBodies
{
    public const string Sql = "'; DROP TABLE scenario; --";

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/json; charset=no-such-charset",
        "application/problem+json", "*/*", "application/json;;;=", "",
    ];

    // Values a field may be given: raw JSON tokens, some of them not JSON at all.
    private static readonly string[] Values =
    [
        "1e400", "-1e308", "-1e400", "1e-400", "NaN", "Infinity", "-Infinity", "\"NaN\"", "null", "true", "[]", "{}", "-0",
        "9223372036854775808", "12345678901234567890123456789012345678901234567890", "0x10", "01", ".5", "1.", "+1",
        JsonSerializer.Serialize(Sql), "\"\\u0000\"", "\"\\ud800\"", "\"" + new string('x', 20_000) + "\"", "'single'", "undefined",
        new string('[', 100) + new string(']', 100), "\"a@b\"", "\"admin\"",
    ];

    // Field names of the endpoints' bodies, and some that belong to none.
    private static readonly string[] Fields =
    [
        "email", "password", "role", "name", "discountRate", "periods", "products", "document", "iterations", "id", "version",
        "$type", "__proto__", "constructor", "unknownField", "",
    ];

    /// <summary>Bodies every endpoint must refuse politely, each one named.</summary>
    public static IReadOnlyList<(string Description, byte[] Bytes)> Named { get; } = BuildNamed();

    public static Arbitrary<HostileBody> Arbitrary() => Arb.From(
        Gen.OneOf(
            from named in Gen.Elements(Named.ToArray())
            from type in Gen.Elements(ContentTypes)
            select new HostileBody(named.Description, named.Bytes, NullIfEmpty(type)),
            from fields in Gen.Choose(1, 4)
            from pairs in Gen.CollectToArray(Enumerable.Range(0, fields), _ =>
                from field in Gen.Elements(Fields)
                from value in Gen.Elements(Values)
                select (Field: field, Value: value))
            from type in Gen.Frequency((4, Gen.Constant("application/json")), (1, Gen.Elements(ContentTypes)))
            select Object(pairs, NullIfEmpty(type)),
            from field in Gen.Elements("name", "discountRate", "periods", "products", "currency", "startYear", "extra")
            from value in Gen.Elements(Values)
            select Scenario(field, value)));

    private static string? NullIfEmpty(string type) => type.Length == 0 ? null : type;

    private static HostileBody Object((string Field, string Value)[] pairs, string? contentType)
    {
        var json = "{" + string.Join(",", pairs.Select(p => JsonSerializer.Serialize(p.Field) + ":" + p.Value)) + "}";
        var shown = json.Length > 200 ? json[..200] + "…" : json;
        return new HostileBody(shown, Encoding.UTF8.GetBytes(json), contentType);
    }

    // The gold sample with one top-level field set to a hostile value (or an unknown field added).
    private static HostileBody Scenario(string field, string value)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(TestApi.GoldJson())!.AsObject();
        document[field] = "__HOSTILE__";
        var json = document.ToJsonString().Replace("\"__HOSTILE__\"", value, StringComparison.Ordinal);
        return new HostileBody($"gold scenario with {field} = {(value.Length > 40 ? value[..40] + "…" : value)}", Encoding.UTF8.GetBytes(json), "application/json");
    }

    private static List<(string, byte[])> BuildNamed()
    {
        var bodies = new List<(string, byte[])>
        {
            ("empty body", []),
            ("whitespace", "   \n\t"u8.ToArray()),
            ("null", "null"u8.ToArray()),
            ("an array", "[]"u8.ToArray()),
            ("a number", "42"u8.ToArray()),
            ("a string", "\"text\""u8.ToArray()),
            ("an empty object", "{}"u8.ToArray()),
            ("a truncated object", "{\"email\":"u8.ToArray()),
            ("two objects", "{}{}"u8.ToArray()),
            ("trailing comma", "{\"name\":\"x\",}"u8.ToArray()),
            ("a comment", "/* hi */ {\"name\":\"x\"}"u8.ToArray()),
            ("duplicate fields", "{\"name\":\"a\",\"name\":\"b\",\"role\":\"viewer\",\"role\":\"admin\"}"u8.ToArray()),
            ("SQL in every field", Encoding.UTF8.GetBytes($"{{\"email\":{JsonSerializer.Serialize(Sql)},\"password\":{JsonSerializer.Serialize(Sql)},\"role\":{JsonSerializer.Serialize(Sql)},\"name\":{JsonSerializer.Serialize(Sql)}}}")),
            ("SQL as the body", Encoding.UTF8.GetBytes(Sql)),
            ("10 000 nested arrays", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000))),
            ("10 000 nested objects", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000))),
            ("10 000 unclosed arrays", Encoding.UTF8.GetBytes(new string('[', 10_000))),
            ("invalid UTF-8 in a string", [(byte)'{', (byte)'"', (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}']),
            ("invalid UTF-8 only", [0xFF, 0xFE, 0xFD, 0x80, 0x80]),
            ("a UTF-8 byte order mark only", [0xEF, 0xBB, 0xBF]),
            ("UTF-16 JSON", Encoding.Unicode.GetBytes("{\"name\":\"x\"}")),
            ("a NUL byte", [(byte)'{', 0, (byte)'}']),
            ("form data", "email=a%40b.c&password=x&role=admin"u8.ToArray()),
            ("XML", "<user><role>admin</role></user>"u8.ToArray()),
        };
        foreach (var value in Values)
        {
            bodies.Add(($"{{\"name\": {(value.Length > 40 ? value[..40] + "…" : value)}}}", Encoding.UTF8.GetBytes("{\"name\":" + value + "}")));
        }

        return bodies;
    }
}

/// <summary>
/// Every write endpoint answers any body with a 4xx problem (or a success), never a 5xx. New
/// endpoints are one line each in <see cref="WriteEndpoints"/>.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class HostileBodyProperties(CalMinerWebApp app)
{
    /// <summary>Every endpoint that reads a body. <c>{scenario}</c> and <c>{user}</c> are ids of a scenario and a user made for these tests.</summary>
    public static readonly (string Method, string Path)[] WriteEndpoints =
    [
        ("POST", "/api/auth/login"),
        ("POST", "/api/scenarios"),
        ("PUT", "/api/scenarios/{scenario}"),
        ("POST", "/api/keys"),
        ("POST", "/api/users"),
        ("PUT", "/api/users/{user}/role"),
        ("PUT", "/api/users/{user}/password"),
        ("POST", "/api/users/{user}/keys"),
        ("POST", "/api/simulations/run"),
    ];

    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static (HttpClient Admin, long Scenario, long User)? _targets;

    [Property(MaxTest = 60, Arbitrary = [typeof(HostileBodies)])]
    public async Task GeneratedHostileBodies_NeverGetA5xx(HostileBody body)
    {
        foreach (var (method, path) in WriteEndpoints)
        {
            await SendAndCheckAsync(method, path, body);
        }
    }

    [Fact]
    public async Task NamedHostileBodies_GetAProblem_FromEveryWriteEndpoint()
    {
        foreach (var (description, bytes) in HostileBodies.Named)
        {
            foreach (var (method, path) in WriteEndpoints)
            {
                await SendAndCheckAsync(method, path, new HostileBody(description, bytes, "application/json"));
            }
        }
    }

    private async Task SendAndCheckAsync(string method, string path, HostileBody body)
    {
        var (admin, scenario, user) = await TargetsAsync();
        var url = path.Replace("{scenario}", scenario.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{user}", user.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(body.Bytes) };
        if (body.ContentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        }

        // So that replacing a scenario gets as far as reading the body.
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var response = await admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{method} {url} with {body}: {status} {text}");
        if (status >= 400)
        {
            Assert.True(
                response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                $"{method} {url} with {body}: {status} without a problem body: {response.Content.Headers.ContentType} {text}");
            using var problem = JsonDocument.Parse(text);
            Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        }
    }

    private async Task<(HttpClient Admin, long Scenario, long User)> TargetsAsync()
    {
        await Setup.WaitAsync();
        try
        {
            if (_targets is null)
            {
                var admin = await app.ClientAsync(UserRole.Admin);
                var (scenario, _) = await admin.CreateScenarioAsync();
                var (user, _) = await app.NewUserWithKeyAsync(UserRole.Viewer);
                _targets = (admin, scenario, user.Id);
            }

            return _targets.Value;
        }
        finally
        {
            Setup.Release();
        }
    }
}

/// <summary>A whole request a careless or hostile client might send: query string, conditional headers, content type and body.</summary>
public sealed record HostileRequest(string Query, string? IfMatch, string? IfNoneMatch, string? ContentType, byte[] Body, string BodyDescription, bool RealIds)
{
    public override string ToString() =>
        $"?{(Query.Length > 120 ? Query[..120] + "…" : Query)} If-Match: {IfMatch ?? "-"} If-None-Match: {IfNoneMatch ?? "-"} Content-Type: {ContentType ?? "-"} body: {BodyDescription}{(RealIds ? "" : " (ids that exist nowhere)")}";
}

/// <summary>Hostile query strings, headers and bodies, multipart ones included.</summary>
public static class HostileRequests
{
    // Query values as they travel, percent-encoded or broken.
    private static readonly string[] QueryValues =
    [
        "%00", "a%00b", "%FF", "%", "a%2", "%E2%80%AE", "-1", "0", "1", "99999999999999999999", "1e400", "NaN", "-0", "",
        "json", "csv", "xlsx", "-updatedAt", "name", "1,2,3", "1,,", "' OR 1=1 --", "%22%3Cscript%3E", new string('x', 3000),
        "2028-01-01T00:00:00Z", "Haul%20truck%20220%20t", "%C0%80",
    ];

    private static readonly string[] QueryNames =
    [
        "search", "sort", "offset", "limit", "equipment", "period", "format", "from", "to", "ids", "iterations", "contentType", "text",
        "%00", "", "a[]", "__proto__",
    ];

    private static readonly string[] Tags =
    [
        "*", "\"1\"", "W/\"1\"", "1", "\"2\"", "\"abc\"", "", "\"1\", \"2\"", "*, \"1\"", "\"", "W/", "-1", "\"99999999999\"", new string('"', 500),
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
        "multipart/form-data; boundary=x", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"" + new string('b', 200) + "\"",
        "multipart/mixed; boundary=x", "application/json; charset=utf-16", "application/json; charset=no-such-charset", "*/*", ";", "",
    ];

    // Headers of one part of a multipart body.
    private static readonly string[] PartHeaders =
    [
        "Content-Disposition: form-data; name=\"file\"; filename=\"scenario.json\"\r\nContent-Type: application/json",
        "Content-Disposition: form-data; name=\"file\"",
        "Content-Type: application/json",
        "Content-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"",
        "Content-Disposition: form-data; name=\"a\u0000\"; filename=\"b\u0000.json\"",
        "Content-Disposition: attachment",
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\nX-Note: " + new string('a', 20_000),
        "",
    ];

    public static Arbitrary<HostileRequest> Arbitrary() => Arb.From(
        from pairs in Gen.Choose(0, 4).SelectMany(count => Gen.CollectToArray(Enumerable.Range(0, count), _ =>
            from name in Gen.Elements(QueryNames)
            from value in Gen.Elements(QueryValues)
            select name + "=" + value))
        from ifMatch in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements(Tags).Select(t => (string?)t))
        from ifNoneMatch in Gen.OneOf(Gen.Constant<string?>(null), Gen.Constant<string?>(null), Gen.Elements(Tags).Select(t => (string?)t))
        from body in Gen.Frequency(
            (2, Gen.Constant((Description: "no body", Bytes: Array.Empty<byte>(), ContentType: (string?)null))),
            (3, HostileBodies.Arbitrary().Generator.Select(b => (Description: b.Description, b.Bytes, b.ContentType))),
            (3, Multipart()))
        from contentType in Gen.Frequency<string?>((3, Gen.Constant<string?>(body.ContentType)), (1, Gen.Elements(ContentTypes).Select(t => (string?)t)))
        from realIds in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new HostileRequest(string.Join('&', pairs), ifMatch, ifNoneMatch, contentType, body.Bytes, body.Description, realIds));

    private static Gen<(string Description, byte[] Bytes, string? ContentType)> Multipart() =>
        Gen.OneOf(
            from parts in Gen.Choose(0, 4).SelectMany(count => Gen.CollectToArray(Enumerable.Range(0, count), _ =>
                from headers in Gen.Elements(PartHeaders)
                from content in Gen.Elements(TestApi.GoldJson(), "{}", "", "\uFEFF" + TestApi.GoldJson(), "\u0000", "--x")
                select (Headers: headers, Content: content)))
            from cut in Gen.Frequency((3, Gen.Constant(1.0)), (1, Gen.Choose(0, 99).Select(p => p / 100.0)))
            from boundary in Gen.Elements("multipart/form-data; boundary=x", "multipart/form-data; boundary=y", "multipart/form-data")
            select MultipartBody(parts, cut, boundary),
            Gen.Constant(ManyFields()));

    private static (string, byte[], string?) MultipartBody((string Headers, string Content)[] parts, double cut, string contentType)
    {
        var text = new StringBuilder();
        foreach (var (headers, content) in parts)
        {
            text.Append("--x\r\n").Append(headers).Append("\r\n\r\n").Append(content).Append("\r\n");
        }

        text.Append("--x--\r\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        bytes = bytes[..(int)(bytes.Length * cut)];
        return ($"multipart of {parts.Length} parts ({string.Join(", ", parts.Select(p => p.Headers.Length > 60 ? p.Headers[..60] + "…" : p.Headers))}){(cut < 1 ? $" cut at {cut:P0}" : "")}", bytes, contentType);
    }

    private static (string, byte[], string?) ManyFields()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            text.Append("--x\r\nContent-Disposition: form-data; name=\"f").Append(i).Append("\"\r\n\r\nv\r\n");
        }

        return ("multipart of 2 000 fields", Encoding.UTF8.GetBytes(text.Append("--x--\r\n").ToString()), "multipart/form-data; boundary=x");
    }
}

/// <summary>
/// Every endpoint the app maps, found in its <see cref="EndpointDataSource"/> so that a new one is covered
/// without a line here, answers any hostile request, signed in or anonymous, with anything but a 5xx.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed partial class HostileRequestProperties(CalMinerWebApp app)
{
    private static long _sent;

    [Property(MaxTest = 20, Arbitrary = [typeof(HostileRequests)])]
    public async Task HostileRequests_NeverGetA5xx_OnEveryEndpoint(HostileRequest hostile)
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count > 40, $"found only {endpoints.Count} endpoints");
        using var admin = await app.ClientAsync(UserRole.Admin);
        using var anonymous = app.Anonymous();
        var ids = await TargetsAsync(admin);
        foreach (var (method, pattern) in endpoints)
        {
            var path = Path(pattern, ids, hostile.RealIds);
            foreach (var client in new[] { admin, anonymous })
            {
                await SendAndCheckAsync(client, method, path, hostile);
            }
        }
    }

    [Fact]
    public void Endpoints_AreFoundInTheApp_WithTheirMethods()
    {
        var endpoints = Endpoints();
        Assert.Contains(("POST", "/api/auth/login"), endpoints);
        Assert.Contains(("POST", "/api/scenarios/import"), endpoints);
        Assert.Contains(("PUT", "/api/scenarios/{id:long}/products"), endpoints);
        Assert.Contains(("GET", "/health/live"), endpoints);
    }

    /// <summary>Every route the app maps, with each of its methods.</summary>
    private List<(string Method, string Pattern)> Endpoints() =>
        [.. app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .OrderBy(e => e.m == "DELETE" ? 1 : 0).ThenBy(e => e.Item2, StringComparer.Ordinal)];

    /// <summary>The pattern with its parameters filled: ids of things made for this case, or ids that exist nowhere.</summary>
    private static string Path(string pattern, IReadOnlyDictionary<string, string> ids, bool real) =>
        RouteParameter().Replace(pattern, match =>
        {
            var name = match.Groups[1].Value;
            var owner = pattern[..match.Index].TrimEnd('/');
            owner = owner[(owner.LastIndexOf('/') + 1)..];
            return real ? ids.GetValueOrDefault($"{owner}.{name}", "1") : long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

    /// <summary>A scenario with a maintenance entry, a user with a key, a key of the admin's and a finished run, new for each case.</summary>
    private async Task<Dictionary<string, string>> TargetsAsync(HttpClient admin)
    {
        var (scenario, _) = await admin.CreateScenarioAsync();
        var entry = await (await admin.PostAsync($"/api/scenarios/{scenario}/maintenance", TestApi.Json(
            "{\"equipment\":\"Haul truck 220 t\",\"start\":\"2028-03-01T00:00:00Z\",\"end\":\"2028-03-02T00:00:00Z\",\"kind\":\"planned\",\"cost\":10}"))).ExpectAsync(HttpStatusCode.Created);
        var (user, _) = await app.NewUserWithKeyAsync(UserRole.Viewer);
        var userKey = (await app.Get<ApiKeyRepository>().CreateAsync(user.Id, "hostile")).Key.Id;
        var adminKey = await (await admin.PostAsync("/api/keys", TestApi.Json("{\"name\":\"hostile\"}"))).ExpectAsync(HttpStatusCode.Created);
        var run = await (await admin.PostAsync("/api/simulations/run", TestApi.Json($"{{\"scenarioId\":{scenario},\"iterations\":200}}"))).ExpectAsync(HttpStatusCode.Created);
        // A workspace of the case's own, with the user as its member: membership routes never touch the Default workspace.
        var workspace = await (await admin.PostAsync("/api/workspaces", TestApi.Json($"{{\"name\":\"hostile {Guid.NewGuid():N}\"}}"))).ExpectAsync(HttpStatusCode.Created);
        var workspaceId = workspace.GetProperty("id").GetInt64();
        await (await admin.PutAsync($"/api/workspaces/{workspaceId}/members/{user.Id}", TestApi.Json("{\"role\":\"viewer\"}"))).ExpectAsync(HttpStatusCode.OK);
        var targets = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["scenarios.id"] = scenario,
            ["maintenance.logId"] = entry.GetProperty("id").GetInt64(),
            ["versions.version"] = 1,
            ["users.id"] = user.Id,
            ["keys.keyId"] = userKey,
            ["keys.id"] = adminKey.GetProperty("id").GetInt64(),
            ["simulations.id"] = run.GetProperty("id").GetInt64(),
            ["workspaces.workspaceId"] = workspaceId,
            ["members.userId"] = user.Id,
            ["deleted-scenarios.id"] = long.MaxValue,
        }.ToDictionary(p => p.Key, p => p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        targets["openapi.documentName"] = "v1";
        return targets;
    }

    private static async Task SendAndCheckAsync(HttpClient client, string method, string path, HostileRequest hostile)
    {
        var url = hostile.Query.Length == 0 ? path : path + "?" + hostile.Query;
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (hostile.Body.Length > 0 || hostile.ContentType is not null)
        {
            request.Content = new ByteArrayContent(hostile.Body);
            if (hostile.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", hostile.ContentType);
            }
        }

        if (hostile.IfMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", hostile.IfMatch);
        }

        if (hostile.IfNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", hostile.IfNoneMatch);
        }

        using var response = await client.SendAsync(request);
        Interlocked.Increment(ref _sent);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var who = client.DefaultRequestHeaders.Authorization is null ? "anonymous" : "admin";
        Assert.True(status < 500, $"{method} {url} as {who} with {hostile}: {status} {text}");
        // Kestrel refuses some requests before the app sees them, without a body; every answer of the API is a problem.
        if (status >= 400 && text.Length > 0 && path.StartsWith("/api/", StringComparison.Ordinal))
        {
            Assert.True(
                response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                $"{method} {url} as {who} with {hostile}: {status} without a problem body: {response.Content.Headers.ContentType} {text}");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\w+)(?::\w+)?\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();
}
