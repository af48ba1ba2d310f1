using CalMiner.Scenarios;

namespace CalMiner.Core.Tests.Scenarios;

public sealed class ScenarioValidationTests
{
    private static readonly ScenarioDocument Gold = ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json"));

    private static IReadOnlyList<string> Errors(ScenarioDocument document) => [.. document.Validate().Select(e => e.ToString())];

    private static ScenarioDocument WithParameter(string name, Parameter parameter) =>
        Gold with { Parameters = new Dictionary<string, Parameter>(Gold.Parameters) { [name] = parameter } };

    [Fact]
    public void Samples_AreValid()
    {
        foreach (var path in RepositoryFiles.Samples)
        {
            Assert.Empty(ScenarioDocument.Load(path).Validate());
        }
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce_WithThePathOfItsField()
    {
        var capital = Gold.Capital.ToList();
        capital[3] = capital[3] with { Period = 12 };
        var products = Gold.Products.ToList();
        products[0] = products[0] with { Price = Bindable.Of("gldPrice") };
        var broken = WithParameter("goldPrice", Gold.Parameters["goldPrice"] with
        {
            Distribution = new Distribution { Type = DistributionType.Normal, Mean = 2300, Sd = 0 },
        }) with { Capital = capital, Products = products, Currency = "usd" };

        var errors = Errors(broken);

        Assert.Equal(
            [
                "currency must be an ISO 4217 code of three capital letters, e.g. \"USD\"",
                "parameters.goldPrice.distribution.sd must be > 0",
                "products[0].price refers to unknown parameter \"gldPrice\"",
                "capital[3].period must be within 0..9",
            ],
            errors);
    }

    [Theory]
    [InlineData(0, "periods must be within 1..100")]
    [InlineData(101, "periods must be within 1..100")]
    public void Periods_MustBeWithinRange(int periods, string expected)
    {
        Assert.Contains(expected, Errors(Gold with { Periods = periods }));
    }

    [Fact]
    public void Text_MustNotHoldControlCharacters_ButMayHoldLineBreaks()
    {
        var products = Gold.Products.ToList();
        products[0] = products[0] with { Name = "Au\u0001" };
        var broken = WithParameter("nul\0key", Gold.Parameters["goldPrice"] with { Description = "spot\0price" }) with
        {
            Name = "Gold\0pit",
            Description = "line one\r\nline two\twith a tab",
            Products = products,
        };

        var errors = Errors(broken);

        Assert.Contains("name must not contain control characters (tab and line breaks excepted)", errors);
        Assert.Contains("products[0].name must not contain control characters (tab and line breaks excepted)", errors);
        Assert.Contains("parameters.nul\0key the name must not contain control characters", errors);
        Assert.Contains("parameters.nul\0key.description must not contain control characters (tab and line breaks excepted)", errors);
        Assert.DoesNotContain(errors, e => e.StartsWith("description", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_HasALengthLimit_LongerForDescriptions()
    {
        var products = Gold.Products.ToList();
        products[0] = products[0] with { Name = new string('A', 201) };
        var broken = WithParameter(new string('p', 201), Gold.Parameters["goldPrice"] with { Description = new string('d', 4_001) }) with
        {
            Name = new string('n', 201),
            Description = new string('d', 4_000),
            Products = products,
        };

        var errors = Errors(broken);

        Assert.Contains("name must have at most 200 characters, not 201", errors);
        Assert.Contains("products[0].name must have at most 200 characters, not 201", errors);
        Assert.Contains($"parameters.{new string('p', 201)} the name must have at most 200 characters, not 201", errors);
        Assert.Contains($"parameters.{new string('p', 201)}.description must have at most 4000 characters, not 4001", errors);
        Assert.DoesNotContain(errors, e => e.StartsWith("description", StringComparison.Ordinal));
    }

    [Fact]
    public void Lists_HaveASizeLimit()
    {
        var uniform = new Parameter(1) { Distribution = new Distribution { Type = DistributionType.Uniform, Min = 0.9, Max = 1.1 } };
        var parameters = new Dictionary<string, Parameter>(Gold.Parameters);
        for (var i = parameters.Count; i <= 1_000; i++)
        {
            parameters[$"extra{i}"] = uniform;
        }

        var royalties = Enumerable.Repeat(Gold.Royalties[0], 1_001).ToList();

        var errors = Errors(Gold with { Parameters = parameters, Royalties = royalties });

        Assert.Contains("parameters must have at most 1000 entries, not 1001", errors);
        Assert.Contains("royalties must have at most 1000 entries, not 1001", errors);
        Assert.Empty(Errors(Gold with { Parameters = parameters.Take(1_000).ToDictionary() }));
    }

    [Fact]
    public void EmpiricalValues_HaveASizeLimit()
    {
        var tooMany = new Distribution { Type = DistributionType.Empirical, Values = [.. Enumerable.Range(0, 100_001).Select(i => 2000 + i * 0.01)] };
        var enough = tooMany with { Values = [.. tooMany.Values!.Take(100_000)] };

        Assert.Contains(
            "parameters.goldPrice.distribution.values must list at most 100000 values, not 100001",
            Errors(WithParameter("goldPrice", Gold.Parameters["goldPrice"] with { Distribution = tooMany })));
        Assert.Empty(Errors(WithParameter("goldPrice", Gold.Parameters["goldPrice"] with { Distribution = enough })));
    }

    [Fact]
    public void SchemaVersion_MustBeTheCurrentOne()
    {
        Assert.Equal(["schemaVersion must be 1"], Errors(Gold with { SchemaVersion = 2 }));
    }

    [Fact]
    public void Products_NeedExactlyOnePrimaryAndUniqueNames()
    {
        var copy = Gold.Products[0] with { Primary = true };

        var errors = Errors(Gold with { Products = [Gold.Products[0], copy] });

        Assert.Contains("products[1].name \"Au\" is used by another product", errors);
        Assert.Contains("products must have exactly one primary product, not 2", errors);
    }

    [Fact]
    public void Fractions_MustBeWithinZeroAndOne()
    {
        var products = new[] { Gold.Products[0] with { Recovery = 1.2, Payability = -0.1 } };

        var errors = Errors(Gold with { Products = products, Tax = new Tax(1.5) });

        Assert.Contains("products[0].recovery must be within 0..1", errors);
        Assert.Contains("products[0].payability must be within 0..1", errors);
        Assert.Contains("tax.rate must be within 0..1", errors);
    }

    [Fact]
    public void BoundParameter_MustKeepItsFieldInRange()
    {
        var recovery = new Parameter(0.92, Distribution: new Distribution { Type = DistributionType.Normal, Mean = 0.92, Sd = 0.05 });

        var errors = Errors(WithParameter("auRecovery", recovery));

        Assert.Equal(["parameters.auRecovery.distribution can take values outside 0..1, which products[0].recovery requires; truncate it to 0..1"], errors);
    }

    [Fact]
    public void BoundParameter_ThatOnlyLeavesItsRangeWithNegligibleChance_IsAccepted()
    {
        // The gold sample's grade factor is normal(1, 0.07): below 0 only 14 sd away.
        Assert.Empty(Errors(Gold));
        var truncated = new Parameter(0.92, Distribution: new Distribution
        {
            Type = DistributionType.Normal, Mean = 0.92, Sd = 0.05, Truncate = new Truncation { Max = 1 },
        });
        Assert.Empty(Errors(WithParameter("auRecovery", truncated)));
    }

    [Fact]
    public void BaseValueOfABoundParameter_MustSuitTheField()
    {
        var errors = Errors(WithParameter("auRecovery", new Parameter(1.3)));

        Assert.Equal(["parameters.auRecovery.value must be within 0..1 because it feeds products[0].recovery"], errors);
    }

    [Fact]
    public void Schedule_RowsMustBeUniqueInRangeAndNameKnownProducts()
    {
        var schedule = Gold.Schedule.ToList();
        schedule[2] = schedule[2] with { Period = 1 };
        schedule[3] = schedule[3] with { Period = 10, OreMined = -5, Grades = new Dictionary<string, double> { ["Cu"] = 1 } };

        var errors = Errors(Gold with { Schedule = schedule });

        Assert.Equal(
            [
                "schedule[2].period 1 is scheduled more than once",
                "schedule[3].period must be within 0..9",
                "schedule[3].oreMined must be within 0..1000000000000000",
                "schedule[3].grades.Cu refers to unknown product \"Cu\"",
            ],
            errors);
    }

    [Fact]
    public void PercentGrades_CannotExceedAHundred()
    {
        var products = new[] { Gold.Products[0] with { GradeUnit = GradeUnit.Percent } };
        var schedule = Gold.Schedule.ToList();
        schedule[1] = schedule[1] with { Grades = new Dictionary<string, double> { ["Au"] = 120 } };

        Assert.Equal(["schedule[1].grades.Au must be within 0..100"], Errors(Gold with { Products = products, Schedule = schedule }));
    }

    [Fact]
    public void Equipment_IsChecked()
    {
        var fleet = Gold.Equipment[0] with { Count = 0, Availability = 1.1, LifeHours = 0, PurchasePeriod = -1, DepreciationYears = 0 };

        var errors = Errors(Gold with { Equipment = [fleet, Gold.Equipment[1] with { Name = fleet.Name }] });

        Assert.Equal(
            [
                "equipment[0].count must be within 1..10000",
                "equipment[0].purchasePeriod must be within 0..9",
                "equipment[0].availability must be within 0..1",
                "equipment[0].lifeHours must be > 0",
                "equipment[0].depreciationYears must be within 1..100",
                "equipment[1].name \"Haul truck 220 t\" is used by another fleet",
            ],
            errors);
    }

    [Fact]
    public void Correlations_MustPairTwoDifferentUncertainParametersOnce()
    {
        Correlation[] correlations =
        [
            new("goldPrice", "goldPrice", 0.5),
            new("goldPrice", "nothing", 0.5),
            new("miningCost", "dieselPrice", 1.5),
            new("dieselPrice", "miningCost", 0.2),
            new("dieselPrice", "miningCost", 0.3),
        ];

        var errors = Errors(WithParameter("fixedRate", new Parameter(0.1)) with { Correlations = [.. correlations, new("fixedRate", "goldPrice", 0.1)] });

        Assert.Equal(
            [
                "correlations[0].b must differ from a: a parameter is always fully correlated with itself",
                "correlations[1].b refers to unknown parameter \"nothing\"",
                "correlations[2].rank must be within -1..1",
                "correlations[3] correlates \"dieselPrice\" and \"miningCost\" a second time",
                "correlations[4] correlates \"dieselPrice\" and \"miningCost\" a second time",
                "correlations[5].a refers to \"fixedRate\", which has no distribution to correlate",
            ],
            errors);
    }

    [Fact]
    public void ParameterNames_MustBeIdentifiers()
    {
        Assert.Equal(
            ["parameters.gold price is not a valid parameter name: use letters, digits and underscores, starting with a letter"],
            Errors(WithParameter("gold price", new Parameter(1))));
    }

    [Fact]
    public void Simulation_SettingsAreChecked()
    {
        var simulation = new SimulationSettings(0, 7, SamplingMethod.MonteCarlo, new ConvergenceRule("npv.mean", 0, 1.5, 0));

        Assert.Equal(
            [
                "simulation.iterations must be within 1..100000000",
                "simulation.convergence.metric must be an output and a statistic such as \"npvAfterTax.mean\" or \"npvAfterTax.p10\", not \"npv.mean\"",
                "simulation.convergence.relativeTolerance must be > 0",
                "simulation.convergence.confidence must be within (0, 1), e.g. 0.95",
                "simulation.convergence.maxIterations must be within 1..100000000",
            ],
            Errors(Gold with { Simulation = simulation }));
    }

    public static TheoryData<Distribution, string> InvalidDistributions() => new()
    {
        { new Distribution { Type = DistributionType.Normal, Mean = 1 }, "x.distribution.sd is required by a normal distribution" },
        { new Distribution { Type = DistributionType.Normal, Mean = 1, Sd = -1 }, "x.distribution.sd must be > 0" },
        { new Distribution { Type = DistributionType.Normal, P10 = 1 }, "x.distribution must give its mean and sd, or exactly two of p10, p50 and p90 (not 1)" },
        { new Distribution { Type = DistributionType.Normal, P10 = 2, P90 = 1 }, "x.distribution.p90 must be > p10" },
        { new Distribution { Type = DistributionType.Lognormal, Mean = -1, Sd = 1 }, "x.distribution.mean must be > 0: a lognormal variable is positive" },
        { new Distribution { Type = DistributionType.Lognormal, P10 = -1, P90 = 1 }, "x.distribution.p10 must be > 0: a lognormal variable is positive" },
        { new Distribution { Type = DistributionType.Uniform, Min = 2, Max = 1 }, "x.distribution.max must be > min" },
        { new Distribution { Type = DistributionType.Triangular, Min = 1, Mode = 3, Max = 2 }, "x.distribution.mode must be within min..max" },
        { new Distribution { Type = DistributionType.Triangular, P10 = 1, Mode = 0.5, P90 = 2 }, "x.distribution.mode must be within p10..p90" },
        { new Distribution { Type = DistributionType.Pert, Min = 1, Mode = 1.5, Max = 2, Lambda = 0 }, "x.distribution.lambda must be > 0" },
        { new Distribution { Type = DistributionType.Uniform, Min = 1, Max = 2, Sd = 3 }, "x.distribution.sd is not used by a uniform distribution" },
        { new Distribution { Type = DistributionType.Discrete, Values = [1, 2] }, "x.distribution.weights is required" },
        { new Distribution { Type = DistributionType.Discrete, Values = [1, 2], Weights = [1] }, "x.distribution.weights must have one weight per value (2), not 1" },
        { new Distribution { Type = DistributionType.Discrete, Values = [1, 2], Weights = [1, 0] }, "x.distribution.weights[1] must be > 0" },
        { new Distribution { Type = DistributionType.Empirical, Values = [] }, "x.distribution.values must list at least one value" },
        { new Distribution { Type = DistributionType.Empirical, Values = [1, 2], Truncate = new Truncation { Min = 0 } }, "x.distribution.truncate is not used by an empirical distribution" },
        { new Distribution { Type = DistributionType.Constant }, "x.distribution.value is required by a constant" },
        { new Distribution { Type = DistributionType.Uniform, Min = 0, Max = 1, Truncate = new Truncation { Min = 2, Max = 3 } }, "x.distribution.truncate leaves no probability mass: the bounds exclude the whole distribution" },
        { new Distribution { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new Truncation { Min = 40 } }, "x.distribution.truncate leaves no probability mass: the bounds exclude the whole distribution" },
        { new Distribution { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new Truncation { Min = 1, Max = 0 } }, "x.distribution.truncate.max must be > truncate.min" },
        { new Distribution { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new Truncation() }, "x.distribution.truncate must give min, max or both" },
        { new Distribution { Type = DistributionType.Normal, Mean = double.NaN, Sd = 1 }, "x.distribution.mean must be a finite number" },
    };

    [Theory]
    [MemberData(nameof(InvalidDistributions))]
    public void InvalidDistribution_IsRejectedNamingTheField(Distribution distribution, string expected)
    {
        var errors = Errors(WithParameter("x", new Parameter(1, Distribution: distribution)));

        Assert.Contains($"parameters.{expected}", errors);
    }

    public static TheoryData<Distribution> ValidDistributions() =>
    [
        new Distribution { Type = DistributionType.Constant, Value = 3 },
        new Distribution { Type = DistributionType.Normal, P10 = 1, P90 = 2 },
        new Distribution { Type = DistributionType.Lognormal, P50 = 1, P90 = 2 },
        new Distribution { Type = DistributionType.Triangular, P10 = 0.86, Mode = 0.92, P90 = 0.94 },
        new Distribution { Type = DistributionType.Pert, Min = 1, Mode = 2, Max = 5, Lambda = 3, Truncate = new Truncation { Max = 4 } },
        new Distribution { Type = DistributionType.Discrete, Values = [1, 2, 3], Weights = [0.2, 0.5, 0.3] },
        new Distribution { Type = DistributionType.Empirical, Values = [1, 2, 2, 3] },
    ];

    [Theory]
    [MemberData(nameof(ValidDistributions))]
    public void ValidDistribution_IsAccepted(Distribution distribution)
    {
        Assert.Empty(Errors(WithParameter("x", new Parameter(1, Distribution: distribution))));
    }
}
