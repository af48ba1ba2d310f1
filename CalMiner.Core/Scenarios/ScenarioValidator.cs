using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CalMiner.Scenarios.Json;

namespace CalMiner.Scenarios;

/// <summary>The rules of the scenario format. Collects every problem, each with the path of its field.</summary>
internal sealed partial class ScenarioValidator
{
    private const double DaysPerYear = 365;

    /// <summary>The largest magnitude of a tonnage, amount or price: well beyond any mine, and far from overflowing the model.</summary>
    private const double MaxMagnitude = 1e15;

    private readonly ScenarioDocument _document;
    private readonly IReadOnlyDictionary<string, Parameter> _parameters;
    private readonly List<ScenarioError> _errors = [];

    private ScenarioValidator(ScenarioDocument document)
    {
        _document = document;
        _parameters = document.Parameters ?? new Dictionary<string, Parameter>();
    }

    public static IReadOnlyList<ScenarioError> Validate(ScenarioDocument document)
    {
        var validator = new ScenarioValidator(document);
        validator.ValidateDocument();
        validator.ValidateText();
        return validator._errors;
    }

    /// <summary>
    /// No text of the document — names, descriptions, units, parameter keys — may hold control
    /// characters other than tab and line breaks: they are invisible in every report, and a NUL
    /// cannot even be stored in PostgreSQL. Checked on the JSON form, so that every string is seen.
    /// </summary>
    private void ValidateText()
    {
        JsonNode? json;
        try
        {
            json = JsonSerializer.SerializeToNode(_document, ScenarioJsonContext.Default.ScenarioDocument);
        }
        catch (Exception e) when (e is ArgumentException or JsonException && _errors.Count > 0)
        {
            // A NaN, an infinity or an undefined enum value has no JSON form; it is reported
            // already, and the text is checked once it is fixed.
            return;
        }

        CheckText(json, "");
    }

    private void CheckText(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject members:
                foreach (var (name, value) in members)
                {
                    var member = path.Length == 0 ? name : $"{path}.{name}";
                    if (HasControlCharacter(name))
                    {
                        Error(member, "the name must not contain control characters");
                    }

                    if (name.Length > DocumentLimits.MaxTextLength)
                    {
                        Error(member, $"the name must have at most {DocumentLimits.MaxTextLength} characters, not {name.Length}");
                    }

                    CheckText(value, member);
                }

                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    CheckText(items[i], $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (HasControlCharacter(text))
                {
                    Error(path, "must not contain control characters (tab and line breaks excepted)");
                }

                var max = path == "description" || path.EndsWith(".description", StringComparison.Ordinal)
                    ? DocumentLimits.MaxDescriptionLength
                    : DocumentLimits.MaxTextLength;
                if (text.Length > max)
                {
                    Error(path, $"must have at most {max} characters, not {text.Length}");
                }

                break;
        }
    }

