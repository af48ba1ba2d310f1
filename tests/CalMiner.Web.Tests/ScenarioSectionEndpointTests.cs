using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class ScenarioSectionEndpointTests(CalMinerWebApp app)
{
    public static TheoryData<string, string> Sections => new()
    {
        { "parameters", "parameters" },
        { "products", "products" },
        { "schedule", "schedule" },
        { "costs", "operatingCosts" },
        { "consumables", "consumables" },
        { "equipment", "equipment" },
        { "capital", "capital" },
        { "royalties", "royalties" },
        { "tax", "tax" },
        { "working-capital", "workingCapital" },
        { "correlations", "correlations" },
        { "factors", "factors" },
        { "simulation", "simulation" },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task Section_ReadsAsInTheDocument_AndWritesBackUnchanged(string route, string field)
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();

        var response = await client.GetAsync($"/api/scenarios/{id}/{route}");
        var section = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(etag, response.Headers.ETag);
        // As Core writes the document: defaults filled in.
        var expected = JsonNode.Parse(ScenarioDocument.Parse(TestApi.GoldJson()).ToJson())![field]!;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(section.GetRawText())), $"{route}: {section.GetRawText()}");

        var put = await PutAsync(client, id, route, section.GetRawText(), etag);
        var written = await put.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("\"2\"", put.Headers.ETag?.Tag);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(written.GetRawText())));
    }

    [Fact]
    public async Task ChangedSection_IsSavedInTheDocumentAsANewVersion()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();

        var products = JsonNode.Parse(TestApi.GoldJson())!["products"]!;
        products[0]!["price"] = 2500.0;
        var put = await PutAsync(client, id, "products", products.ToJsonString(), etag);
        var written = await put.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2500.0, written[0].GetProperty("price").GetDouble());

        var current = await (await client.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        var document = ScenarioDocument.Parse(current.GetProperty("document").GetRawText());
        var gold = ScenarioDocument.Parse(TestApi.GoldJson());
        Assert.Equal((Bindable)2500.0, document.Products[0].Price);
        Assert.Equal(gold with { Products = document.Products }, document);

        var versions = await (await client.GetAsync($"/api/scenarios/{id}/versions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(versions[0].GetProperty("changedPaths").EnumerateArray(), p => p.GetString()!.StartsWith("products[0].price", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Section_Is422NamingPathsInsideIt_WhenItBreaksTheRules()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();
        var products = JsonNode.Parse(TestApi.GoldJson())!["products"]!;
        products[0]!["payability"] = 1.5;

        var problem = await (await PutAsync(client, id, "products", products.ToJsonString(), etag)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(problem.ErrorPaths(), p => p.StartsWith("products[0].payability", StringComparison.Ordinal));
        var current = await (await client.GetAsync($"/api/scenarios/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, current.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Section_Is400NamingThePath_ForAnUnknownFieldOrAWrongType()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();

        var unknown = await (await PutAsync(client, id, "tax", "{\"rate\": 0.3, \"holiday\": 2}", etag)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(unknown.ErrorPaths(), p => p == "tax.holiday");

        var wrongType = await (await PutAsync(client, id, "working-capital", "{\"receivableDays\": \"thirty\"}", etag)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(wrongType.ErrorPaths(), p => p.StartsWith("workingCapital.receivableDays", StringComparison.Ordinal));

        // A body may not reach past its section into the rest of the document.
        var smuggled = await (await PutAsync(client, id, "tax", "{\"rate\": 0.3}, \"name\": \"other\"", etag)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["tax"], smuggled.ErrorPaths());
    }

    [Fact]
    public async Task SectionWrites_NeedIfMatchAndACurrentVersion()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await client.CreateScenarioAsync();
        const string Tax = "{\"rate\": 0.25}";

        await (await client.PutAsync($"/api/scenarios/{id}/tax", TestApi.Json(Tax))).ExpectProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await PutAsync(client, id, "tax", Tax, etag)).ExpectAsync(HttpStatusCode.OK);
        var stale = await (await PutAsync(client, id, "tax", "{\"rate\": 0.2}", etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, stale.GetProperty("currentVersion").GetInt32());
        var tax = await (await client.GetAsync($"/api/scenarios/{id}/tax")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0.25, tax.GetProperty("rate").GetDouble());
    }

    [Fact]
    public async Task Sections_Are404ForAMissingScenario_AndViewersMayReadButNotWrite()
    {
        using var analyst = await app.ClientAsync(UserRole.Analyst);
        var (id, etag) = await analyst.CreateScenarioAsync();
        await (await analyst.GetAsync("/api/scenarios/999999999/products")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await PutAsync(analyst, 999999999, "tax", "{\"rate\": 0.2}", etag)).ExpectProblemAsync(HttpStatusCode.NotFound);

        using var viewer = await app.ClientAsync(UserRole.Viewer);
        await (await viewer.GetAsync($"/api/scenarios/{id}/schedule")).ExpectAsync(HttpStatusCode.OK);
        var forbidden = await PutAsync(viewer, id, "tax", "{\"rate\": 0.2}", etag);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, long id, string route, string json, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/scenarios/{id}/{route}") { Content = TestApi.Json(json) };
        request.Headers.IfMatch.Add(etag);
        return client.SendAsync(request);
    }
}
