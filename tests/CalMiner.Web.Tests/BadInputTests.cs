using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;
using Npgsql;

namespace CalMiner.Web.Tests;

/// <summary>Input that once made the host answer 500: each is now a 4xx problem that names what is wrong, or is served.</summary>
[Collection(WebAppCollection.Name)]
public sealed class BadInputTests(CalMinerWebApp app)
{
    private const string Truck = "Haul truck 220 t";
    private const string Nul = "must not contain the NUL character (U+0000)";

    [Fact]
    public async Task Search_Is400NamingSearch_WhenItHoldsANul()
    {
        using var viewer = await app.ClientAsync(UserRole.Viewer);
        var problem = await (await viewer.GetAsync("/api/scenarios?search=%00")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["search"], problem.ErrorPaths());
        Assert.Contains(Nul, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInEmail_Is400NamingEmail_WhenItHoldsANul()
    {
        using var anonymous = app.Anonymous();
        var problem = await (await anonymous.PostAsync("/api/auth/login", TestApi.Json("{\"email\":\"a\\u0000@example.com\",\"password\":\"x\"}")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["$.email"], problem.ErrorPaths());
        Assert.Contains(Nul, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloneName_Is400NamingName_WhenItHoldsANul()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        var problem = await (await analyst.PostAsync($"/api/scenarios/{id}/clone", TestApi.Json("{\"name\":\"copy\\u0000\"}"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["$.name"], problem.ErrorPaths());
    }

    [Fact]
    public async Task MaintenanceDescription_Is400NamingDescriptionOnAddAndReplace_WhenItHoldsANul()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        var added = await (await analyst.PostAsync($"/api/scenarios/{id}/maintenance", Entry(5000, "hose\u0000"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["$.description"], added.ErrorPaths());

        var entry = await (await analyst.PostAsync($"/api/scenarios/{id}/maintenance", Entry(5000))).ExpectAsync(HttpStatusCode.Created);
        var logId = entry.GetProperty("id").GetInt64();
        var replaced = await (await analyst.PutAsync($"/api/scenarios/{id}/maintenance/{logId}", Entry(5000, "\u0000"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["$.description"], replaced.ErrorPaths());
    }

    [Theory]
    [InlineData("1e308")]
    [InlineData("1.7e308")]
    [InlineData("1.0000001e15")]
    [InlineData("-0.01")]
    public async Task MaintenanceCost_Is422NamingCostAndTheRange_WhenOutside0To1e15(string cost)
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        var json = EntryJson(0).Replace("\"cost\":0", $"\"cost\":{cost}", StringComparison.Ordinal);
        var problem = await (await analyst.PostAsync($"/api/scenarios/{id}/maintenance", TestApi.Json(json))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["cost"], problem.ErrorPaths());
        Assert.Contains("0..1e15", problem.GetProperty("errors").GetProperty("cost")[0].GetString(), StringComparison.Ordinal);

        await (await analyst.PostAsync($"/api/scenarios/{id}/maintenance", Entry(1e15))).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Indicators_Are409NamingTheEntryAndTheLogStaysReadable_WhenCostsPredateTheRange()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        var kpis = $"/api/scenarios/{id}/maintenance/kpis?equipment={Uri.EscapeDataString(Truck)}";
        await (await analyst.PostAsync($"/api/scenarios/{id}/maintenance", Entry(5000))).ExpectAsync(HttpStatusCode.Created);
        var first = await InsertCostAsync(id, "1e308");
        var second = await InsertCostAsync(id, "1.7e308");

        var problem = await (await analyst.GetAsync(kpis)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"entry {first}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("0..1e15", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The log still reads, so that the entries can be found and fixed.
        var log = await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, log.GetArrayLength());
        await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance/{second}")).ExpectAsync(HttpStatusCode.OK);

        await (await analyst.PutAsync($"/api/scenarios/{id}/maintenance/{first}", Entry(100))).ExpectAsync(HttpStatusCode.OK);
        var still = await (await analyst.GetAsync(kpis)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"entry {second}", still.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await (await analyst.DeleteAsync($"/api/scenarios/{id}/maintenance/{second}")).ExpectAsync(HttpStatusCode.NoContent);
        var fixedKpis = await (await analyst.GetAsync(kpis)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(5100, fixedKpis.GetProperty("kpis").GetProperty("maintenanceCost").GetDouble());
    }

    [Fact]
    public async Task Indicators_Are409NotA500_WhenAStoredCostIsNotANumber()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        var entry = await InsertCostAsync(id, "'NaN'");
        var problem = await (await analyst.GetAsync($"/api/scenarios/{id}/maintenance/kpis?equipment={Uri.EscapeDataString(Truck)}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"entry {entry}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IfMatchStar_MatchesTheCurrentVersion_OnEveryConditionalWrite()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();

        var replaced = await (await analyst.SendAsync(Request(HttpMethod.Put, $"/api/scenarios/{id}", "*", TestApi.GoldJson()))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, replaced.GetProperty("version").GetInt32());

        var products = JsonSerializer.Serialize(JsonDocument.Parse(TestApi.GoldJson()).RootElement.GetProperty("products"));
        var section = await analyst.SendAsync(Request(HttpMethod.Put, $"/api/scenarios/{id}/products", "*", products));
        await section.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("\"3\"", section.Headers.ETag?.Tag);

        var restored = await (await analyst.SendAsync(Request(HttpMethod.Post, $"/api/scenarios/{id}/versions/1/restore", "*"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, restored.GetProperty("version").GetInt32());

        await (await analyst.SendAsync(Request(HttpMethod.Delete, $"/api/scenarios/{id}", "*"))).ExpectAsync(HttpStatusCode.NoContent);
        await (await analyst.GetAsync($"/api/scenarios/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task IfMatch_Is412NotA500_WhenAListOrGarbage()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();
        foreach (var tag in new[] { "*, \"1\"", "\"1\", \"2\"", "W/", "\"", "**" })
        {
            await (await analyst.SendAsync(Request(HttpMethod.Put, $"/api/scenarios/{id}", tag, TestApi.GoldJson()))).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        }
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> MalformedForms()
    {
        var fields = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            fields.Append("--x\r\nContent-Disposition: form-data; name=\"f").Append(i).Append("\"\r\n\r\nv\r\n");
        }

        var file = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n";
        return new()
        {
            { "2 000 fields", "multipart/form-data; boundary=x", fields + "--x--\r\n", HttpStatusCode.RequestEntityTooLarge, "limit" },
            { "no boundary", "multipart/form-data", file + "\r\n{}\r\n--x--\r\n", HttpStatusCode.BadRequest, "boundary" },
            { "a truncated body", "multipart/form-data; boundary=x", file + "\r\n{\"name\":", HttpStatusCode.BadRequest, "closing boundary" },
            { "a part without Content-Disposition", "multipart/form-data; boundary=x", "--x\r\nContent-Type: application/json\r\n\r\n{}\r\n--x--\r\n", HttpStatusCode.BadRequest, "Content-Disposition" },
            { "a 20 KB part header", "multipart/form-data; boundary=x", file + "X-Note: " + new string('a', 20_000) + "\r\n\r\n{}\r\n--x--\r\n", HttpStatusCode.RequestEntityTooLarge, "limit" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task MultipartImport_IsA4xxThatSaysWhatIsWrong_WhenMalformed(string description, string contentType, string body, HttpStatusCode status, string said)
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var problem = await (await analyst.PostAsync("/api/scenarios/import", content)).ExpectProblemAsync(status);
        Assert.True(problem.GetProperty("detail").GetString()!.Contains(said, StringComparison.Ordinal), $"{description}: {problem}");
    }

    [Fact]
    public async Task JsonImport_IsAccepted_WithAUtf8ByteOrderMark()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var content = new ByteArrayContent([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(TestApi.GoldJson())]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var created = await (await analyst.PostAsync("/api/scenarios/import", content)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(1, created.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task SignIn_Is415_WithATextPlainBody()
    {
        using var anonymous = app.Anonymous();
        var body = new StringContent($"{{\"email\":\"{CalMinerWebApp.AdminEmail}\",\"password\":\"{CalMinerWebApp.AdminPassword}\"}}", Encoding.UTF8, "text/plain");
        var problem = await (await anonymous.PostAsync("/api/auth/login", body)).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_IsAnsweredAsGet_WithoutABody()
    {
        using var viewer = await app.ClientAsync(UserRole.Viewer);
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await analyst.CreateScenarioAsync();
        foreach (var path in new[] { $"/api/scenarios/{id}", $"/api/scenarios/{id}/document", $"/api/scenarios/{id}/cashflow?format=csv", $"/api/scenarios/{id}/cashflow?format=xlsx", "/api/scenarios", "/health/live" })
        {
            using var get = await viewer.GetAsync(path);
            var body = await get.Content.ReadAsByteArrayAsync();
            using var head = await viewer.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET {path}: {get.StatusCode}");
            Assert.True(head.StatusCode == HttpStatusCode.OK, $"HEAD {path}: {head.StatusCode}");
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
            Assert.Equal(get.Content.Headers.ContentDisposition?.FileName, head.Content.Headers.ContentDisposition?.FileName);
            if (get.Content.Headers.ContentLength is { } length)
            {
                Assert.Equal(body.Length, length);
                Assert.Equal(length, head.Content.Headers.ContentLength);
            }
        }

        Assert.Equal(etag, (await viewer.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/scenarios/{id}"))).Headers.ETag);
        // HEAD is a read: it changes nothing, and a route that has no GET still refuses it.
        var refused = await analyst.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/scenarios/{id}/clone"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
    }

    [Fact]
    public async Task CashFlowCsv_NeutralisesAProductNamedLikeAFormula()
    {
        const string Formula = "=HYPERLINK(\"http://x.test\",\"y\")";
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var document = System.Text.Json.Nodes.JsonNode.Parse(TestApi.GoldJson())!.AsObject();
        document["products"]![0]!["name"] = Formula;
        foreach (var period in document["schedule"]!.AsArray())
        {
            var grades = period!["grades"]!.AsObject();
            grades[Formula] = grades["Au"]!.DeepClone();
            grades.Remove("Au");
        }

        var (id, _) = await analyst.CreateScenarioAsync(document.ToJsonString());
        var csv = await (await analyst.GetAsync($"/api/scenarios/{id}/cashflow?format=csv")).Content.ReadAsStringAsync();
        var header = csv[..csv.IndexOf("\r\n", StringComparison.Ordinal)];
        Assert.Contains("\"'=HYPERLINK(\"\"http://x.test\"\",\"\"y\"\")", header, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=", csv, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, string ifMatch, string? json = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = json is null ? null : TestApi.Json(json) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static string EntryJson(double cost, string? description = null) => JsonSerializer.Serialize(new
    {
        equipment = Truck,
        start = "2028-03-01T00:00:00Z",
        end = "2028-03-02T00:00:00Z",
        kind = "unplanned",
        cost,
        description,
    });

    private static StringContent Entry(double cost, string? description = null) => TestApi.Json(EntryJson(cost, description));

    /// <summary>A log entry written straight to the table, as one stored before the rules held; returns its id.</summary>
    private async Task<long> InsertCostAsync(long scenarioId, string costSql)
    {
        var options = app.Get<CalMinerDataOptions>();
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = options.Host, Port = options.Port, Username = options.User, Password = options.Password, Database = options.Database,
            SearchPath = options.Schema,
        };
        await using var source = NpgsqlDataSource.Create(connection.ConnectionString);
        await using var command = source.CreateCommand(
            "INSERT INTO maintenance_log (scenario_id, equipment_name, period, starts_at, ends_at, planned, cost) " +
            $"VALUES ({scenarioId}, '{Truck}', 1, '2028-05-01T00:00:00Z', '2028-05-02T00:00:00Z', false, {costSql}) RETURNING id");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
