using System.Text.Json;
using CalMiner.Data.Database;
using CalMiner.Data.Simulations;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace CalMiner.Data;

// What a run leaves: its summary and samples, written in one transaction when it succeeds, read back,
// streamed as CSV, and dropped by the retention policy.
public sealed partial class SimulationRunRepository
{
    /// <summary>Completes a run with its results, all in one transaction.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="workerId">The worker that claimed it.</param>
    /// <param name="iterations">How many iterations were run, ≥ 1 (fewer than requested when a convergence rule stopped it).</param>
    /// <param name="summaryJson">The summary statistics as a JSON document, from the simulation engine.</param>
    /// <param name="samples">The per-iteration values to keep, each column <paramref name="iterations"/> long; or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write, which then writes nothing.</param>
    /// <returns>Whether the run was completed; <see langword="false"/> (and nothing written) if the worker no longer holds it.</returns>
    /// <exception cref="ArgumentException">The summary is not JSON, or a sample column is empty, unnamed or of another length.</exception>
    public async Task<bool> CompleteAsync(long runId, string workerId, int iterations, string summaryJson, SimulationSamples? samples, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        CheckSummary(summaryJson);
        if (samples is not null)
        {
            CheckSamples(samples, iterations);
        }

        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await Held(db, runId, workerId)
            .Set(r => r.Status, Succeeded)
            .Set(r => r.Progress, 1.0)
            .Set(r => r.SampleBytes, SampleBytes(samples))
            .Set(r => r.Error, (string?)null)
            .Set(r => r.FinishedAt, now)
            .Set(r => r.LeaseExpiresAt, (DateTimeOffset?)null)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            return false;
        }

        await db.InsertAsync(new SimulationResultRow { RunId = runId, Iterations = iterations, Summary = summaryJson, CreatedAt = now }, token: cancellationToken).ConfigureAwait(false);
        if (samples is not null)
        {
            var options = new BulkCopyOptions
            {
                // PostgreSQL: binary COPY. SQLite: prepared row-by-row inserts in the transaction.
                BulkCopyType = _database.IsPostgreSql ? BulkCopyType.ProviderSpecific : BulkCopyType.RowByRow,
            };
            await db.BulkCopyAsync(options, SampleChunks.Rows(runId, samples), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Drops the samples of a completed run, keeping its summary, in one transaction.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether samples were dropped; <see langword="false"/> if the run has none (any more).</returns>
    public async Task<bool> DropSamplesAsync(long runId, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        await using var db = _database.Open();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await db.SimulationRuns
            .Where(r => r.Id == runId && r.Status == Succeeded && r.KeepSamples && r.SamplesDroppedAt == null)
            .Set(r => r.SamplesDroppedAt, now)
            .Set(r => r.SampleBytes, 0L)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            return false;
        }

        await db.SimulationSamples.Where(s => s.RunId == runId).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Drops the samples of the completed runs that <paramref name="retention"/> no longer keeps, one run per transaction, oldest first;
    /// their summaries are kept for ever.
    /// </summary>
    /// <param name="retention">Which runs keep their samples.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>The runs whose samples were dropped.</returns>
    public async Task<IReadOnlyList<long>> ApplyRetentionAsync(SampleRetention retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retention);
        retention.Validate();
        var oldest = retention.MaxAge is { } age ? _time.GetUtcNow() - age : (DateTimeOffset?)null;
        List<(long Id, long ScenarioId, DateTimeOffset? FinishedAt)> holding;
        await using (var db = _database.Open())
        {
            var rows = await db.SimulationRuns
                .Where(r => r.Status == Succeeded && r.SamplesDroppedAt == null && r.SampleBytes > 0)
                .Select(r => new { r.Id, r.ScenarioId, r.FinishedAt })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            holding = [.. rows.Select(r => (r.Id, r.ScenarioId, r.FinishedAt))];
        }

        var drop = new SortedSet<long>();
        foreach (var scenario in holding.GroupBy(r => r.ScenarioId))
        {
            var newestFirst = scenario.OrderByDescending(r => r.Id).ToList();
            for (var i = 0; i < newestFirst.Count; i++)
            {
                if (i >= retention.RunsPerScenario || newestFirst[i].FinishedAt < oldest)
                {
                    drop.Add(newestFirst[i].Id);
                }
            }
        }

        var dropped = new List<long>();
        foreach (var runId in drop)
        {
            if (await DropSamplesAsync(runId, cancellationToken).ConfigureAwait(false))
            {
                dropped.Add(runId);
            }
        }

        return dropped;
    }

    /// <summary>Reads the summary of a completed run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The summary JSON, or <see langword="null"/> if the run has none.</returns>
    public async Task<string?> GetSummaryAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        return await db.SimulationResults.Where(r => r.RunId == runId).Select(r => r.Summary).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the samples of a completed run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The samples, or <see langword="null"/> if the run has no result. A result stored without samples gives empty columns.</returns>
    public async Task<SimulationSamples?> GetSamplesAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Open();
        var iterations = await db.SimulationResults.Where(r => r.RunId == runId).Select(r => (int?)r.Iterations).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (iterations is null)
        {
            return null;
        }

        var outputs = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var rows = db.SimulationSamples.Where(s => s.RunId == runId).OrderBy(s => s.Kind).ThenBy(s => s.Name).ThenBy(s => s.Chunk).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var columns = row.Kind == SampleChunks.Output ? outputs : inputs;
            if (!columns.TryGetValue(row.Name, out var values))
            {
                columns.Add(row.Name, values = new double[iterations.Value]);
            }

            SampleChunks.Read(row, values);
        }

