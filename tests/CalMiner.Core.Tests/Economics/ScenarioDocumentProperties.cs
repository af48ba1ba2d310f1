using System.Text.Json.Nodes;
using CalMiner.Economics;
using CalMiner.Scenarios;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CalMiner.Core.Tests.Economics;

/// <summary>One or more changes that each break one rule of the format, applied to a valid scenario.</summary>
public sealed record BrokenScenario(ScenarioDocument Document, string[] Changes)
{
    /// <inheritdoc />
    public override string ToString() => string.Join("; ", Changes);
}

/// <summary>A scenario with one unusual change (extreme magnitudes, nulls the validator treats as empty, no production).</summary>
public sealed record OddScenario(BrokenScenario Scenario)
{
    /// <inheritdoc />
    public override string ToString() => Scenario.ToString();
}

/// <summary>A scenario's JSON text after random edits, which may or may not leave it valid.</summary>
public sealed record EditedJson(string Json, string[] Edits)
{
    /// <inheritdoc />
    public override string ToString() => string.Join("; ", Edits) + Environment.NewLine + Json;
}

/// <summary>Arbitraries of broken scenarios and edited scenario JSON.</summary>
public static class MutationArbitraries
{
    /// <summary>Valid generated scenarios with 1..3 rule-breaking changes.</summary>
    public static Arbitrary<BrokenScenario> Broken() => Arb.From(
        from scenario in ScenarioGen.Scenario
        from count in Gen.Choose(1, 3)
        from picks in Gen.CollectToArray(Enumerable.Range(0, count), _ => Gen.Choose(0, Mutations.Breaks.Length - 1))
        from salts in Gen.CollectToArray(Enumerable.Range(0, count), _ => Gen.Choose(0, 1000))
        select Mutations.Apply(scenario, picks, salts));

    /// <summary>Valid generated scenarios with one unusual change that may or may not be valid.</summary>
    public static Arbitrary<OddScenario> Odd() => Arb.From(
        from scenario in ScenarioGen.Scenario
        from pick in Gen.Choose(0, Mutations.Oddities.Length - 1)
        from salt in Gen.Choose(0, 1000)
        select new OddScenario(Mutations.Odd(scenario, pick, salt)));

    /// <summary>The gold example or a generated scenario as JSON, with 1..3 random edits of its nodes or text.</summary>
    public static Arbitrary<EditedJson> Edited() => Arb.From(
        from useGold in Gen.Choose(0, 1)
        from scenario in ScenarioGen.Scenario
        from count in Gen.Choose(1, 3)
        from edits in Gen.CollectToArray(Enumerable.Range(0, count), _ => Gen.Three(Gen.Choose(0, int.MaxValue - 1)))
        select Mutations.Edit(useGold == 1 ? GoldOpenPit.Json : scenario.ToJson(), edits));
}

