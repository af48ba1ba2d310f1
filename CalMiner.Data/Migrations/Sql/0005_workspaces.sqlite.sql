-- CalMiner schema, version 5: workspaces, soft-deleted scenarios and the audit log.
-- The SQLite twin of 0005_workspaces.postgresql.sql. SQLite adds a NOT NULL column only with a
-- constant default and a referencing column only with a NULL default, so scenario.workspace_id keeps
-- the default 1 and no foreign key: the repository always sets it to a workspace that exists.

CREATE TABLE workspace (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE CHECK (trim(name) = name AND name <> '' AND length(name) <= 100),
    created_at  TEXT NOT NULL
) STRICT;

INSERT INTO workspace (name, created_at) VALUES ('Default', strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'));

CREATE TABLE workspace_member (
    workspace_id  INTEGER NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'owner')),
    PRIMARY KEY (workspace_id, user_id)
) STRICT;

CREATE INDEX ix_workspace_member_user ON workspace_member (user_id);

INSERT INTO workspace_member (workspace_id, user_id, role)
SELECT 1, id, CASE role WHEN 'admin' THEN 'owner' ELSE role END FROM app_user;

ALTER TABLE scenario ADD COLUMN workspace_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE scenario ADD COLUMN deleted_at TEXT;
ALTER TABLE scenario ADD COLUMN deleted_by TEXT CHECK ((deleted_at IS NULL) = (deleted_by IS NULL));

CREATE INDEX ix_scenario_workspace ON scenario (workspace_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_scenario_deleted ON scenario (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    user_id         INTEGER,
    actor           TEXT NOT NULL CHECK (actor <> ''),
    action          TEXT NOT NULL CHECK (action GLOB '[a-z]*.[a-z]*' AND action NOT GLOB '*[^a-z.-]*'),
    target_id       INTEGER,
    workspace_id    INTEGER,
    summary         TEXT NOT NULL,
    remote_address  TEXT,
    user_agent      TEXT
) STRICT;

CREATE INDEX ix_audit_log_workspace ON audit_log (workspace_id, id);
CREATE INDEX ix_audit_log_at ON audit_log (at);
