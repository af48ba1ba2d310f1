using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CalMiner.Web.Tests.Infrastructure;

/// <summary>Small helpers for talking to the API and checking its answers.</summary>
internal static class TestApi
{
    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    public static string GoldJson() => File.ReadAllText(SamplePath("gold-open-pit.json"));

    /// <summary>The gold sample stretched to a hundred periods, its first production year repeated: a large run of it lasts seconds.</summary>
    public static string HundredPeriodGold()
    {
        var gold = System.Text.Json.Nodes.JsonNode.Parse(GoldJson())!.AsObject();
        var schedule = gold["schedule"]!.AsArray();
        var year = schedule[1]!;
        while (schedule.Count > 1)
        {
            schedule.RemoveAt(1);
        }

        for (var period = 1; period < 100; period++)
        {
            var row = year.DeepClone();
            row["period"] = period;
            schedule.Add(row);
        }

        gold["periods"] = 100;
        return gold.ToJsonString();
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Asserts the status, showing the body when it differs, and returns a JSON body parsed (default for any other body).</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        var json = response.Content.Headers.ContentType?.MediaType is "application/json" or "application/problem+json";
        return json && body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default;
    }

    /// <summary>Asserts an RFC 9457 problem with <paramref name="status"/>, and returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.ExpectAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>The JSON paths a validation problem lists under <c>errors</c>.</summary>
    public static IReadOnlyList<string> ErrorPaths(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];

    /// <summary>DELETE under If-Match, with the ETag a GET of the same path gives now (<c>"1"</c> when the GET finds nothing).</summary>
    public static async Task<HttpResponseMessage> DeleteCurrentAsync(this HttpClient client, string path)
    {
        var read = await client.GetAsync(path);
        var request = new HttpRequestMessage(HttpMethod.Delete, path);
        request.Headers.IfMatch.Add(read.Headers.ETag ?? new EntityTagHeaderValue("\"1\""));
        return await client.SendAsync(request);
    }

    public static async Task<(long Id, EntityTagHeaderValue ETag)> CreateScenarioAsync(this HttpClient client, string? json = null)
    {
        var response = await client.PostAsync("/api/scenarios", Json(json ?? GoldJson()));
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        return (body.GetProperty("id").GetInt64(), response.Headers.ETag!);
    }
}
