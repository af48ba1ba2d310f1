-- CalMiner schema: quotas on runs and their samples. A run may be asked to keep no samples; each run
-- records the bytes of samples it holds (an estimate while it is queued or running, then what it
-- stored; 0 once failed, cancelled or dropped), which the per-user and total budgets add up; the
-- retention policy drops old runs' samples and records when, keeping their summaries.

ALTER TABLE simulation_run ADD COLUMN keep_samples boolean NOT NULL DEFAULT true;
ALTER TABLE simulation_run ADD COLUMN sample_bytes bigint NOT NULL DEFAULT 0 CHECK (sample_bytes >= 0);
ALTER TABLE simulation_run ADD COLUMN samples_dropped_at timestamptz;

UPDATE simulation_run r
SET sample_bytes = s.bytes
FROM (SELECT run_id, 8 * sum(value_count) AS bytes FROM simulation_sample GROUP BY run_id) s
WHERE s.run_id = r.id;

-- The budgets: what one user's runs hold, and the runs that still hold samples.
CREATE INDEX ix_simulation_run_requested_by ON simulation_run (requested_by, status);
CREATE INDEX ix_simulation_run_samples ON simulation_run (scenario_id, id) WHERE sample_bytes > 0;
