-- CalMiner schema, version 5: workspaces (who may see and change which scenarios), soft-deleted
-- scenarios and the audit log. Everything that exists moves into the workspace "Default".
-- Tables are unqualified: the migrator runs this with the search path set to DATABASE_SCHEMA.

CREATE TABLE workspace (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (btrim(name) = name AND name <> '' AND char_length(name) <= 100),
    created_at  timestamptz NOT NULL
);

-- The first workspace of a database, id 1: where scenarios go when nobody names one.
INSERT INTO workspace (name, created_at) VALUES ('Default', now());

-- A user's role in a workspace: viewer reads, analyst also writes, owner also reads the audit log
-- and restores deleted scenarios. Admins (app_user.role) are owners of every workspace without a row here.
CREATE TABLE workspace_member (
    workspace_id  bigint NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role          text NOT NULL CHECK (role IN ('viewer', 'analyst', 'owner')),
    PRIMARY KEY (workspace_id, user_id)
);

CREATE INDEX ix_workspace_member_user ON workspace_member (user_id);

-- Every existing user keeps what they could do, now in the default workspace.
INSERT INTO workspace_member (workspace_id, user_id, role)
SELECT 1, id, CASE role WHEN 'admin' THEN 'owner' ELSE role END FROM app_user;

ALTER TABLE scenario ADD COLUMN workspace_id bigint NOT NULL DEFAULT 1 REFERENCES workspace (id);
ALTER TABLE scenario ALTER COLUMN workspace_id DROP DEFAULT;

-- A deleted scenario keeps its rows until it is purged after the retention period; until then an owner may restore it.
ALTER TABLE scenario ADD COLUMN deleted_at timestamptz;
ALTER TABLE scenario ADD COLUMN deleted_by text;
ALTER TABLE scenario ADD CHECK ((deleted_at IS NULL) = (deleted_by IS NULL));

CREATE INDEX ix_scenario_workspace ON scenario (workspace_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_scenario_deleted ON scenario (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL;

-- One row per write, in the write's own transaction. No foreign keys: the record outlives the user,
-- the scenario or the run it names.
CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL,
    user_id         bigint,
    actor           text NOT NULL CHECK (actor <> ''),
    action          text NOT NULL CHECK (action ~ '^[a-z-]+\.[a-z-]+$'),
    target_id       bigint,
    workspace_id    bigint,
    summary         text NOT NULL,
    remote_address  text,
    user_agent      text
);

CREATE INDEX ix_audit_log_workspace ON audit_log (workspace_id, id);
CREATE INDEX ix_audit_log_at ON audit_log (at);