    private static bool HasControlCharacter(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    private void ValidateDocument()
    {
        var d = _document;
        if (d.SchemaVersion != ScenarioDocument.CurrentSchemaVersion)
        {
            Error("schemaVersion", $"must be {ScenarioDocument.CurrentSchemaVersion}");
        }

        NotBlank("name", d.Name);
        if (d.Currency is null || !CurrencyPattern().IsMatch(d.Currency))
        {
            Error("currency", "must be an ISO 4217 code of three capital letters, e.g. \"USD\"");
        }

        Range("startYear", d.StartYear, 1900, 2200);
        Range("periods", d.Periods, 1, 100);
        Range("discountRate", d.DiscountRate, 0, 1);
        Defined("discounting", d.Discounting);

        foreach (var (path, collection) in new (string, object?)[]
        {
            ("consumables", d.Consumables), ("equipment", d.Equipment), ("capital", d.Capital), ("royalties", d.Royalties),
            ("parameters", d.Parameters), ("correlations", d.Correlations),
        })
        {
            NotNull(path, collection);
        }

        ValidateSizes();
        ValidateParameters();
        ValidateProducts();
        ValidateSchedule();
        ValidateOperatingCosts();
        ValidateConsumables();
        ValidateEquipment();
        ValidateCapital();
        ValidateRoyalties();
        ValidateFinance();
        ValidateCorrelations();
        ValidateSimulation();
    }

    private void ValidateSizes()
    {
        foreach (var (path, count, max) in new (string, int?, int)[]
        {
            ("parameters", _document.Parameters?.Count, DocumentLimits.MaxParameters),
            ("correlations", _document.Correlations?.Count, DocumentLimits.MaxCorrelations),
            ("products", _document.Products?.Count, DocumentLimits.MaxProducts),
            ("consumables", _document.Consumables?.Count, DocumentLimits.MaxItems),
            ("equipment", _document.Equipment?.Count, DocumentLimits.MaxItems),
            ("capital", _document.Capital?.Count, DocumentLimits.MaxItems),
            ("royalties", _document.Royalties?.Count, DocumentLimits.MaxItems),
        })
        {
            if (count > max)
            {
                Error(path, $"must have at most {max} entries, not {count}");
            }
        }
    }

    private void ValidateParameters()
    {
        foreach (var (name, parameter) in _parameters)
        {
            var path = $"parameters.{name}";
            if (!IdentifierPattern().IsMatch(name))
            {
                Error(path, "is not a valid parameter name: use letters, digits and underscores, starting with a letter");
            }

            if (parameter is null)
            {
                Error(path, "must not be null");
                continue;
            }

            Finite($"{path}.value", parameter.Value);
            if (parameter.Distribution is { } distribution)
            {
                DistributionRules.Validate(distribution, $"{path}.distribution", _errors);
            }
        }
    }

    private void ValidateProducts()
    {
        var products = _document.Products;
        if (products is null || products.Count == 0)
        {
            Error("products", "must list at least one product");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < products.Count; i++)
        {
            var path = $"products[{i}]";
            var product = products[i];
            if (!NotNull(path, product))
            {
                continue;
            }

            if (NotBlank($"{path}.name", product.Name) && !names.Add(product.Name))
            {
                Error($"{path}.name", $"\"{product.Name}\" is used by another product");
            }

            Defined($"{path}.gradeUnit", product.GradeUnit);
            Defined($"{path}.payableUnit", product.PayableUnit);
            Input($"{path}.recovery", product.Recovery, 0, 1);
            Input($"{path}.payability", product.Payability, 0, 1);
            Input($"{path}.price", product.Price, 0, MaxMagnitude);
            Input($"{path}.sellingCostPerUnit", product.SellingCostPerUnit, 0, MaxMagnitude);
        }

        var primaries = products.Count(p => p is { Primary: true });
        if (primaries != 1)
        {
            Error("products", $"must have exactly one primary product, not {primaries}");
        }
    }

    private void ValidateSchedule()
    {
        var schedule = _document.Schedule;
        if (schedule is null || schedule.Count == 0)
        {
            Error("schedule", "must list at least one period");
            return;
        }

        var products = new Dictionary<string, Product>(StringComparer.Ordinal);
        foreach (var product in _document.Products ?? [])
        {
            if (product?.Name is { } name)
            {
                products.TryAdd(name, product);
            }
        }

        var seen = new HashSet<int>();
        for (var i = 0; i < schedule.Count; i++)
        {
            var path = $"schedule[{i}]";
            var row = schedule[i];
            if (!NotNull(path, row))
            {
                continue;
            }

            if (Period($"{path}.period", row.Period) && !seen.Add(row.Period))
            {
                Error($"{path}.period", $"{row.Period} is scheduled more than once");
            }

            NonNegative($"{path}.oreMined", row.OreMined);
            NonNegative($"{path}.wasteMined", row.WasteMined);
            NonNegative($"{path}.oreProcessed", row.OreProcessed);
            if (!NotNull($"{path}.grades", row.Grades))
            {
                continue;
            }

            foreach (var (product, grade) in row.Grades)
            {
                var gradePath = $"{path}.grades.{product}";
                if (!products.TryGetValue(product, out var known))
                {
                    Error(gradePath, $"refers to unknown product \"{product}\"");
                }
                else if (known.GradeUnit == GradeUnit.Percent)
                {
                    Range(gradePath, grade, 0, 100);
                }
                else
                {
                    Range(gradePath, grade, 0, 1_000_000);
                }
            }
        }
    }

    private void ValidateOperatingCosts()
    {
        var costs = _document.OperatingCosts;
        if (!NotNull("operatingCosts", costs))
        {
            return;
        }

        Input("operatingCosts.miningPerTonne", costs.MiningPerTonne, 0, MaxMagnitude);
        Input("operatingCosts.processingPerTonne", costs.ProcessingPerTonne, 0, MaxMagnitude);
        Input("operatingCosts.generalAndAdminPerPeriod", costs.GeneralAndAdminPerPeriod, 0, MaxMagnitude);
        Input("operatingCosts.carbonPricePerTonne", costs.CarbonPricePerTonne, 0, MaxMagnitude);
    }

    private void ValidateConsumables()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var consumables = _document.Consumables ?? [];
        for (var i = 0; i < consumables.Count; i++)
        {
            var path = $"consumables[{i}]";
            var consumable = consumables[i];
            if (!NotNull(path, consumable))
            {
                continue;
            }

            if (NotBlank($"{path}.name", consumable.Name) && !names.Add(consumable.Name))
            {
                Error($"{path}.name", $"\"{consumable.Name}\" is used by another consumable");
            }

            Defined($"{path}.driver", consumable.Driver);
            Input($"{path}.ratePerDriver", consumable.RatePerDriver, 0, MaxMagnitude);
            Input($"{path}.unitPrice", consumable.UnitPrice, 0, MaxMagnitude);
            NonNegative($"{path}.co2eKgPerUnit", consumable.Co2eKgPerUnit);
        }
    }

