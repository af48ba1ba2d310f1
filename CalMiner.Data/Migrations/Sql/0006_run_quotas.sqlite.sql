-- CalMiner schema: quotas on runs and their samples.
-- The SQLite twin of 0006_run_quotas.postgresql.sql.

ALTER TABLE simulation_run ADD COLUMN keep_samples INTEGER NOT NULL DEFAULT 1 CHECK (keep_samples IN (0, 1));
ALTER TABLE simulation_run ADD COLUMN sample_bytes INTEGER NOT NULL DEFAULT 0 CHECK (sample_bytes >= 0);
ALTER TABLE simulation_run ADD COLUMN samples_dropped_at TEXT;

UPDATE simulation_run
SET sample_bytes = coalesce((SELECT 8 * sum(value_count) FROM simulation_sample s WHERE s.run_id = simulation_run.id), 0);

CREATE INDEX ix_simulation_run_requested_by ON simulation_run (requested_by, status);
CREATE INDEX ix_simulation_run_samples ON simulation_run (scenario_id, id) WHERE sample_bytes > 0;