/// <summary>Changes that break scenarios.</summary>
internal static class Mutations
{
    // Out of range for any field that must be a finite number >= 0.
    private static readonly double[] BadNumbers = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, -1e-9, double.MinValue];

    private static double Bad(int salt) => BadNumbers[salt % BadNumbers.Length];

    // Out of range for a fraction in 0..1.
    private static double BadFraction(int salt) => (salt % 4) switch { 0 => 1.5, 1 => 1e300, _ => Bad(salt / 4) };

    // Changes one item (chosen by the salt) of a list, or adds a changed default item to an empty list.
    private static T[] Change<T>(IReadOnlyList<T> items, int salt, Func<T, T> change, T whenEmpty)
    {
        if (items is null || items.Count == 0)
        {
            return [change(whenEmpty)];
        }

        var copy = items.ToArray();
        var i = salt % copy.Length;
        copy[i] = change(copy[i]);
        return copy;
    }

    private static readonly Consumable AConsumable = new Consumable(Name: "X", Driver: ConsumableDriver.TonneMined, RatePerDriver: 1.0, UnitPrice: 1.0);
    private static readonly Equipment AFleet = new Equipment(Name: "X", Count: 1, UnitCost: 1, PurchasePeriod: 0, OperatingCostPerHour: 1.0, Availability: 1, Utilisation: 1, LifeHours: 1);
    private static readonly CapitalItem AnItem = new CapitalItem(Name: "X", Category: CapitalCategory.Initial, Period: 0, Amount: 1.0);
    private static readonly Royalty ARoyalty = new Royalty(Name: "X", Rate: 0.01);

    /// <summary>Each entry breaks one rule; the salt picks the item and the bad value.</summary>
    public static readonly (string Name, Func<ScenarioDocument, int, ScenarioDocument> Break)[] Breaks =
    [
        ("schemaVersion", (d, s) => d with { SchemaVersion = s % 2 == 0 ? 0 : 2 }),
        ("name", (d, s) => d with { Name = s % 2 == 0 ? "" : null! }),
        ("currency", (d, s) => d with { Currency = s % 3 == 0 ? "usd" : s % 3 == 1 ? "DOLLAR" : null! }),
        ("startYear", (d, s) => d with { StartYear = s % 2 == 0 ? -5 : 99_999 }),
        ("periods", (d, s) => d with { Periods = s % 3 == 0 ? 0 : s % 3 == 1 ? -1 : 101 }),
        ("discountRate", (d, s) => d with { DiscountRate = BadFraction(s) }),
        ("discounting", (d, _) => d with { Discounting = (Discounting)7 }),
        ("products empty", (d, s) => d with { Products = s % 2 == 0 ? [] : null! }),
        ("product null", (d, s) => d with { Products = Change(d.Products, s, _ => null!, null!) }),
        ("product name", (d, s) => d with { Products = Change(d.Products, s, p => p with { Name = s % 2 == 0 ? " " : null! }, null!) }),
        ("product recovery", (d, s) => d with { Products = Change(d.Products, s, p => p with { Recovery = BadFraction(s) }, null!) }),
        ("product payability", (d, s) => d with { Products = Change(d.Products, s, p => p with { Payability = BadFraction(s) }, null!) }),
        ("product price", (d, s) => d with { Products = Change(d.Products, s, p => p with { Price = Bad(s) }, null!) }),
        ("product selling cost", (d, s) => d with { Products = Change(d.Products, s, p => p with { SellingCostPerUnit = Bad(s) }, null!) }),
        ("product units", (d, s) => d with { Products = Change(d.Products, s, p => s % 2 == 0 ? p with { GradeUnit = (GradeUnit)9 } : p with { PayableUnit = (PayableUnit)9 }, null!) }),
        ("price of unknown parameter", (d, s) => d with { Products = Change(d.Products, s, p => p with { Price = Bindable.Of("noSuchParameter") }, null!) }),
        ("no primary", (d, _) => d with { Products = d.Products.Select(p => p with { Primary = false }).ToArray() }),
        ("two primaries", (d, _) => d with { Products = [.. d.Products.Select(p => p with { Primary = true }), d.Products[0] with { Name = "Twin", Primary = true }] }),
        ("duplicate product", (d, _) => d with { Products = [.. d.Products, d.Products[0] with { Primary = false }] }),
        ("schedule empty", (d, s) => d with { Schedule = s % 2 == 0 ? [] : null! }),
        ("schedule row null", (d, s) => d with { Schedule = Change(d.Schedule, s, _ => null!, null!) }),
        ("schedule period", (d, s) => d with { Schedule = Change(d.Schedule, s, r => r with { Period = s % 2 == 0 ? -1 : d.Periods }, null!) }),
        ("schedule period twice", (d, _) => d with { Schedule = [.. d.Schedule, d.Schedule[0]] }),
        ("ore mined", (d, s) => d with { Schedule = Change(d.Schedule, s, r => r with { OreMined = Bad(s) }, null!) }),
        ("waste mined", (d, s) => d with { Schedule = Change(d.Schedule, s, r => r with { WasteMined = Bad(s) }, null!) }),
        ("ore processed", (d, s) => d with { Schedule = Change(d.Schedule, s, r => r with { OreProcessed = Bad(s) }, null!) }),
        ("grade", (d, s) => d with { Schedule = Change(d.Schedule, s, r => r with { Grades = new Dictionary<string, double> { [d.Products[0].Name] = s % 2 == 0 ? Bad(s) : 2e6 } }, null!) }),
        ("grade of unknown product", (d, s) => d with { Schedule = Change(d.Schedule, s, r => r with { Grades = new Dictionary<string, double> { ["Unobtainium"] = 1 } }, null!) }),
        ("operating costs", (d, s) => d with
        {
            OperatingCosts = (s % 5) switch
            {
                0 => d.OperatingCosts with { MiningPerTonne = Bad(s / 5) },
                1 => d.OperatingCosts with { ProcessingPerTonne = Bad(s / 5) },
                2 => d.OperatingCosts with { GeneralAndAdminPerPeriod = Bad(s / 5) },
                3 => d.OperatingCosts with { CarbonPricePerTonne = Bad(s / 5) },
                _ => null!,
            },
        }),
        ("consumable", (d, s) => d with
        {
            Consumables = Change(d.Consumables, s, c => (s % 5) switch
            {
                0 => c with { RatePerDriver = Bad(s / 5) },
                1 => c with { UnitPrice = Bad(s / 5) },
                2 => c with { Co2eKgPerUnit = Bad(s / 5) },
                3 => c with { Driver = (ConsumableDriver)9 },
                _ => c with { Name = "" },
            }, AConsumable),
        }),
        ("consumable null", (d, _) => d with { Consumables = [.. d.Consumables, null!] }),
        ("equipment", (d, s) => d with
        {
            Equipment = Change(d.Equipment, s, e => (s % 10) switch
            {
                0 => e with { Count = s % 20 == 0 ? 0 : -3 },
                1 => e with { UnitCost = Bad(s / 10) },
                2 => e with { PurchasePeriod = s % 20 == 2 ? -1 : d.Periods },
                3 => e with { OperatingCostPerHour = Bad(s / 10) },
                4 => e with { Availability = BadFraction(s / 10) },
                5 => e with { Utilisation = BadFraction(s / 10) },
                6 => e with { LifeHours = s % 20 == 6 ? 0 : Bad(s / 10) },
                7 => e with { DepreciationYears = s % 20 == 7 ? 0 : -1 },
                8 => e with { CapacityTonnesPerHour = s % 20 == 8 ? 0 : double.NaN },
                _ => e with { Name = null! },
            }, AFleet),
        }),
        ("fleet null", (d, _) => d with { Equipment = [.. d.Equipment, null!] }),
        ("capital", (d, s) => d with
        {
            Capital = Change(d.Capital, s, c => (s % 6) switch
            {
                0 => c with { Period = s % 12 == 0 ? -1 : d.Periods },
                1 => c with { Amount = Bad(s / 6) },
                2 => c with { Contingency = Bad(s / 6) },
                3 => c with { DepreciationYears = 0 },
                4 => c with { Category = (CapitalCategory)9 },
                _ => c with { Name = "" },
            }, AnItem),
        }),
        ("capital item null", (d, _) => d with { Capital = [.. d.Capital, null!] }),
        ("royalty", (d, s) => d with
        {
            Royalties = Change(d.Royalties, s, r => (s % 3) switch
            {
                0 => r with { Rate = BadFraction(s / 3) },
                1 => r with { Basis = (RoyaltyBasis)9 },
                _ => r with { Name = null! },
            }, ARoyalty),
        }),
        ("royalty null", (d, _) => d with { Royalties = [.. d.Royalties, null!] }),
        ("tax", (d, s) => d with { Tax = s % 3 == 0 ? null! : d.Tax with { Rate = BadFraction(s) } }),
        ("working capital", (d, s) => d with
        {
            WorkingCapital = (s % 3) switch
            {
                0 => null!,
                1 => d.WorkingCapital with { ReceivableDays = s % 2 == 0 ? 366 : Bad(s) },
                _ => d.WorkingCapital with { PayableDays = s % 2 == 0 ? -1 : Bad(s) },
            },
        }),
        ("factors", (d, s) => d with
        {
            Factors = (s % 6) switch
            {
                0 => null!,
                1 => d.Factors with { Grade = Bad(s) },
                2 => d.Factors with { Throughput = Bad(s) },
                3 => d.Factors with { OperatingCost = Bindable.Of("noSuchFactor") },
                4 => d.Factors with { InitialCapital = Bad(s) },
                _ => d.Factors with { SustainingCapital = Bad(s) },
            },
        }),
        ("parameter value", (d, s) => d with
        {
            Factors = d.Factors with { Grade = Bindable.Of("gradeFactor") },
            Parameters = new Dictionary<string, Parameter> { ["gradeFactor"] = new Parameter(Value: s % 2 == 0 ? double.NaN : -2) },
        }),
        ("parameter distribution", (d, s) => d with
        {
            Factors = d.Factors with { Grade = Bindable.Of("gradeFactor") },
            Parameters = new Dictionary<string, Parameter>
            {
                ["gradeFactor"] = new Parameter(
                    Value: 1,
                    Distribution: (s % 4) switch
                    {
                        0 => new Distribution { Type = DistributionType.Normal, Mean = 1, Sd = -0.1, Truncate = new Truncation { Min = 0 } },
                        1 => new Distribution { Type = DistributionType.Triangular, Min = 1.2, Mode = 1, Max = 0.8 },
                        2 => new Distribution { Type = DistributionType.Uniform, Min = -1, Max = 2 },
                        _ => new Distribution { Type = DistributionType.Discrete, Values = [1, 2], Weights = [1, -1] },
                    }),
            },
        }),
        ("parameter name", (d, _) => d with { Parameters = new Dictionary<string, Parameter> { ["1 bad name"] = new Parameter(Value: 1) } }),
        ("correlation", (d, s) => d with { Correlations = [new Correlation(A: "noSuchParameter", B: s % 2 == 0 ? "other" : null!, Rank: s % 3 == 0 ? 2 : 0.5)] }),
        ("correlation null", (d, _) => d with { Correlations = [null!] }),
        ("simulation", (d, s) => d with
        {
            Simulation = (s % 4) switch
            {
                0 => null!,
                1 => d.Simulation with { Iterations = 0 },
                2 => d.Simulation with { Sampling = (SamplingMethod)9 },
                _ => d.Simulation with { Convergence = new ConvergenceRule(Metric: "nonsense", RelativeTolerance: -1, Confidence: 1.5) },
            },
        }),
    ];

    /// <summary>
    /// Unusual but not necessarily invalid documents: nulls where the validator treats them as empty, extreme magnitudes,
    /// no operating period at all. Each must evaluate or be rejected, never crash or hang.
    /// </summary>
    public static readonly (string Name, Func<ScenarioDocument, int, ScenarioDocument> Change)[] Oddities =
    [
        ("consumables null", (d, _) => d with { Consumables = null! }),
        ("equipment null", (d, _) => d with { Equipment = null! }),
        ("capital null", (d, _) => d with { Capital = null! }),
        ("royalties null", (d, _) => d with { Royalties = null! }),
        ("correlations null", (d, _) => d with { Correlations = null! }),
        ("parameters null", (d, _) => d with { Parameters = null! }),
        ("grades null", (d, s) => d with { Schedule = Change(d.Schedule, s, r => r with { Grades = null! }, null!) }),
        ("huge price", (d, s) => d with { Products = Change(d.Products, s, p => p with { Price = 1e300 }, null!) }),
        ("huge selling cost", (d, s) => d with { Products = Change(d.Products, s, p => p with { SellingCostPerUnit = 1e300 }, null!) }),
        ("huge tonnes", (d, s) => d with { Schedule = Change(d.Schedule, s, r => r with { OreProcessed = 1e300, OreMined = 1e300, WasteMined = double.MaxValue }, null!) }),
        ("huge capital", (d, s) => d with { Capital = Change(d.Capital, s, c => c with { Amount = 1e300, Contingency = 1e10 }, AnItem) }),
        ("huge costs", (d, _) => d with { OperatingCosts = new OperatingCosts(MiningPerTonne: 1e300, ProcessingPerTonne: double.MaxValue, GeneralAndAdminPerPeriod: 1e300) }),
        ("huge factors", (d, _) => d with { Factors = new Factors(Grade: 1e300, Throughput: 1e300, OperatingCost: 1e300, InitialCapital: 1e300, SustainingCapital: 1e300) }),
        ("tiny life", (d, s) => d with { Equipment = Change(d.Equipment, s, e => e with { LifeHours = double.Epsilon, Count = 10_000 }, AFleet) }),
        ("huge life", (d, s) => d with { Equipment = Change(d.Equipment, s, e => e with { LifeHours = double.MaxValue, UnitCost = double.MaxValue }, AFleet) }),
        ("idle fleet", (d, s) => d with { Equipment = Change(d.Equipment, s, e => e with { Availability = 0, Utilisation = 0 }, AFleet) }),
        ("no operating period", (d, _) => d with { Factors = d.Factors with { Throughput = 0 } }),
        ("nothing processed", (d, _) => d with { Schedule = d.Schedule.Select(r => r with { OreProcessed = 0 }).ToArray() }),
        ("nothing recovered", (d, _) => d with { Products = d.Products.Select(p => p with { Recovery = 0 }).ToArray() }),
        ("all prices zero", (d, _) => d with { Products = d.Products.Select(p => p with { Price = 0.0 }).ToArray() }),
        ("rates at the limits", (d, s) => d with { DiscountRate = s % 2, Tax = new Tax(Rate: 1.0), Royalties = [ARoyalty with { Rate = 1.0 }] }),
        ("longest life", (d, _) => d with { Periods = 100 }),
        ("depreciation longer than the mine", (d, s) => d with { Capital = Change(d.Capital, s, c => c with { DepreciationYears = 100 }, AnItem) }),
    ];

    public static BrokenScenario Apply(ScenarioDocument scenario, int[] picks, int[] salts)
    {
        var document = scenario;
        var names = new List<string>();
        for (var i = 0; i < picks.Length; i++)
        {
            var (name, change) = Breaks[picks[i]];
            try
            {
                document = change(document, salts[i]);
                names.Add($"{name} ({salts[i]})");
            }
            catch (Exception e) when (i > 0 && e is NullReferenceException or IndexOutOfRangeException or ArgumentException or InvalidOperationException)
            {
                // An earlier change removed what this one edits (a null or empty list); the document is broken already.
            }
        }

        return new BrokenScenario(document, [.. names]);
    }

    public static BrokenScenario Odd(ScenarioDocument scenario, int pick, int salt)
    {
        var (name, change) = Oddities[pick];
        return new BrokenScenario(change(scenario, salt), [$"{name} ({salt})"]);
    }

    private static readonly JsonNode?[] Replacements =
    [
        null, -1, 0, 1e308, -1e308, 1.5, 2147483648L, -2147483649L, "", " ", "x", "noSuchParameter", "g/t", true, false,
        new JsonArray(), new JsonObject(), new JsonArray(1, 2), "NaN", "Infinity", 1e-320,
    ];

    private const string TextNoise = ",{}[]\":0-e.ntu\\ ";

    /// <summary>Applies edits to the JSON text; each edit is three random numbers that choose what and where.</summary>
    public static EditedJson Edit(string json, (int, int, int)[] edits)
    {
        var text = json;
        var log = new List<string>();
        foreach (var (what, where, salt) in edits)
        {
            if (what % 4 == 3)
            {
                // Text edits: cut the document short, delete a character, or insert noise.
                var at = where % (text.Length + 1);
                switch (salt % 3)
                {
                    case 0:
                        text = text[..at];
                        log.Add($"cut at {at}");
                        break;
                    case 1 when at < text.Length:
                        log.Add($"delete '{text[at]}' at {at}");
                        text = text.Remove(at, 1);
                        break;
                    default:
                        var c = TextNoise[salt % TextNoise.Length];
                        text = text.Insert(at, c.ToString());
                        log.Add($"insert '{c}' at {at}");
                        break;
                }

                continue;
            }

            JsonNode? root;
            try
            {
                root = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                continue;
            }

            if (root is null)
            {
                continue;
            }

            var nodes = Descendants(root).ToList();
            var node = nodes[where % nodes.Count];
            var parent = node.Parent;
            switch (what % 4)
            {
                case 0 when parent is not null:
                    var replacement = Replacements[salt % Replacements.Length]?.DeepClone();
                    log.Add($"replace {node.GetPath()} with {replacement?.ToJsonString() ?? "null"}");
                    Replace(parent, node, replacement);
                    break;
                case 1 when parent is JsonObject obj:
                    log.Add($"remove {node.GetPath()}");
                    obj.Remove(node.GetPropertyName());
                    break;
                case 1 when parent is JsonArray array:
                    log.Add($"remove {node.GetPath()}");
                    array.Remove(node);
                    break;
                case 2 when node is JsonObject obj:
                    log.Add($"add {node.GetPath()}.bogus");
                    obj["bogus"] = salt % 2 == 0 ? 1 : "x";
                    break;
                case 2 when parent is JsonArray array:
                    log.Add($"duplicate {node.GetPath()}");
                    array.Add(node.DeepClone());
                    break;
                default:
                    continue;
            }

            text = root.ToJsonString();
        }

        return new EditedJson(text, [.. log]);
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };

        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    private static void Replace(JsonNode parent, JsonNode node, JsonNode? replacement)
    {
        if (parent is JsonObject obj)
        {
            obj[node.GetPropertyName()] = replacement;
        }
        else if (parent is JsonArray array)
        {
            array[array.IndexOf(node)] = replacement;
        }
    }
}

