using System.Buffers;
using System.ComponentModel;
using System.Text.Json;
using CalMiner.Scenarios;

namespace CalMiner.Data;

/// <summary>A saved version of a scenario.</summary>
/// <param name="Id">The scenario's id, assigned on creation.</param>
/// <param name="Version">The version, from 1; every save adds one. Pass it back to update (optimistic concurrency).</param>
/// <param name="Document">The scenario document of this version.</param>
/// <param name="SavedAt">When this version was saved (UTC).</param>
/// <param name="SavedBy">Who saved this version.</param>
[ImmutableObject(true)] // Lets HybridCache hand out its in-memory instance instead of a fresh copy per read.
public sealed record StoredScenario(long Id, int Version, ScenarioDocument Document, DateTimeOffset SavedAt, string SavedBy)
{
    /// <summary>
    /// Writes this version as UTF-8 JSON, <c>{"id", "version", "savedAt", "savedBy", "document"}</c>:
    /// the form the cache keeps.
    /// </summary>
    /// <param name="utf8Json">Where to write.</param>
    public void WriteJson(IBufferWriter<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var writer = new Utf8JsonWriter(utf8Json);
        writer.WriteStartObject();
        writer.WriteNumber("id", Id);
        writer.WriteNumber("version", Version);
        writer.WriteString("savedAt", SavedAt);
        writer.WriteString("savedBy", SavedBy);
        writer.WritePropertyName("document");
        writer.WriteRawValue(Document.ToJson(), skipInputValidation: true);
        writer.WriteEndObject();
    }
}

/// <summary>A scenario in a list: its identity and latest version, without the document.</summary>
/// <param name="Id">The scenario's id.</param>
/// <param name="Version">The latest version.</param>
/// <param name="Name">The scenario's name.</param>
/// <param name="Description">The scenario's description, if any.</param>
/// <param name="Currency">ISO 4217 currency code.</param>
/// <param name="UpdatedAt">When the latest version was saved (UTC).</param>
/// <param name="UpdatedBy">Who saved the latest version.</param>
/// <param name="WorkspaceId">The workspace the scenario belongs to.</param>
public sealed record ScenarioListItem(long Id, int Version, string Name, string? Description, string Currency, DateTimeOffset UpdatedAt, string UpdatedBy, long WorkspaceId);

/// <summary>One page of a longer list.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page, at most <paramref name="Limit"/>.</param>
/// <param name="TotalCount">How many items the whole list has.</param>
/// <param name="Offset">How many items of the list come before this page.</param>
/// <param name="Limit">The most items a page holds.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount, int Offset, int Limit);

/// <summary>A saved version in a scenario's history.</summary>
/// <param name="ScenarioId">The scenario's id.</param>
/// <param name="Version">The version number, from 1.</param>
/// <param name="SavedAt">When it was saved (UTC).</param>
/// <param name="SavedBy">Who saved it.</param>
/// <param name="ChangedPaths">The fields that differ from the previous version, e.g. <c>products[0].price</c>; empty for a first version.</param>
public sealed record ScenarioVersionInfo(long ScenarioId, int Version, DateTimeOffset SavedAt, string SavedBy, IReadOnlyList<string> ChangedPaths);

/// <summary>One field that differs between two scenario documents.</summary>
/// <param name="Path">The field, as in validation messages: e.g. <c>products[0].price</c> or <c>parameters.goldPrice.distribution.sd</c>.</param>
/// <param name="Before">The field's value in the first document as JSON text, or <see langword="null"/> where it is absent (added).</param>
/// <param name="After">The field's value in the second document as JSON text, or <see langword="null"/> where it is absent (removed).</param>
public sealed record ScenarioChange(string Path, string? Before, string? After);

/// <summary>
/// Thrown when a scenario is saved or deleted on the strength of a version that is no longer the
/// latest: someone else saved it in between. Nothing was written.
/// </summary>
public sealed class ScenarioConcurrencyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="scenarioId">The scenario's id.</param>
    /// <param name="expectedVersion">The version the caller based the change on.</param>
    /// <param name="currentVersion">The scenario's latest version, or <see langword="null"/> if it no longer exists.</param>
    public ScenarioConcurrencyException(long scenarioId, int expectedVersion, int? currentVersion)
        : base(currentVersion is { } current
            ? $"Scenario {scenarioId} is at version {current}, not {expectedVersion}: it was changed by someone else. Reload it and apply the change again."
            : $"Scenario {scenarioId} no longer exists.")
    {
        ScenarioId = scenarioId;
        ExpectedVersion = expectedVersion;
        CurrentVersion = currentVersion;
    }

    /// <summary>The scenario's id.</summary>
    public long ScenarioId { get; }

    /// <summary>The version the caller based the change on.</summary>
    public int ExpectedVersion { get; }

    /// <summary>The scenario's latest version, or <see langword="null"/> if it no longer exists.</summary>
    public int? CurrentVersion { get; }
}
