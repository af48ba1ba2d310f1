-- CalMiner schema, version 1: the scenario aggregate, its history, maintenance logs and simulation runs.
-- Tables are unqualified: the migrator runs this with the search path set to DATABASE_SCHEMA.
-- A bindable input is two columns, the number or the name of the parameter it is bound to; exactly one is set.
-- References to parameters are deferred to the end of the transaction, so a whole scenario can be
-- replaced in any order within one.

CREATE TABLE scenario (
    id                                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version                              integer NOT NULL CHECK (version >= 1),
    schema_version                       integer NOT NULL CHECK (schema_version = 1),
    name                                 text NOT NULL CHECK (btrim(name) <> ''),
    description                          text,
    currency                             text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    start_year                           integer NOT NULL CHECK (start_year BETWEEN 1900 AND 2200),
    periods                              integer NOT NULL CHECK (periods BETWEEN 1 AND 100),
    discount_rate                        double precision NOT NULL CHECK (discount_rate BETWEEN 0 AND 1),
    discounting                          text NOT NULL CHECK (discounting IN ('endOfPeriod', 'midPeriod')),
    mining_per_tonne                     double precision CHECK (mining_per_tonne >= 0),
    mining_per_tonne_parameter           text,
    processing_per_tonne                 double precision CHECK (processing_per_tonne >= 0),
    processing_per_tonne_parameter       text,
    general_and_admin_per_period         double precision CHECK (general_and_admin_per_period >= 0),
    general_and_admin_per_period_parameter text,
    carbon_price_per_tonne               double precision CHECK (carbon_price_per_tonne >= 0),
    carbon_price_per_tonne_parameter     text,
    tax_rate                             double precision CHECK (tax_rate BETWEEN 0 AND 1),
    tax_rate_parameter                   text,
    tax_loss_carry_forward               boolean NOT NULL,
    receivable_days                      double precision NOT NULL CHECK (receivable_days BETWEEN 0 AND 365),
    payable_days                         double precision NOT NULL CHECK (payable_days BETWEEN 0 AND 365),
    grade_factor                         double precision CHECK (grade_factor >= 0),
    grade_factor_parameter               text,
    throughput_factor                    double precision CHECK (throughput_factor >= 0),
    throughput_factor_parameter          text,
    operating_cost_factor                double precision CHECK (operating_cost_factor >= 0),
    operating_cost_factor_parameter      text,
    initial_capital_factor               double precision CHECK (initial_capital_factor >= 0),
    initial_capital_factor_parameter     text,
    sustaining_capital_factor            double precision CHECK (sustaining_capital_factor >= 0),
    sustaining_capital_factor_parameter  text,
    simulation_iterations                integer NOT NULL CHECK (simulation_iterations BETWEEN 1 AND 100000000),
    simulation_seed                      bigint NOT NULL,
    simulation_sampling                  text NOT NULL CHECK (simulation_sampling IN ('monteCarlo', 'latinHypercube')),
    convergence_metric                   text,
    convergence_relative_tolerance       double precision CHECK (convergence_relative_tolerance > 0),
    convergence_confidence               double precision CHECK (convergence_confidence > 0 AND convergence_confidence < 1),
    convergence_max_iterations           integer CHECK (convergence_max_iterations BETWEEN 1 AND 100000000),
    created_at                           timestamptz NOT NULL,
    created_by                           text NOT NULL,
    updated_at                           timestamptz NOT NULL,
    updated_by                           text NOT NULL,
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
           AND (convergence_metric IS NOT NULL OR (convergence_confidence IS NULL AND convergence_max_iterations IS NULL)))
);

CREATE INDEX ix_scenario_name ON scenario (lower(name), id);

