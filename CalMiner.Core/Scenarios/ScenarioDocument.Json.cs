using System.Text.Json;
using CalMiner.Scenarios.Json;

namespace CalMiner.Scenarios;

public sealed partial record ScenarioDocument
{
    /// <summary>Reads and validates the scenario document in the file at <paramref name="path"/>.</summary>
    /// <param name="path">Path of a UTF-8 JSON file.</param>
    /// <exception cref="InvalidScenarioException">The file is not valid JSON or breaks the rules of the format; every problem is listed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ScenarioDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads and validates a scenario document from a UTF-8 JSON stream (a byte order mark is skipped).</summary>
    /// <exception cref="InvalidScenarioException">The text is not valid JSON or breaks the rules of the format; every problem is listed.</exception>
    public static ScenarioDocument Load(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        // Read whole, so that an error can be placed in the text (e.g. the object a field is missing from).
        using var buffer = new MemoryStream();
        utf8Json.CopyTo(buffer);
        var text = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        return Parse(text.StartsWith(Utf8Bom) ? text[Utf8Bom.Length..] : text);
    }

    /// <summary>Reads and validates a scenario document from JSON text.</summary>
    /// <exception cref="InvalidScenarioException">The text is not valid JSON or breaks the rules of the format; every problem is listed.</exception>
    public static ScenarioDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return EnsureValid(JsonSerializer.Deserialize(json, ScenarioJsonContext.Default.ScenarioDocument));
        }
        catch (JsonException)
        {
            // Described from the UTF-8 text, whose positions the error gives.
            return Parse(System.Text.Encoding.UTF8.GetBytes(json));
        }
    }

    /// <summary>Reads and validates a scenario document from UTF-8 JSON bytes.</summary>
    /// <exception cref="InvalidScenarioException">The text is not valid JSON or breaks the rules of the format; every problem is listed.</exception>
    public static ScenarioDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (JsonErrors.IsBlank(utf8Json))
        {
            ThrowHelper.ThrowInvalidScenario([JsonErrors.Empty]);
        }

        ScenarioDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, ScenarioJsonContext.Default.ScenarioDocument);
        }
        catch (JsonException e)
        {
            return ThrowHelper.ThrowInvalidScenario<ScenarioDocument>([JsonErrors.Describe(e, utf8Json)]);
        }

        return EnsureValid(document);
    }

    /// <summary>The document as indented JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ScenarioJsonContext.Default.ScenarioDocument);

    /// <summary>Writes the document as indented UTF-8 JSON to <paramref name="utf8Json"/>.</summary>
    public void WriteTo(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        JsonSerializer.Serialize(utf8Json, this, ScenarioJsonContext.Default.ScenarioDocument);
    }

    /// <summary>Every rule of the format this document breaks; empty when it is valid.</summary>
    public IReadOnlyList<ScenarioError> Validate() => ScenarioValidator.Validate(this);

    /// <summary>
    /// What is legal but probably wrong, e.g. correlations that contradict one another (a simulation
    /// refuses them unless asked to repair them); empty when there is nothing to say. Meant for a
    /// valid document: what breaks a rule is left to <see cref="Validate"/>, never repeated here.
    /// </summary>
    public IReadOnlyList<ScenarioWarning> Warnings() => ScenarioWarnings.Of(this);

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ScenarioDocument EnsureValid(ScenarioDocument? document)
    {
        if (document is null)
        {
            ThrowHelper.ThrowInvalidScenario([new ScenarioError("", "must be a JSON object, not null")]);
        }

        var errors = document.Validate();
        return errors.Count == 0 ? document : ThrowHelper.ThrowInvalidScenario<ScenarioDocument>(errors);
    }
}
