using System.Net;
using System.Net.Http.Json;
using CalMiner.Data;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>An app whose runs may use little memory, so that a run over the budget is easy to ask for.</summary>
public sealed class SmallMemoryApp : IAsyncLifetime
{
    public const long Budget = 120L << 20;

    public CalMinerWebApp App { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CalMiner:SimulationMemoryBytes"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>A run whose estimated memory is over the budget is refused before it starts, with what to change.</summary>
public sealed class SimulationMemoryTests(SmallMemoryApp small) : IClassFixture<SmallMemoryApp>
{
    [Fact]
    public async Task Run_Gets422NamingTheEstimateTheBudgetAndWhatFits_OverTheMemoryBudget()
    {
        using var analyst = await small.App.ClientAsync(UserRole.Analyst);
        var (id, _) = await analyst.CreateScenarioAsync();

        var refused = await (await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = 2_000_000 }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var detail = refused.GetProperty("detail").GetString()!;
        Assert.Contains("2000000 iterations would need about", detail, StringComparison.Ordinal);
        Assert.Contains("one run may use 120 MiB here", detail, StringComparison.Ordinal);
        Assert.Contains("CalMiner:SimulationMemoryBytes", detail, StringComparison.Ordinal);
        Assert.True(refused.GetProperty("errors").TryGetProperty("iterations", out _));
        var fits = int.Parse(System.Text.RegularExpressions.Regex.Match(detail, "at most ([0-9]+) iterations").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(fits, 1_000, 1_999_999);

        // Nothing was queued, and the number the message gives does run.
        var list = await (await analyst.GetAsync($"/api/scenarios/{id}/simulations")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetArrayLength());
        var accepted = await analyst.PostAsJsonAsync("/api/simulations/run", new { scenarioId = id, iterations = fits });
        Assert.Contains(accepted.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Accepted });
    }
}