CREATE TABLE parameter (
    scenario_id          bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    name                 text NOT NULL CHECK (name ~ '^[A-Za-z][A-Za-z0-9_]*$'),
    ordinal              integer NOT NULL CHECK (ordinal >= 0),
    value                double precision NOT NULL,
    unit                 text,
    description          text,
    distribution_type    text CHECK (distribution_type IN ('constant', 'normal', 'lognormal', 'uniform', 'triangular', 'pert', 'discrete', 'empirical')),
    distribution_value   double precision,
    distribution_mean    double precision,
    distribution_sd      double precision CHECK (distribution_sd > 0),
    distribution_min     double precision,
    distribution_mode    double precision,
    distribution_max     double precision,
    distribution_lambda  double precision CHECK (distribution_lambda > 0),
    distribution_p10     double precision,
    distribution_p50     double precision,
    distribution_p90     double precision,
    truncate_min         double precision,
    truncate_max         double precision,
    PRIMARY KEY (scenario_id, name),
    UNIQUE (scenario_id, ordinal),
    CHECK (distribution_min IS NULL OR distribution_max IS NULL OR distribution_min < distribution_max),
    CHECK (distribution_mode IS NULL OR ((distribution_min IS NULL OR distribution_mode >= distribution_min)
                                     AND (distribution_max IS NULL OR distribution_mode <= distribution_max))),
    CHECK (truncate_min IS NULL OR truncate_max IS NULL OR truncate_min < truncate_max),
    CHECK (distribution_type IS NOT NULL OR coalesce(distribution_value, distribution_mean, distribution_sd,
           distribution_min, distribution_mode, distribution_max, distribution_lambda, distribution_p10,
           distribution_p50, distribution_p90, truncate_min, truncate_max) IS NULL)
);

CREATE TABLE parameter_point (
    scenario_id     bigint NOT NULL,
    parameter_name  text NOT NULL,
    ordinal         integer NOT NULL CHECK (ordinal >= 0),
    value           double precision NOT NULL,
    weight          double precision CHECK (weight > 0),
    PRIMARY KEY (scenario_id, parameter_name, ordinal),
    FOREIGN KEY (scenario_id, parameter_name) REFERENCES parameter (scenario_id, name) ON DELETE CASCADE
);

