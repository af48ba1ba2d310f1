using CalMiner.Scenarios;

namespace CalMiner.Benchmarks;

/// <summary>The scenarios the benchmarks run: the project's samples and larger synthetic ones built from them.</summary>
public static class BenchmarkScenarios
{
    public static ScenarioDocument Gold() => ScenarioDocument.Load(SamplePath("gold-open-pit.json"));

    /// <summary>The gold sample stretched to <paramref name="periods"/> periods: construction, production with a declining grade, closure.</summary>
    public static ScenarioDocument LongGold(int periods)
    {
        var gold = Gold();
        var schedule = new List<SchedulePeriod> { gold.Schedule[0] };
        for (var t = 1; t < periods - 1; t++)
        {
            schedule.Add(gold.Schedule[1] with { Period = t, Grades = new Dictionary<string, double> { ["Au"] = 1.6 - 0.01 * t } });
        }

        var capital = gold.Capital
            .Where(c => c.Category == CapitalCategory.Initial)
            .Concat(Enumerable.Range(2, periods - 3).Select(t => new CapitalItem($"Sustaining Y{t}", CapitalCategory.Sustaining, t, 10_000_000, DepreciationYears: 5)))
            .Append(new CapitalItem("Closure", CapitalCategory.Closure, periods - 1, 35_000_000))
            .ToList();
        return gold with { Name = $"Gold open pit, {periods} periods", Periods = periods, Schedule = schedule, Capital = capital };
    }

    /// <summary>A 30-period gold mine with 15 uncertain inputs: the gold sample's 7 and 8 more bound to costs, factors and rates.</summary>
    public static ScenarioDocument Synthetic30By15()
    {
        var gold = LongGold(30);
        Parameter Uniform(double value, double spread) =>
            new(value, Distribution: new Distribution { Type = DistributionType.Uniform, Min = value * (1 - spread), Max = value * (1 + spread) });
        var parameters = new Dictionary<string, Parameter>(gold.Parameters)
        {
            ["powerPrice"] = Uniform(0.09, 0.2),
            ["cyanidePrice"] = Uniform(3.2, 0.15),
            ["generalAndAdmin"] = Uniform(15_000_000, 0.1),
            ["throughputFactor"] = Uniform(1, 0.05),
            ["operatingCostFactor"] = Uniform(1, 0.08),
            ["sustainingFactor"] = Uniform(1, 0.2),
            ["royaltyRate"] = Uniform(0.03, 0.3),
            ["sellingCost"] = Uniform(8, 0.25),
        };
        var consumables = gold.Consumables.ToList();
        consumables[1] = consumables[1] with { UnitPrice = Bindable.Of("powerPrice") };
        consumables[2] = consumables[2] with { UnitPrice = Bindable.Of("cyanidePrice") };
        return gold with
        {
            Name = "Synthetic gold, 30 periods, 15 uncertain inputs",
            Parameters = parameters,
            Consumables = consumables,
            Products = [gold.Products[0] with { SellingCostPerUnit = Bindable.Of("sellingCost") }],
            OperatingCosts = gold.OperatingCosts with { GeneralAndAdminPerPeriod = Bindable.Of("generalAndAdmin") },
            Factors = gold.Factors with
            {
                Throughput = Bindable.Of("throughputFactor"),
                OperatingCost = Bindable.Of("operatingCostFactor"),
                SustainingCapital = Bindable.Of("sustainingFactor"),
            },
            Royalties = [gold.Royalties[0] with { Rate = Bindable.Of("royaltyRate") }],
        };
    }

    private static string SamplePath(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "samples", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"No samples/{name} above {AppContext.BaseDirectory}.");
    }
}
