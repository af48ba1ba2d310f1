using System.Text.Json;
using CalMiner.Data;
using CalMiner.Scenarios;

namespace CalMiner.Web.Api;

/// <summary>
/// The warnings of a scenario (<see cref="ScenarioDocument.Warnings"/>): legal, so the scenario is
/// saved, but probably wrong. The scenario resource lists them in <c>warnings</c>; every response
/// that saves a version, a section's included, also gives each in a <c>CalMiner-Warning</c> header.
/// </summary>
internal static class SaveWarnings
{
    public const string Header = "CalMiner-Warning";

    /// <summary>The warning, with what an API client can do about it.</summary>
    public static string Describe(ScenarioWarning warning) =>
        warning.Path == "correlations"
            ? $"{warning}; a simulation run refuses them (422) unless asked with \"repairCorrelations\": true, which uses the nearest valid matrix"
            : warning.ToString();

    /// <summary>Why a simulation run refuses the scenario's contradictory correlations, and how to run it anyway.</summary>
    public static string RunRefusal(ScenarioWarning contradiction) =>
        $"{contradiction}; send \"repairCorrelations\": true to run with the nearest valid matrix, or change them";

    /// <summary>Sets the ETag of the saved version and a <see cref="Header"/> per warning.</summary>
    public static void SetSaved(HttpResponse response, StoredScenario saved)
    {
        ETags.Set(response, saved.Version);
        foreach (var warning in saved.Document.Warnings())
        {
            response.Headers.Append(Header, Describe(warning));
        }
    }

    /// <summary>Writes <c>"warnings": [{"path", "message"}]</c>, empty when there are none.</summary>
    public static void Write(Utf8JsonWriter writer, ScenarioDocument document)
    {
        writer.WriteStartArray("warnings");
        foreach (var warning in document.Warnings())
        {
            writer.WriteStartObject();
            writer.WriteString("path", warning.Path);
            writer.WriteString("message", Describe(warning));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
