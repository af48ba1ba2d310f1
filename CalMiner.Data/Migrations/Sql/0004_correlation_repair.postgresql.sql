-- CalMiner schema, version 3: a simulation run may ask for its correlations to be repaired to the
-- nearest valid matrix when they contradict one another (otherwise such a run is refused).

ALTER TABLE simulation_run ADD COLUMN repair_correlations boolean NOT NULL DEFAULT false;
