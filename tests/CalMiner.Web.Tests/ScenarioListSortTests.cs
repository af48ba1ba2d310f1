using System.Net;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class ScenarioListSortTests(CalMinerWebApp app)
{
    [Fact]
    public async Task List_SortsByNameOrByLastSaveEitherWay_AndNamesABadSort()
    {
        using var client = await app.ClientAsync(UserRole.Analyst);
        var marker = Guid.NewGuid().ToString("N")[..10];
        var ids = new List<long>();
        foreach (var name in new[] { "b", "c", "a" })
        {
            var document = System.Text.Json.Nodes.JsonNode.Parse(TestApi.GoldJson())!;
            document["name"] = $"{marker} {name}";
            ids.Add((await client.CreateScenarioAsync(document.ToJsonString())).Id);
        }

        async Task<string[]> NamesAsync(string sort)
        {
            var page = await (await client.GetAsync($"/api/scenarios?search={marker}&sort={Uri.EscapeDataString(sort)}")).ExpectAsync(HttpStatusCode.OK);
            return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()![^1..])];
        }

        Assert.Equal(["a", "b", "c"], await NamesAsync("name"));
        Assert.Equal(["c", "b", "a"], await NamesAsync("-name"));
        Assert.Equal(["b", "c", "a"], await NamesAsync("updatedAt"));
        Assert.Equal(["a", "c", "b"], await NamesAsync("-updatedAt"));

        var problem = await (await client.GetAsync("/api/scenarios?sort=size")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["sort"], problem.ErrorPaths());
    }
}