    private void ValidateEquipment()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var fleets = _document.Equipment ?? [];
        for (var i = 0; i < fleets.Count; i++)
        {
            var path = $"equipment[{i}]";
            var fleet = fleets[i];
            if (!NotNull(path, fleet))
            {
                continue;
            }

            if (NotBlank($"{path}.name", fleet.Name) && !names.Add(fleet.Name))
            {
                Error($"{path}.name", $"\"{fleet.Name}\" is used by another fleet");
            }

            Range($"{path}.count", fleet.Count, 1, 10_000);
            NonNegative($"{path}.unitCost", fleet.UnitCost);
            Period($"{path}.purchasePeriod", fleet.PurchasePeriod);
            Input($"{path}.operatingCostPerHour", fleet.OperatingCostPerHour, 0, MaxMagnitude);
            Range($"{path}.availability", fleet.Availability, 0, 1);
            Range($"{path}.utilisation", fleet.Utilisation, 0, 1);
            Positive($"{path}.lifeHours", fleet.LifeHours);
            Range($"{path}.depreciationYears", fleet.DepreciationYears, 1, 100);
            if (fleet.CapacityTonnesPerHour is { } capacity)
            {
                Positive($"{path}.capacityTonnesPerHour", capacity);
            }
        }
    }

    private void ValidateCapital()
    {
        var items = _document.Capital ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"capital[{i}]";
            var item = items[i];
            if (!NotNull(path, item))
            {
                continue;
            }

            NotBlank($"{path}.name", item.Name);
            Defined($"{path}.category", item.Category);
            Period($"{path}.period", item.Period);
            Input($"{path}.amount", item.Amount, 0, MaxMagnitude);
            NonNegative($"{path}.contingency", item.Contingency);
            Range($"{path}.depreciationYears", item.DepreciationYears, 1, 100);
        }
    }

    private void ValidateRoyalties()
    {
        var royalties = _document.Royalties ?? [];
        for (var i = 0; i < royalties.Count; i++)
        {
            var path = $"royalties[{i}]";
            var royalty = royalties[i];
            if (!NotNull(path, royalty))
            {
                continue;
            }

            NotBlank($"{path}.name", royalty.Name);
            Input($"{path}.rate", royalty.Rate, 0, 1);
            Defined($"{path}.basis", royalty.Basis);
        }
    }

    private void ValidateFinance()
    {
        if (NotNull("tax", _document.Tax))
        {
            Input("tax.rate", _document.Tax.Rate, 0, 1);
        }

        if (NotNull("workingCapital", _document.WorkingCapital))
        {
            Range("workingCapital.receivableDays", _document.WorkingCapital.ReceivableDays, 0, DaysPerYear);
            Range("workingCapital.payableDays", _document.WorkingCapital.PayableDays, 0, DaysPerYear);
        }

        if (NotNull("factors", _document.Factors))
        {
            var factors = _document.Factors;
            Input("factors.grade", factors.Grade, 0, MaxMagnitude);
            Input("factors.throughput", factors.Throughput, 0, MaxMagnitude);
            Input("factors.operatingCost", factors.OperatingCost, 0, MaxMagnitude);
            Input("factors.initialCapital", factors.InitialCapital, 0, MaxMagnitude);
            Input("factors.sustainingCapital", factors.SustainingCapital, 0, MaxMagnitude);
        }
    }

    private void ValidateCorrelations()
    {
        var pairs = new HashSet<(string, string)>();
        var correlations = _document.Correlations ?? [];
        for (var i = 0; i < correlations.Count; i++)
        {
            var path = $"correlations[{i}]";
            var correlation = correlations[i];
            if (!NotNull(path, correlation))
            {
                continue;
            }

            var a = UncertainParameter($"{path}.a", correlation.A);
            var b = UncertainParameter($"{path}.b", correlation.B);
            Range($"{path}.rank", correlation.Rank, -1, 1);
            if (a && b)
            {
                if (string.Equals(correlation.A, correlation.B, StringComparison.Ordinal))
                {
                    Error($"{path}.b", "must differ from a: a parameter is always fully correlated with itself");
                }
                else if (!pairs.Add(Ordered(correlation.A, correlation.B)))
                {
                    Error(path, $"correlates \"{correlation.A}\" and \"{correlation.B}\" a second time");
                }
            }
        }

        static (string, string) Ordered(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }

    private void ValidateSimulation()
    {
        var simulation = _document.Simulation;
        if (!NotNull("simulation", simulation))
        {
            return;
        }

        Range("simulation.iterations", simulation.Iterations, 1, SimulationLimits.MaxIterations);
        Defined("simulation.sampling", simulation.Sampling);
        if (simulation.Convergence is not { } rule)
        {
            return;
        }

        if (!SimulationLimits.IsConvergenceMetric(rule.Metric))
        {
            Error("simulation.convergence.metric", $"must be an output and a statistic such as \"npvAfterTax.mean\" or \"npvAfterTax.p10\", not \"{rule.Metric}\"");
        }

        Positive("simulation.convergence.relativeTolerance", rule.RelativeTolerance);
        if (!(rule.Confidence is > 0 and < 1))
        {
            Error("simulation.convergence.confidence", "must be within (0, 1), e.g. 0.95");
        }

        if (rule.MaxIterations is { } max)
        {
            Range("simulation.convergence.maxIterations", max, 1, SimulationLimits.MaxIterations);
        }
    }

    // A bound input must be in range for its number, or for its parameter's base value and every value its distribution can take.
    private void Input(string path, Bindable input, double min, double max)
    {
        if (!input.IsParameter)
        {
            Range(path, input.Number, min, max);
            return;
        }

        if (!_parameters.TryGetValue(input.Parameter, out var parameter) || parameter is null)
        {
            Error(path, $"refers to unknown parameter \"{input.Parameter}\"");
            return;
        }

        var range = RangeText(min, max);
        if (double.IsFinite(parameter.Value) && !(parameter.Value >= min && parameter.Value <= max))
        {
            Error($"parameters.{input.Parameter}.value", $"must be within {range} because it feeds {path}");
        }

        // The magnitude cap guards against overflow, not against a long upper tail.
        var upper = max >= MaxMagnitude ? double.PositiveInfinity : max;
        if (parameter.Distribution is { } distribution && DistributionRules.ChanceOutside(distribution, min, upper) > DistributionRules.NegligibleChance)
        {
            Error($"parameters.{input.Parameter}.distribution", $"can take values outside {range}, which {path} requires; truncate it to {range}");
        }
    }

    private bool UncertainParameter(string path, string name)
    {
        if (string.IsNullOrEmpty(name) || !_parameters.TryGetValue(name, out var parameter))
        {
            Error(path, $"refers to unknown parameter \"{name}\"");
            return false;
        }

        if (parameter?.Distribution is null or { Type: DistributionType.Constant })
        {
            Error(path, $"refers to \"{name}\", which has no distribution to correlate");
            return false;
        }

        return true;
    }

    private bool Period(string path, int period) => Range(path, period, 0, _document.Periods - 1);

    private bool NotBlank(string path, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        Error(path, "must not be empty");
        return false;
    }

    private bool NotNull<T>(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] T? value)
        where T : class
    {
        if (value is not null)
        {
            return true;
        }

        Error(path, "must not be null");
        return false;
    }

    private void Defined<TEnum>(string path, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            Error(path, "is not one of the allowed values");
        }
    }

    private bool Range(string path, int value, int min, int max)
    {
        if (value >= min && value <= max)
        {
            return true;
        }

        Error(path, $"must be within {min}..{max}");
        return false;
    }

    private void Range(string path, double value, double min, double max)
    {
        if (!double.IsFinite(value))
        {
            Error(path, "must be a finite number");
        }
        else if (!(value >= min && value <= max))
        {
            Error(path, $"must be within {RangeText(min, max)}");
        }
    }

    private void Finite(string path, double value) => Range(path, value, -MaxMagnitude, MaxMagnitude);

    private void NonNegative(string path, double value) => Range(path, value, 0, MaxMagnitude);

    private void Positive(string path, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            Error(path, "must be > 0");
        }
        else
        {
            Range(path, value, 0, MaxMagnitude);
        }
    }

    private static string RangeText(double min, double max) =>
        $"{min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}";

    private void Error(string path, string message) => _errors.Add(new ScenarioError(path, message));

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();
}