CREATE TABLE correlation (
    scenario_id       bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal           integer NOT NULL CHECK (ordinal >= 0),
    parameter_a       text NOT NULL,
    parameter_b       text NOT NULL,
    rank_correlation  double precision NOT NULL CHECK (rank_correlation BETWEEN -1 AND 1),
    PRIMARY KEY (scenario_id, ordinal),
    CHECK (parameter_a <> parameter_b),
    FOREIGN KEY (scenario_id, parameter_a) REFERENCES parameter (scenario_id, name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (scenario_id, parameter_b) REFERENCES parameter (scenario_id, name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX ix_correlation_parameter_a ON correlation (scenario_id, parameter_a);
CREATE INDEX ix_correlation_parameter_b ON correlation (scenario_id, parameter_b);

CREATE TABLE product (
    scenario_id                     bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal                         integer NOT NULL CHECK (ordinal >= 0),
    name                            text NOT NULL CHECK (btrim(name) <> ''),
    grade_unit                      text NOT NULL CHECK (grade_unit IN ('g/t', 'ppm', '%')),
    payable_unit                    text NOT NULL CHECK (payable_unit IN ('oz', 'g', 'kg', 't', 'lb')),
    recovery                        double precision CHECK (recovery BETWEEN 0 AND 1),
    recovery_parameter              text,
    payability                      double precision CHECK (payability BETWEEN 0 AND 1),
    payability_parameter            text,
    price                           double precision CHECK (price >= 0),
    price_parameter                 text,
    selling_cost_per_unit           double precision CHECK (selling_cost_per_unit >= 0),
    selling_cost_per_unit_parameter text,
    is_primary                      boolean NOT NULL,
    PRIMARY KEY (scenario_id, ordinal),
    UNIQUE (scenario_id, name),
    CHECK ((recovery IS NULL) <> (recovery_parameter IS NULL)),
    CHECK ((payability IS NULL) <> (payability_parameter IS NULL)),
    CHECK ((price IS NULL) <> (price_parameter IS NULL)),
    CHECK ((selling_cost_per_unit IS NULL) <> (selling_cost_per_unit_parameter IS NULL))
);

-- At most one primary product per scenario (the repository checks there is one).
CREATE UNIQUE INDEX ux_product_primary ON product (scenario_id) WHERE is_primary;

CREATE TABLE schedule_period (
    scenario_id    bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    period         integer NOT NULL CHECK (period BETWEEN 0 AND 99),
    ordinal        integer NOT NULL CHECK (ordinal >= 0),
    ore_mined      double precision NOT NULL CHECK (ore_mined >= 0),
    waste_mined    double precision NOT NULL CHECK (waste_mined >= 0),
    ore_processed  double precision NOT NULL CHECK (ore_processed >= 0),
    PRIMARY KEY (scenario_id, period),
    UNIQUE (scenario_id, ordinal)
);

CREATE TABLE schedule_grade (
    scenario_id   bigint NOT NULL,
    period        integer NOT NULL,
    product_name  text NOT NULL,
    ordinal       integer NOT NULL CHECK (ordinal >= 0),
    grade         double precision NOT NULL CHECK (grade BETWEEN 0 AND 1000000),
    PRIMARY KEY (scenario_id, period, product_name),
    FOREIGN KEY (scenario_id, period) REFERENCES schedule_period (scenario_id, period) ON DELETE CASCADE,
    FOREIGN KEY (scenario_id, product_name) REFERENCES product (scenario_id, name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX ix_schedule_grade_product ON schedule_grade (scenario_id, product_name);

CREATE TABLE consumable (
    scenario_id              bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal                  integer NOT NULL CHECK (ordinal >= 0),
    name                     text NOT NULL CHECK (btrim(name) <> ''),
    unit                     text,
    driver                   text NOT NULL CHECK (driver IN ('tonneMined', 'tonneProcessed', 'operatingPeriod')),
    rate_per_driver          double precision CHECK (rate_per_driver >= 0),
    rate_per_driver_parameter text,
    unit_price               double precision CHECK (unit_price >= 0),
    unit_price_parameter     text,
    co2e_kg_per_unit         double precision NOT NULL CHECK (co2e_kg_per_unit >= 0),
    PRIMARY KEY (scenario_id, ordinal),
    UNIQUE (scenario_id, name),
    CHECK ((rate_per_driver IS NULL) <> (rate_per_driver_parameter IS NULL)),
    CHECK ((unit_price IS NULL) <> (unit_price_parameter IS NULL))
);

CREATE TABLE equipment (
    scenario_id                       bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal                           integer NOT NULL CHECK (ordinal >= 0),
    name                              text NOT NULL CHECK (btrim(name) <> ''),
    unit_count                        integer NOT NULL CHECK (unit_count BETWEEN 1 AND 10000),
    unit_cost                         double precision NOT NULL CHECK (unit_cost >= 0),
    purchase_period                   integer NOT NULL CHECK (purchase_period BETWEEN 0 AND 99),
    operating_cost_per_hour           double precision CHECK (operating_cost_per_hour >= 0),
    operating_cost_per_hour_parameter text,
    availability                      double precision NOT NULL CHECK (availability BETWEEN 0 AND 1),
    utilisation                       double precision NOT NULL CHECK (utilisation BETWEEN 0 AND 1),
    life_hours                        double precision NOT NULL CHECK (life_hours > 0),
    depreciation_years                integer NOT NULL CHECK (depreciation_years BETWEEN 1 AND 100),
    capacity_tonnes_per_hour          double precision CHECK (capacity_tonnes_per_hour > 0),
    PRIMARY KEY (scenario_id, ordinal),
    UNIQUE (scenario_id, name),
    CHECK ((operating_cost_per_hour IS NULL) <> (operating_cost_per_hour_parameter IS NULL))
);

CREATE TABLE capital_item (
    scenario_id         bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal             integer NOT NULL CHECK (ordinal >= 0),
    name                text NOT NULL CHECK (btrim(name) <> ''),
    category            text NOT NULL CHECK (category IN ('initial', 'sustaining', 'closure')),
    period              integer NOT NULL CHECK (period BETWEEN 0 AND 99),
    amount              double precision CHECK (amount >= 0),
    amount_parameter    text,
    contingency         double precision NOT NULL CHECK (contingency >= 0),
    depreciation_years  integer NOT NULL CHECK (depreciation_years BETWEEN 1 AND 100),
    PRIMARY KEY (scenario_id, ordinal),
    CHECK ((amount IS NULL) <> (amount_parameter IS NULL))
);

CREATE TABLE royalty (
    scenario_id     bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    ordinal         integer NOT NULL CHECK (ordinal >= 0),
    name            text NOT NULL CHECK (btrim(name) <> ''),
    rate            double precision CHECK (rate BETWEEN 0 AND 1),
    rate_parameter  text,
    basis           text NOT NULL CHECK (basis IN ('nsr', 'grossRevenue')),
    PRIMARY KEY (scenario_id, ordinal),
    CHECK ((rate IS NULL) <> (rate_parameter IS NULL))
);

-- Bound inputs refer to a parameter of the same scenario.
ALTER TABLE scenario
    ADD FOREIGN KEY (id, mining_per_tonne_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, processing_per_tonne_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, general_and_admin_per_period_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, carbon_price_per_tonne_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, tax_rate_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, grade_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, throughput_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, operating_cost_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, initial_capital_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (id, sustaining_capital_factor_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE product
    ADD FOREIGN KEY (scenario_id, recovery_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (scenario_id, payability_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (scenario_id, price_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (scenario_id, selling_cost_per_unit_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE consumable
    ADD FOREIGN KEY (scenario_id, rate_per_driver_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (scenario_id, unit_price_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE equipment
    ADD FOREIGN KEY (scenario_id, operating_cost_per_hour_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE capital_item
    ADD FOREIGN KEY (scenario_id, amount_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE royalty
    ADD FOREIGN KEY (scenario_id, rate_parameter) REFERENCES parameter (scenario_id, name) DEFERRABLE INITIALLY DEFERRED;

-- Every saved version of a scenario, as its JSON document, with who saved it, when and which fields changed.
CREATE TABLE scenario_version (
    scenario_id    bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    version        integer NOT NULL CHECK (version >= 1),
    saved_at       timestamptz NOT NULL,
    saved_by       text NOT NULL,
    changed_paths  text NOT NULL,
    document       text NOT NULL,
    PRIMARY KEY (scenario_id, version)
);

CREATE TABLE maintenance_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scenario_id     bigint NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    equipment_name  text NOT NULL CHECK (btrim(equipment_name) <> ''),
    period          integer NOT NULL CHECK (period BETWEEN 0 AND 99),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    planned         boolean NOT NULL,
    cost            double precision NOT NULL CHECK (cost >= 0),
    description     text,
    CHECK (ends_at > starts_at)
);

CREATE INDEX ix_maintenance_log_equipment ON maintenance_log (scenario_id, equipment_name, period, starts_at);

CREATE TABLE simulation_run (
    id                              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scenario_id                     bigint NOT NULL,
    scenario_version                integer NOT NULL,
    status                          text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    iterations                      integer NOT NULL CHECK (iterations BETWEEN 1 AND 100000000),
    seed                            bigint NOT NULL,
    sampling                        text NOT NULL CHECK (sampling IN ('monteCarlo', 'latinHypercube')),
    convergence_metric              text,
    convergence_relative_tolerance  double precision CHECK (convergence_relative_tolerance > 0),
    convergence_confidence          double precision CHECK (convergence_confidence > 0 AND convergence_confidence < 1),
    convergence_max_iterations      integer CHECK (convergence_max_iterations BETWEEN 1 AND 100000000),
    progress                        double precision NOT NULL CHECK (progress BETWEEN 0 AND 1),
    attempts                        integer NOT NULL CHECK (attempts >= 0),
    worker_id                       text,
    lease_expires_at                timestamptz,
    queued_at                       timestamptz NOT NULL,
    requested_by                    text NOT NULL,
    started_at                      timestamptz,
    finished_at                     timestamptz,
    error                           text,
    FOREIGN KEY (scenario_id) REFERENCES scenario (id) ON DELETE CASCADE,
    FOREIGN KEY (scenario_id, scenario_version) REFERENCES scenario_version (scenario_id, version) ON DELETE CASCADE,
    CHECK (status <> 'running' OR (worker_id IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CHECK ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);

CREATE INDEX ix_simulation_run_scenario ON simulation_run (scenario_id, scenario_version);
-- The queue: the oldest queued run first, and the leases to check for expiry.
CREATE INDEX ix_simulation_run_queue ON simulation_run (id) WHERE status = 'queued';
CREATE INDEX ix_simulation_run_lease ON simulation_run (lease_expires_at) WHERE status = 'running';

CREATE TABLE simulation_result (
    run_id      bigint PRIMARY KEY REFERENCES simulation_run (id) ON DELETE CASCADE,
    iterations  integer NOT NULL CHECK (iterations >= 1),
    summary     text NOT NULL,
    created_at  timestamptz NOT NULL
);

-- The samples of a run: per input or output, its values in iteration order, cut into chunks of
-- at most 65 536 little-endian IEEE 754 doubles.
CREATE TABLE simulation_sample (
    run_id       bigint NOT NULL REFERENCES simulation_run (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('output', 'input')),
    name         text NOT NULL CHECK (name <> ''),
    chunk        integer NOT NULL CHECK (chunk >= 0),
    value_count  integer NOT NULL CHECK (value_count BETWEEN 1 AND 65536),
    data         bytea NOT NULL CHECK (octet_length(data) = 8 * value_count),
    PRIMARY KEY (run_id, kind, name, chunk)
);

-- Samples are random doubles: compressing them costs time and saves nothing.
ALTER TABLE simulation_sample ALTER COLUMN data SET STORAGE EXTERNAL;
