-- CalMiner schema, version 3: a simulation run may ask for its correlations to be repaired to the
-- nearest valid matrix when they contradict one another (otherwise such a run is refused).
-- The SQLite twin of 0003_correlation_repair.postgresql.sql.

ALTER TABLE simulation_run ADD COLUMN repair_correlations INTEGER NOT NULL DEFAULT 0 CHECK (repair_correlations IN (0, 1));
