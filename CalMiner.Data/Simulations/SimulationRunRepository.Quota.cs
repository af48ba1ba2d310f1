using CalMiner.Data.Database;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace CalMiner.Data;

// The limits checked in the transaction that queues a run.
public sealed partial class SimulationRunRepository
{
    private async Task CheckQuotaAsync(CalMinerDb db, SimulationQuota quota, string requestedBy, long sampleBytes, CancellationToken cancellationToken)
    {
        if (_database.IsPostgreSql)
        {
            await db.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@name))", cancellationToken, new DataParameter("name", QueueChannel, DataType.NVarChar)).ConfigureAwait(false);
        }

        var active = await db.SimulationRuns.CountAsync(r => r.RequestedBy == requestedBy && (r.Status == Queued || r.Status == Running), cancellationToken).ConfigureAwait(false);
        if (active >= quota.MaxActiveRunsPerUser)
        {
            throw new SimulationQuotaExceededException(SimulationQuotaLimit.ActiveRuns, quota.MaxActiveRunsPerUser, active, 1);
        }

        if (sampleBytes == 0)
        {
            return;
        }

        var users = await db.SimulationRuns.Where(r => r.RequestedBy == requestedBy && r.SampleBytes > 0).SumAsync(r => (long?)r.SampleBytes, cancellationToken).ConfigureAwait(false) ?? 0;
        if (users + sampleBytes > quota.SampleBytesPerUser)
        {
            throw new SimulationQuotaExceededException(SimulationQuotaLimit.UserSampleBytes, quota.SampleBytesPerUser, users, sampleBytes);
        }

        var total = await db.SimulationRuns.Where(r => r.SampleBytes > 0).SumAsync(r => (long?)r.SampleBytes, cancellationToken).ConfigureAwait(false) ?? 0;
        if (total + sampleBytes > quota.SampleBytesTotal)
        {
            throw new SimulationQuotaExceededException(SimulationQuotaLimit.TotalSampleBytes, quota.SampleBytesTotal, total, sampleBytes);
        }
    }
}
