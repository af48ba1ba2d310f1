using CalMiner.Core.Tests.Economics;
using CalMiner.Scenarios;

namespace CalMiner.Core.Tests.Scenarios;

public sealed class ScenarioJsonTests
{
    private static readonly string GoldJson = File.ReadAllText(RepositoryFiles.Sample("gold-open-pit.json"));

    public static TheoryData<string> SampleFiles() => [.. RepositoryFiles.Samples.Append(GoldOpenPit.Path)];

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Samples_LoadAndSurviveARoundTrip(string path)
    {
        var document = ScenarioDocument.Load(path);

        var again = ScenarioDocument.Parse(document.ToJson());

        Assert.Equal(document, again);
        Assert.Equal(document.ToJson(), again.ToJson());
    }

    [Fact]
    public void Load_ReadsEverySectionOfTheGoldSample()
    {
        var document = ScenarioDocument.Load(RepositoryFiles.Sample("gold-open-pit.json"));

        Assert.Equal(10, document.Periods);
        Assert.Equal("Au", document.PrimaryProduct.Name);
        Assert.Equal(Bindable.Of("goldPrice"), document.PrimaryProduct.Price);
        Assert.Equal(0.999, document.PrimaryProduct.Payability.Number);
        Assert.Equal(9, document.Schedule.Count);
        Assert.Equal(1.55, document.Schedule[1].Grades["Au"]);
        Assert.Equal(3, document.Consumables.Count);
        Assert.Equal(2, document.Equipment.Count);
        Assert.Equal(10, document.Capital.Count);
        Assert.Equal(CapitalCategory.Closure, document.Capital[9].Category);
        Assert.Equal(0.3, document.Tax.Rate.Number);
        Assert.Equal(45, document.WorkingCapital.PayableDays);
        Assert.Equal(Bindable.Of("gradeFactor"), document.Factors.Grade);
        Assert.Equal(7, document.Parameters.Count);
        Assert.Equal(DistributionType.Pert, document.Parameters["miningCost"].Distribution!.Type);
        Assert.Equal(2, document.Correlations.Count);
        Assert.Equal(SamplingMethod.LatinHypercube, document.Simulation.Sampling);
    }

    [Fact]
    public void OmittedFields_TakeTheirDocumentedDefaults()
    {
        var document = ScenarioDocument.Parse("""
            {
              "schemaVersion": 1, "name": "Minimal", "currency": "USD", "startYear": 2030, "periods": 3, "discountRate": 0.08,
              "products": [{ "name": "Au", "gradeUnit": "g/t", "payableUnit": "oz", "recovery": 0.9, "price": 2000, "primary": true }],
              "schedule": [{ "period": 1, "oreMined": 1000, "oreProcessed": 1000, "grades": { "Au": 2 } }],
              "equipment": [{ "name": "Truck", "count": 1, "unitCost": 1, "purchasePeriod": 0, "operatingCostPerHour": 1, "availability": 0.9, "utilisation": 0.9, "lifeHours": 1000 }],
              "capital": [{ "name": "Plant", "category": "initial", "period": 0, "amount": 5 }]
            }
            """);

        Assert.Equal(Discounting.EndOfPeriod, document.Discounting);
        Assert.Equal(1.0, document.Products[0].Payability.Number);
        Assert.Equal(0.0, document.Products[0].SellingCostPerUnit.Number);
        Assert.Equal(0.0, document.Schedule[0].WasteMined);
        Assert.Equal(10, document.Equipment[0].DepreciationYears);
        Assert.Equal(10, document.Capital[0].DepreciationYears);
        Assert.Equal(0.0, document.Capital[0].Contingency);
        Assert.True(document.Tax.LossCarryForward);
        Assert.Equal(0.0, document.Tax.Rate.Number);
        Assert.Equal(new Factors(1.0, 1.0, 1.0, 1.0, 1.0), document.Factors);
        Assert.Equal(new SimulationSettings(10_000, 1, SamplingMethod.LatinHypercube), document.Simulation);
        Assert.Empty(document.Royalties);
        Assert.Empty(document.Parameters);
    }

    [Fact]
    public void UnknownField_IsAnErrorNamingItsPathAndLine()
    {
        var json = GoldJson.Replace("\"payability\": 0.999,", "\"payability\": 0.999, \"payabilty\": 1,", StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);

        Assert.Equal("products[0].payabilty", error.Path);
        Assert.Equal("is not a field of the scenario format; did you mean payability?", error.Message);
        Assert.Equal(16, error.Line);
    }

    [Fact]
    public void InvalidJson_GivesLineAndPosition()
    {
        var json = "{\n  \"name\": \"x\",\n  \"periods\": 10,,\n}";

        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);

        Assert.StartsWith("is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.Equal(17, error.Position);
        Assert.Contains("(line 3, position 17)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredFields_AreNamed()
    {
        var json = GoldJson.Replace("\"price\": \"goldPrice\",", "", StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);

        Assert.Equal("products[0]", error.Path);
        Assert.Equal("is missing required field price", error.Message);
    }

    [Theory]
    [InlineData("\"periods\": 10,", "\"periods\": \"ten\",", "periods", "must be a whole number")]
    [InlineData("\"periods\": 10,", "\"periods\": 10.5,", "periods", "must be a whole number")]
    [InlineData("\"discountRate\": 0.05,", "\"discountRate\": true,", "discountRate", "must be a number")]
    [InlineData("\"gradeUnit\": \"g/t\",", "\"gradeUnit\": \"gpt\",", "products[0].gradeUnit", "must be one of \"g/t\", \"ppm\", \"%\"")]
    [InlineData("\"gradeUnit\": \"g/t\",", "\"gradeUnit\": 0,", "products[0].gradeUnit", "must be one of \"g/t\", \"ppm\", \"%\"")]
    [InlineData("\"recovery\": \"auRecovery\",", "\"recovery\": [0.9],", "products[0].recovery", "must be a finite number or the name of a parameter")]
    [InlineData("\"recovery\": \"auRecovery\",", "\"recovery\": \"\",", "products[0].recovery", "must be a finite number or the name of a parameter")]
    [InlineData("\"name\": \"Au\",", "\"name\": null,", "products[0].name", "must not be null")]
    [InlineData("\"products\": [", "\"products\": 5, \"x\": [", "products", "must be an array")]
    public void WrongTypes_AreErrorsNamingTheField(string find, string replace, string path, string message)
    {
        var json = GoldJson.Replace(find, replace, StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);

        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Message);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void DuplicateField_IsAnError()
    {
        var json = GoldJson.Replace("\"periods\": 10,", "\"periods\": 10, \"periods\": 11,", StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);

        Assert.Equal("is given more than once", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{")]
    [InlineData("{\"schemaVersion\": 1}")]
    public void NonDocuments_AreRejectedWithAnError(string json)
    {
        var exception = Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json));

        Assert.NotEmpty(exception.Errors);
    }

    [Fact]
    public void Load_FromAStream_EqualsParse()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(GoldJson));

        Assert.Equal(ScenarioDocument.Parse(GoldJson), ScenarioDocument.Load(stream));
    }

    [Fact]
    public void WriteTo_WritesTheSameJsonAsToJson()
    {
        var document = ScenarioDocument.Parse(GoldJson);
        using var stream = new MemoryStream();

        document.WriteTo(stream);

        Assert.Equal(document.ToJson(), System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
