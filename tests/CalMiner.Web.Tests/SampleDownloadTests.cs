using System.Net;
using Xunit.Abstractions;
using System.Security.Cryptography;
using CalMiner.Data;
using CalMiner.Scenarios;
using CalMiner.Simulation;
using CalMiner.Web.Tests.Infrastructure;

namespace CalMiner.Web.Tests;

/// <summary>Tests that count the process's allocations, so they run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}

/// <summary>The samples download streams from the database: what it allocates does not grow with the run.</summary>
[Collection(AloneCollection.Name)]
public sealed class SampleDownloadTests(ITestOutputHelper output)
{
    private const int Columns = 8;

    [Fact]
    public async Task Download_AllocatesFarLessThanTheSamples_AndNoMoreForARunTenTimesLarger()
    {
        var app = new CalMinerWebApp(new Dictionary<string, string>(StringComparer.Ordinal) { ["CalMiner:RunSimulationsInProcess"] = "false" });
        await app.InitializeAsync();
        try
        {
            using var analyst = await app.ClientAsync(UserRole.Analyst);
            var (scenarioId, _) = await analyst.CreateScenarioAsync();
            var small = await DownloadAsync(app, analyst, scenarioId, 120_000);
            var large = await DownloadAsync(app, analyst, scenarioId, 1_200_000);

            output.WriteLine($"{small.SampleBytes >> 20} MiB of samples: {small.Allocated >> 10} KiB allocated; {large.SampleBytes >> 20} MiB: {large.Allocated >> 10} KiB.");

            // The old download held every column (8 bytes a value) and more; this one a window of each.
            Assert.True(large.Allocated < large.SampleBytes / 4, $"A download of {large.SampleBytes >> 20} MiB of samples allocated {large.Allocated >> 20} MiB.");
            Assert.True(
                large.Allocated - small.Allocated < (large.SampleBytes - small.SampleBytes) / 10,
                $"Allocated {small.Allocated >> 10} KiB for {small.SampleBytes >> 20} MiB of samples, {large.Allocated >> 10} KiB for {large.SampleBytes >> 20} MiB.");
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    /// <summary>Stores a completed run of <paramref name="iterations"/>, downloads its samples, checks them against the whole-run CSV, and returns what the download allocated.</summary>
    private static async Task<(long SampleBytes, long Allocated)> DownloadAsync(CalMinerWebApp app, HttpClient client, long scenarioId, int iterations)
    {
        var runs = app.Get<SimulationRunRepository>();
        var run = await runs.QueueAsync(scenarioId, 1, new SimulationSettings(iterations), "tests");
        Assert.NotNull(await runs.ClaimRunAsync(run.Id, "tests", TimeSpan.FromMinutes(5)));
        var outputs = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var random = new Random(iterations);
        for (var c = 0; c < Columns; c++)
        {
            (c < 3 ? outputs : inputs)[$"column{c}"] = [.. Enumerable.Range(0, iterations).Select(_ => (random.NextDouble() - 0.3) * 1e6)];
        }

        Assert.True(await runs.CompleteAsync(run.Id, "tests", iterations, "{}", new CalMiner.Data.SimulationSamples(outputs, inputs)));

        // What the whole-run read gave: the CSV of every column held at once.
        var stored = (await runs.GetSamplesAsync(run.Id))!;
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var writer = new StreamWriter(new HashingStream(whole), new System.Text.UTF8Encoding(false), 1 << 16))
        {
            await SampleCsv.WriteAsync(writer, [.. stored.Inputs, .. stored.Outputs]);
        }

        (outputs, inputs, stored) = (null!, null!, null!);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        using var streamed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using (var response = await client.GetAsync($"/api/simulations/{run.Id}/samples", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                streamed.AppendData(buffer, 0, read);
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(Convert.ToHexString(whole.GetHashAndReset()), Convert.ToHexString(streamed.GetHashAndReset()));
        return ((long)iterations * Columns * sizeof(double), allocated);
    }

    /// <summary>A write-only stream that feeds a hash.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