        return new SimulationSamples(outputs, inputs);
    }

    /// <summary>
    /// Writes the samples of a completed run as CSV (<see cref="CalMiner.Simulation.SampleCsvWriter"/>: the inputs, then the outputs, each
    /// in name order), reading them from the database a window of iterations at a time, so that the memory it takes
    /// does not grow with the run's iterations.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="writer">Where to write; flushed and left open.</param>
    /// <param name="cancellationToken">Stops the reading and writing.</param>
    /// <returns>Whether the run has stored samples; <see langword="false"/> (and nothing written) if not.</returns>
    public async Task<bool> WriteSamplesCsvAsync(long runId, TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int iterations;
        List<string> names;
        await using (var db = _database.Open())
        {
            var stored = await db.SimulationResults.Where(r => r.RunId == runId).Select(r => (int?)r.Iterations).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            // The order of the old whole-run read, which the windows below repeat: kind (input before output), then name.
            names = await db.SimulationSamples.Where(s => s.RunId == runId && s.Chunk == 0).OrderBy(s => s.Kind).ThenBy(s => s.Name)
                .Select(s => s.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (stored is null || names.Count == 0)
            {
                return false;
            }

            iterations = stored.Value;
        }

        var window = SampleChunks.Window(names.Count);
        var columns = names.Select(_ => new double[window]).ToArray();
        var bytes = new byte[window * sizeof(double)];
        var csv = new CalMiner.Simulation.SampleCsvWriter(writer, names);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT substr(data, @from, @length) FROM simulation_sample
            WHERE run_id = @run AND chunk = @chunk ORDER BY kind, name
            """;
        var (run, chunk, from, length) = (command.AddParameter("run", runId), command.AddParameter("chunk", 0), command.AddParameter("from", 0), command.AddParameter("length", 0));
        for (var start = 0; start < iterations; start += window)
        {
            var count = Math.Min(window, iterations - start);
            (chunk.Value, from.Value, length.Value) = (start / SampleChunks.Size, 1 + (start % SampleChunks.Size * sizeof(double)), count * sizeof(double));
            await using (var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false))
            {
                var c = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (c == columns.Length || reader.GetBytes(0, 0, bytes, 0, count * sizeof(double)) != count * sizeof(double))
                    {
                        throw NotWhole(runId, start);
                    }

                    SampleChunks.Read(bytes.AsSpan(0, count * sizeof(double)), columns[c++]);
                }

                if (c != columns.Length)
                {
                    throw NotWhole(runId, start);
                }
            }

            await csv.WriteRowsAsync(columns, count, cancellationToken).ConfigureAwait(false);
        }

        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static InvalidOperationException NotWhole(long runId, int start) =>
        new($"The samples of run {runId} are not whole at iteration {start + 1}: a column lacks it.");

    private static void CheckSummary(string summaryJson)
    {
        ArgumentNullException.ThrowIfNull(summaryJson);
        try
        {
            using var _ = JsonDocument.Parse(summaryJson);
        }
        catch (JsonException e)
        {
            ThrowHelper.ThrowArgument(nameof(summaryJson), $"summaryJson must be a JSON document: {e.Message}");
        }
    }

    private static void CheckSamples(SimulationSamples samples, int iterations)
    {
        foreach (var (name, values) in samples.Outputs.Concat(samples.Inputs))
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
            {
                ThrowHelper.ThrowArgument(nameof(samples), $"Every sample column needs a name of 1..{MaxNameLength} characters.");
            }

            if (values is null || values.Length != iterations)
            {
                ThrowHelper.ThrowArgument(nameof(samples), $"Sample column \"{name}\" must have one value per iteration ({iterations}), not {values?.Length ?? 0}.");
            }
        }
    }

    private static long SampleBytes(SimulationSamples? samples) =>
        samples is null ? 0 : samples.Outputs.Values.Concat(samples.Inputs.Values).Sum(c => (long)c.Length * sizeof(double));
}
