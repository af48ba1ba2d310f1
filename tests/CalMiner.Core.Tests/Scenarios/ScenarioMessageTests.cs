using System.Text;
using CalMiner.Scenarios;

namespace CalMiner.Core.Tests.Scenarios;

/// <summary>What a reader is told about a document that cannot be read: in the document's terms, pointing at the right place.</summary>
public sealed class ScenarioMessageTests
{
    private static readonly string GoldJson = File.ReadAllText(RepositoryFiles.Sample("gold-open-pit.json"));

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public void AnEmptyDocument_IsSaidToBeEmpty_InTheDocumentsTerms(string json)
    {
        var fromText = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);
        var fromStream = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)))).Errors);

        Assert.Equal("the document is empty: a scenario is a JSON object (line 1, position 1)", fromText.ToString());
        Assert.Equal(fromText, fromStream);
    }

    [Fact]
    public void ATruncatedDocument_DoesNotSpeakOfTheReadersState()
    {
        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse("{\"name\": \"x\",")).Errors);

        Assert.StartsWith("is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("isFinalBlock", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"discountRate\":", "\"discountRat\":", "discountRat", "discountRate")]
    [InlineData("\"discountRate\":", "\"DiscountRate\":", "DiscountRate", "discountRate")]
    [InlineData("\"payability\":", "\"payabilty\":", "products[0].payabilty", "payability")]
    [InlineData("\"lossCarryForward\":", "\"lossCaryForwad\":", "tax.lossCaryForwad", "lossCarryForward")]
    public void AMisspeltField_SuggestsTheNearestFieldOfItsObject(string find, string replace, string path, string suggestion)
    {
        var json = GoldJson.Replace(find, replace, StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);

        Assert.Equal(path, error.Path);
        Assert.Equal($"is not a field of the scenario format; did you mean {suggestion}?", error.Message);
    }

    [Fact]
    public void AnUnknownFieldNothingLike_AnyField_GetsNoSuggestion()
    {
        var json = GoldJson.Replace("\"discountRate\":", "\"colour\": 1, \"discountRate\":", StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);

        Assert.Equal("colour", error.Path);
        Assert.Equal("is not a field of the scenario format", error.Message);
    }

    [Fact]
    public void AMissingRequiredField_PointsAtTheStartOfTheObjectThatLacksIt()
    {
        var json = GoldJson.Replace("\"price\": \"goldPrice\",", "", StringComparison.Ordinal);
        var start = json.IndexOf('{', json.IndexOf("\"products\"", StringComparison.Ordinal));
        var line = json[..start].Count(c => c == '\n') + 1;
        var position = start - json.LastIndexOf('\n', start);

        var fromText = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);
        var fromStream = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)))).Errors);

        Assert.Equal($"products[0] is missing required field price (line {line}, position {position})", fromText.ToString());
        Assert.Equal(fromText, fromStream);
        Assert.True(line < json.Count(c => c == '\n') / 2, "The products come early in the sample, far from its last line.");
    }

    [Fact]
    public void AFieldMissingFromTheDocument_PointsAtItsStart()
    {
        var json = GoldJson.Replace("\"currency\": \"USD\",", "", StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<InvalidScenarioException>(() => ScenarioDocument.Parse(json)).Errors);

        Assert.Equal("the document is missing required field currency (line 1, position 1)", error.ToString());
    }

    [Fact]
    public void Load_SkipsAUtf8ByteOrderMark()
    {
        var document = ScenarioDocument.Load(new MemoryStream([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(GoldJson)]));

        Assert.Equal(ScenarioDocument.Parse(GoldJson), document);
    }
}
