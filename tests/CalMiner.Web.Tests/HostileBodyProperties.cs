using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

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
    public async Task Generated_hostile_bodies_never_get_a_5xx(HostileBody body)
    {
        foreach (var (method, path) in WriteEndpoints)
        {
            await SendAndCheckAsync(method, path, body);
        }
    }

    [Fact]
    public async Task Every_named_hostile_body_gets_a_problem_from_every_write_endpoint()
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
