-- CalMiner schema, version 1: the scenario aggregate, its history, maintenance logs and simulation runs.
-- The SQLite twin of 0001_initial.postgresql.sql: the same tables, columns and rules, in STRICT tables.
-- A bindable input is two columns, the number or the name of the parameter it is bound to; exactly one is set.
-- References to parameters are deferred to the end of the transaction, so a whole scenario can be
-- replaced in any order within one.

CREATE TABLE scenario (
    id                                   INTEGER PRIMARY KEY AUTOINCREMENT,
    version                              INTEGER NOT NULL CHECK (version >= 1),
    schema_version                       INTEGER NOT NULL CHECK (schema_version = 1),
    name                                 TEXT NOT NULL CHECK (trim(name) <> ''),
    description                          TEXT,
    currency                             TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    start_year                           INTEGER NOT NULL CHECK (start_year BETWEEN 1900 AND 2200),
    periods                              INTEGER NOT NULL CHECK (periods BETWEEN 1 AND 100),
    discount_rate                        REAL NOT NULL CHECK (discount_rate BETWEEN 0 AND 1),
    discounting                          TEXT NOT NULL CHECK (discounting IN ('endOfPeriod', 'midPeriod')),
    mining_per_tonne                     REAL CHECK (mining_per_tonne >= 0),
    mining_per_tonne_parameter           TEXT,
    processing_per_tonne                 REAL CHECK (processing_per_tonne >= 0),
    processing_per_tonne_parameter       TEXT,
    general_and_admin_per_period         REAL CHECK (general_and_admin_per_period >= 0),
    general_and_admin_per_period_parameter TEXT,
    carbon_price_per_tonne               REAL CHECK (carbon_price_per_tonne >= 0),
    carbon_price_per_tonne_parameter     TEXT,
    tax_rate                             REAL CHECK (tax_rate BETWEEN 0 AND 1),
    tax_rate_parameter                   TEXT,
    tax_loss_carry_forward               INTEGER NOT NULL CHECK (tax_loss_carry_forward IN (0, 1)),
    receivable_days                      REAL NOT NULL CHECK (receivable_days BETWEEN 0 AND 365),
    payable_days                         REAL NOT NULL CHECK (payable_days BETWEEN 0 AND 365),
    grade_factor                         REAL CHECK (grade_factor >= 0),
    grade_factor_parameter               TEXT,
    throughput_factor                    REAL CHECK (throughput_factor >= 0),
    throughput_factor_parameter          TEXT,
    operating_cost_factor                REAL CHECK (operating_cost_factor >= 0),
    operating_cost_factor_parameter      TEXT,
    initial_capital_factor               REAL CHECK (initial_capital_factor >= 0),
    initial_capital_factor_parameter     TEXT,
    sustaining_capital_factor            REAL CHECK (sustaining_capital_factor >= 0),
    sustaining_capital_factor_parameter  TEXT,
    simulation_iterations                INTEGER NOT NULL CHECK (simulation_iterations BETWEEN 1 AND 100000000),
    simulation_seed                      INTEGER NOT NULL,
    simulation_sampling                  TEXT NOT NULL CHECK (simulation_sampling IN ('monteCarlo', 'latinHypercube')),
    convergence_metric                   TEXT,
    convergence_relative_tolerance       REAL CHECK (convergence_relative_tolerance > 0),
    convergence_confidence               REAL CHECK (convergence_confidence > 0 AND convergence_confidence < 1),
    convergence_max_iterations           INTEGER CHECK (convergence_max_iterations BETWEEN 1 AND 100000000),
    created_at                           TEXT NOT NULL,
    created_by                           TEXT NOT NULL,
    updated_at                           TEXT NOT NULL,
    updated_by                           TEXT NOT NULL,
    CHECK ((mining_per_tonne IS NULL) <> (mining_per_tonne_parameter IS NULL)),
    CHECK ((processing_per_tonne IS NULL) <> (processing_per_tonne_parameter IS NULL)),
    CHECK ((general_and_admin_per_period IS NULL) <> (general_and_admin_per_period_parameter IS NULL)),
    CHECK ((carbon_price_per_tonne IS NULL) <> (carbon_price_per_tonne_parameter IS NULL)),
    CHECK ((tax_rate IS NULL) <> (tax_rate_parameter IS NULL)),
    CHECK ((grade_factor IS NULL) <> (grade_factor_parameter IS NULL)),
    CHECK ((throughput_factor IS NULL) <> (throughput_factor_parameter IS NULL)),
    CHECK ((operating_cost_factor IS NULL) <> (operating_cost_factor_parameter IS NULL)),
    CHECK ((initial_capital_factor IS NULL) <> (initial_capital_factor_parameter IS NULL)),
    CHECK ((sustaining_capital_factor IS NULL) <> (sustaining_capital_factor_parameter IS NULL)),
    CHECK ((convergence_metric IS NULL) = (convergence_relative_tolerance IS NULL)
           AND (convergence_metric IS NOT NULL OR (convergence_confidence IS NULL AND convergence_max_iterations IS NULL))),
    FOREIGN KEY (id, mining_per_tonne_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, processing_per_tonne_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, general_and_admin_per_period_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, carbon_price_per_tonne_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, tax_rate_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, grade_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, throughput_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, operating_cost_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, initial_capital_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (id, sustaining_capital_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX ix_scenario_name ON scenario (lower(name), id);

CREATE TABLE parameter (
    scenario_id          INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL CHECK (name GLOB '[A-Za-z]*' AND name NOT GLOB '*[^A-Za-z0-9_]*'),
    ordinal              INTEGER NOT NULL CHECK (ordinal >= 0),
    value                REAL NOT NULL,
    unit                 TEXT,
    description          TEXT,
    distribution_type    TEXT CHECK (distribution_type IN ('constant', 'normal', 'lognormal', 'uniform', 'triangular', 'pert', 'discrete', 'empirical')),
    distribution_value   REAL,
    distribution_mean    REAL,
    distribution_sd      REAL CHECK (distribution_sd > 0),
    distribution_min     REAL,
    distribution_mode    REAL,
    distribution_max     REAL,
    distribution_lambda  REAL CHECK (distribution_lambda > 0),
    distribution_p10     REAL,
    distribution_p50     REAL,
    distribution_p90     REAL,
    truncate_min         REAL,
    truncate_max         REAL,
    PRIMARY KEY (scenario_id, name),
    UNIQUE (scenario_id, ordinal),
    CHECK (distribution_min IS NULL OR distribution_max IS NULL OR distribution_min < distribution_max),
    CHECK (distribution_mode IS NULL OR ((distribution_min IS NULL OR distribution_mode >= distribution_min)
                                     AND (distribution_max IS NULL OR distribution_mode <= distribution_max))),
    CHECK (truncate_min IS NULL OR truncate_max IS NULL OR truncate_min < truncate_max),
    CHECK (distribution_type IS NOT NULL OR coalesce(distribution_value, distribution_mean, distribution_sd,
           distribution_min, distribution_mode, distribution_max, distribution_lambda, distribution_p10,
           distribution_p50, distribution_p90, truncate_min, truncate_max) IS NULL)
) STRICT;

CREATE TABLE parameter_point (
    scenario_id     INTEGER NOT NULL,
    parameter_name  TEXT NOT NULL,
    ordinal         INTEGER NOT NULL CHECK (ordinal >= 0),
    value           REAL NOT NULL,
    weight          REAL CHECK (weight > 0),
    PRIMARY KEY (scenario_id, parameter_name, ordinal),
    FOREIGN KEY (scenario_id, parameter_name) REFERENCES parameter (scenario_id, name) ON DELETE CASCADE
) STRICT;

CREATE TABLE correlation (
    scenario_id       INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal           INTEGER NOT NULL CHECK (ordinal >= 0),
    parameter_a       TEXT NOT NULL,
    parameter_b       TEXT NOT NULL,
    rank_correlation  REAL NOT NULL CHECK (rank_correlation BETWEEN -1 AND 1),
    PRIMARY KEY (scenario_id, ordinal),
    CHECK (parameter_a <> parameter_b),
    FOREIGN KEY (scenario_id, parameter_a) REFERENCES parameter (scenario_id, name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (scenario_id, parameter_b) REFERENCES parameter (scenario_id, name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX ix_correlation_parameter_a ON correlation (scenario_id, parameter_a);
CREATE INDEX ix_correlation_parameter_b ON correlation (scenario_id, parameter_b);

CREATE TABLE product (
    scenario_id                     INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal                         INTEGER NOT NULL CHECK (ordinal >= 0),
    name                            TEXT NOT NULL CHECK (trim(name) <> ''),
    grade_unit                      TEXT NOT NULL CHECK (grade_unit IN ('g/t', 'ppm', '%')),
    payable_unit                    TEXT NOT NULL CHECK (payable_unit IN ('oz', 'g', 'kg', 't', 'lb')),
    recovery                        REAL CHECK (recovery BETWEEN 0 AND 1),
    recovery_parameter              TEXT,
    payability                      REAL CHECK (payability BETWEEN 0 AND 1),
    payability_parameter            TEXT,
    price                           REAL CHECK (price >= 0),
    price_parameter                 TEXT,
    selling_cost_per_unit           REAL CHECK (selling_cost_per_unit >= 0),
    selling_cost_per_unit_parameter TEXT,
    is_primary                      INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
    PRIMARY KEY (scenario_id, ordinal),
    UNIQUE (scenario_id, name),
    CHECK ((recovery IS NULL) <> (recovery_parameter IS NULL)),
    CHECK ((payability IS NULL) <> (payability_parameter IS NULL)),
    CHECK ((price IS NULL) <> (price_parameter IS NULL)),
    CHECK ((selling_cost_per_unit IS NULL) <> (selling_cost_per_unit_parameter IS NULL)),
    FOREIGN KEY (scenario_id, recovery_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (scenario_id, payability_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (scenario_id, price_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (scenario_id, selling_cost_per_unit_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- At most one primary product per scenario (the repository checks there is one).
CREATE UNIQUE INDEX ux_product_primary ON product (scenario_id) WHERE is_primary = 1;

CREATE TABLE schedule_period (
    scenario_id    INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    period         INTEGER NOT NULL CHECK (period BETWEEN 0 AND 99),
    ordinal        INTEGER NOT NULL CHECK (ordinal >= 0),
    ore_mined      REAL NOT NULL CHECK (ore_mined >= 0),
    waste_mined    REAL NOT NULL CHECK (waste_mined >= 0),
    ore_processed  REAL NOT NULL CHECK (ore_processed >= 0),
    PRIMARY KEY (scenario_id, period),
    UNIQUE (scenario_id, ordinal)
) STRICT;

CREATE TABLE schedule_grade (
    scenario_id   INTEGER NOT NULL,
    period        INTEGER NOT NULL,
    product_name  TEXT NOT NULL,
    ordinal       INTEGER NOT NULL CHECK (ordinal >= 0),
    grade         REAL NOT NULL CHECK (grade BETWEEN 0 AND 1000000),
    PRIMARY KEY (scenario_id, period, product_name),
    FOREIGN KEY (scenario_id, period) REFERENCES schedule_period (scenario_id, period) ON DELETE CASCADE,
    FOREIGN KEY (scenario_id, product_name) REFERENCES product (scenario_id, name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX ix_schedule_grade_product ON schedule_grade (scenario_id, product_name);

CREATE TABLE consumable (
    scenario_id              INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal                  INTEGER NOT NULL CHECK (ordinal >= 0),
    name                     TEXT NOT NULL CHECK (trim(name) <> ''),
    unit                     TEXT,
    driver                   TEXT NOT NULL CHECK (driver IN ('tonneMined', 'tonneProcessed', 'operatingPeriod')),
    rate_per_driver          REAL CHECK (rate_per_driver >= 0),
    rate_per_driver_parameter TEXT,
    unit_price               REAL CHECK (unit_price >= 0),
    unit_price_parameter     TEXT,
    co2e_kg_per_unit         REAL NOT NULL CHECK (co2e_kg_per_unit >= 0),
    PRIMARY KEY (scenario_id, ordinal),
    UNIQUE (scenario_id, name),
    CHECK ((rate_per_driver IS NULL) <> (rate_per_driver_parameter IS NULL)),
    CHECK ((unit_price IS NULL) <> (unit_price_parameter IS NULL)),
    FOREIGN KEY (scenario_id, rate_per_driver_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (scenario_id, unit_price_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE equipment (
    scenario_id                       INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal                           INTEGER NOT NULL CHECK (ordinal >= 0),
    name                              TEXT NOT NULL CHECK (trim(name) <> ''),
    unit_count                        INTEGER NOT NULL CHECK (unit_count BETWEEN 1 AND 10000),
    unit_cost                         REAL NOT NULL CHECK (unit_cost >= 0),
    purchase_period                   INTEGER NOT NULL CHECK (purchase_period BETWEEN 0 AND 99),
    operating_cost_per_hour           REAL CHECK (operating_cost_per_hour >= 0),
    operating_cost_per_hour_parameter TEXT,
    availability                      REAL NOT NULL CHECK (availability BETWEEN 0 AND 1),
    utilisation                       REAL NOT NULL CHECK (utilisation BETWEEN 0 AND 1),
    life_hours                        REAL NOT NULL CHECK (life_hours > 0),
    depreciation_years                INTEGER NOT NULL CHECK (depreciation_years BETWEEN 1 AND 100),
    capacity_tonnes_per_hour          REAL CHECK (capacity_tonnes_per_hour > 0),
    PRIMARY KEY (scenario_id, ordinal),
    UNIQUE (scenario_id, name),
    CHECK ((operating_cost_per_hour IS NULL) <> (operating_cost_per_hour_parameter IS NULL)),
    FOREIGN KEY (scenario_id, operating_cost_per_hour_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE capital_item (
    scenario_id         INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal             INTEGER NOT NULL CHECK (ordinal >= 0),
    name                TEXT NOT NULL CHECK (trim(name) <> ''),
    category            TEXT NOT NULL CHECK (category IN ('initial', 'sustaining', 'closure')),
    period              INTEGER NOT NULL CHECK (period BETWEEN 0 AND 99),
    amount              REAL CHECK (amount >= 0),
    amount_parameter    TEXT,
    contingency         REAL NOT NULL CHECK (contingency >= 0),
    depreciation_years  INTEGER NOT NULL CHECK (depreciation_years BETWEEN 1 AND 100),
    PRIMARY KEY (scenario_id, ordinal),
    CHECK ((amount IS NULL) <> (amount_parameter IS NULL)),
    FOREIGN KEY (scenario_id, amount_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE royalty (
    scenario_id     INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal         INTEGER NOT NULL CHECK (ordinal >= 0),
    name            TEXT NOT NULL CHECK (trim(name) <> ''),
    rate            REAL CHECK (rate BETWEEN 0 AND 1),
    rate_parameter  TEXT,
    basis           TEXT NOT NULL CHECK (basis IN ('nsr', 'grossRevenue')),
    PRIMARY KEY (scenario_id, ordinal),
    CHECK ((rate IS NULL) <> (rate_parameter IS NULL)),
    FOREIGN KEY (scenario_id, rate_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- Every saved version of a scenario, as its JSON document, with who saved it, when and which fields changed.
CREATE TABLE scenario_version (
    scenario_id    INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL CHECK (version >= 1),
    saved_at       TEXT NOT NULL,
    saved_by       TEXT NOT NULL,
    changed_paths  TEXT NOT NULL,
    document       TEXT NOT NULL,
    PRIMARY KEY (scenario_id, version)
) STRICT;

CREATE TABLE maintenance_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id     INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    equipment_name  TEXT NOT NULL CHECK (trim(equipment_name) <> ''),
    period          INTEGER NOT NULL CHECK (period BETWEEN 0 AND 99),
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    planned         INTEGER NOT NULL CHECK (planned IN (0, 1)),
    cost            REAL NOT NULL CHECK (cost >= 0),
    description     TEXT,
    CHECK (ends_at > starts_at)
) STRICT;

CREATE INDEX ix_maintenance_log_equipment ON maintenance_log (scenario_id, equipment_name, period, starts_at);

CREATE TABLE simulation_run (
    id                              INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id                     INTEGER NOT NULL,
    scenario_version                INTEGER NOT NULL,
    status                          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    iterations                      INTEGER NOT NULL CHECK (iterations BETWEEN 1 AND 100000000),
    seed                            INTEGER NOT NULL,
    sampling                        TEXT NOT NULL CHECK (sampling IN ('monteCarlo', 'latinHypercube')),
    convergence_metric              TEXT,
    convergence_relative_tolerance  REAL CHECK (convergence_relative_tolerance > 0),
    convergence_confidence          REAL CHECK (convergence_confidence > 0 AND convergence_confidence < 1),
    convergence_max_iterations      INTEGER CHECK (convergence_max_iterations BETWEEN 1 AND 100000000),
    progress                        REAL NOT NULL CHECK (progress BETWEEN 0 AND 1),
    attempts                        INTEGER NOT NULL CHECK (attempts >= 0),
    worker_id                       TEXT,
    lease_expires_at                TEXT,
    queued_at                       TEXT NOT NULL,
    requested_by                    TEXT NOT NULL,
    started_at                      TEXT,
    finished_at                     TEXT,
    error                           TEXT,
    FOREIGN KEY (scenario_id) REFERENCES scenario (id) ON DELETE CASCADE,
    FOREIGN KEY (scenario_id, scenario_version) REFERENCES scenario_version (scenario_id, version) ON DELETE CASCADE,
    CHECK (status <> 'running' OR (worker_id IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CHECK ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
    CHECK (status <> 'failed' OR error IS NOT NULL)
) STRICT;

CREATE INDEX ix_simulation_run_scenario ON simulation_run (scenario_id, scenario_version);
-- The queue: the oldest queued run first, and the leases to check for expiry.
CREATE INDEX ix_simulation_run_queue ON simulation_run (id) WHERE status = 'queued';
CREATE INDEX ix_simulation_run_lease ON simulation_run (lease_expires_at) WHERE status = 'running';

CREATE TABLE simulation_result (
    run_id      INTEGER PRIMARY KEY REFERENCES simulation_run (id) ON DELETE CASCADE,
    iterations  INTEGER NOT NULL CHECK (iterations >= 1),
    summary     TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- The samples of a run: per input or output, its values in iteration order, cut into chunks of
-- at most 65 536 little-endian IEEE 754 doubles.
CREATE TABLE simulation_sample (
    run_id       INTEGER NOT NULL REFERENCES simulation_run (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('output', 'input')),
    name         TEXT NOT NULL CHECK (name <> ''),
    chunk        INTEGER NOT NULL CHECK (chunk >= 0),
    value_count  INTEGER NOT NULL CHECK (value_count BETWEEN 1 AND 65536),
    data         BLOB NOT NULL CHECK (length(data) = 8 * value_count),
    PRIMARY KEY (run_id, kind, name, chunk)
) STRICT;

