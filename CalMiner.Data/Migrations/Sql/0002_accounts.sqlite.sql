-- CalMiner schema, version 2: user accounts and their API keys.
-- The SQLite twin of 0002_accounts.postgresql.sql: the same tables, columns and rules, in STRICT tables.

CREATE TABLE app_user (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Trimmed and lower-cased by the repository, so the unique index makes emails unique ignoring case
    -- (SQLite's lower() lowers ASCII letters only, as the PostgreSQL twin's check does).
    email          TEXT NOT NULL CHECK (length(email) <= 254
                                        AND email LIKE '_%@%_'
                                        AND email NOT GLOB ('*[' || char(1) || '-' || char(32) || char(127) || ']*')
                                        AND email = lower(email)),
    -- NULL: the user cannot sign in with a password (e.g. an automation user with API keys only).
    password_hash  TEXT CHECK (trim(password_hash) <> '' AND length(password_hash) <= 1024),
    role           TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    created_at     TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX ux_app_user_email ON app_user (email);

-- Only the SHA-256 of a key's secret is stored; prefix is its first 8 characters after "cm_", for display.
CREATE TABLE api_key (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (trim(name) <> '' AND length(name) <= 100),
    prefix       TEXT NOT NULL CHECK (length(prefix) = 8 AND prefix NOT GLOB '*[^A-Za-z0-9_-]*'),
    secret_hash  BLOB NOT NULL CHECK (length(secret_hash) = 32),
    created_at   TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX ux_api_key_secret_hash ON api_key (secret_hash);
CREATE INDEX ix_api_key_user ON api_key (user_id, id);