/// <summary>Round trip of documents, and what broken documents produce.</summary>
[Properties(Arbitrary = [typeof(ScenarioArbitraries), typeof(MutationArbitraries)], MaxTest = 100)]
public sealed class ScenarioDocumentProperties
{
    [Property]
    public void RoundTrip_ThroughJson_GivesAnEqualDocument(GeneratedScenario scenario)
    {
        var json = scenario.Document.ToJson();
        var read = ScenarioDocument.Parse(json);

        Assert.Equal(scenario.Document, read);
        Assert.Equal(json, read.ToJson());
    }

    [Property]
    public void RoundTrip_ThroughUtf8Json_GivesAnEqualDocument(GeneratedScenario scenario)
    {
        using var stream = new MemoryStream();
        scenario.Document.WriteTo(stream);

        Assert.Equal(scenario.Document, ScenarioDocument.Parse(stream.ToArray()));
        stream.Position = 0;
        Assert.Equal(scenario.Document, ScenarioDocument.Load(stream));
    }

    [Property(MaxTest = 300)]
    public void BrokenDocument_IsRejectedByValidation_WithErrorsNamingAField(BrokenScenario broken)
    {
        var errors = broken.Document.Validate();

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Path), $"error without a field: {e}"));
    }

    [Property(MaxTest = 300)]
    public void BrokenDocument_OnlyEverThrowsInvalidScenarioException_WhenEvaluated(BrokenScenario broken)
    {
        var exception = Assert.Throws<InvalidScenarioException>(() => EconomicModel.Evaluate(broken.Document));

        Assert.NotEmpty(exception.Errors);
        Assert.All(exception.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Path), $"error without a field: {e}"));
    }

    [Property(MaxTest = 200)]
    public void OddDocument_EvaluatesOrThrowsInvalidScenarioException_AndNothingElse(OddScenario odd)
    {
        EvaluationResult result;
        try
        {
            result = EconomicModel.Evaluate(odd.Scenario.Document);
        }
        catch (InvalidScenarioException e)
        {
            Assert.NotEmpty(e.Errors);
            Assert.All(e.Errors, error => Assert.False(string.IsNullOrWhiteSpace(error.Path), $"error without a field: {error}"));
            return;
        }

        Assert.Equal(odd.Scenario.Document.Periods, result.Periods.Count);
    }

    [Property(MaxTest = 500)]
    public void EditedJson_EitherReadsAndEvaluates_OrThrowsInvalidScenarioExceptionNamingWhere(EditedJson edited)
    {
        ScenarioDocument document;
        try
        {
            document = ScenarioDocument.Parse(edited.Json);
        }
        catch (InvalidScenarioException e)
        {
            Assert.NotEmpty(e.Errors);
            // A field when the text is JSON; at least the line and position when it is not.
            Assert.All(e.Errors, error => Assert.True(error.Path.Length > 0 || error.Line is not null, $"error naming neither a field nor a position: {error}"));
            return;
        }

        var result = EconomicModel.Evaluate(document);
        Assert.Equal(document.Periods, result.Periods.Count);
    }
}
