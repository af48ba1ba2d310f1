-- CalMiner schema, version 2: user accounts and their API keys.
-- Tables are unqualified: the migrator runs this with the search path set to DATABASE_SCHEMA.
-- The CHECK constraints mirror UserRepository's and ApiKeyRepository's validation.

CREATE TABLE app_user (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Trimmed and lower-cased by the repository, so the unique index makes emails unique ignoring case.
    -- The lower-case check uses the "C" collation, which lowers ASCII letters only: the same rule on every server locale.
    email          text NOT NULL CHECK (char_length(email) <= 254
                                        AND email LIKE '_%@%_'
                                        AND email !~ '[\x01-\x20\x7f]'
                                        AND email = lower(email COLLATE "C")),
    -- NULL: the user cannot sign in with a password (e.g. an automation user with API keys only).
    password_hash  text CHECK (btrim(password_hash) <> '' AND char_length(password_hash) <= 1024),
    role           text NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    created_at     timestamptz NOT NULL
);

CREATE UNIQUE INDEX ux_app_user_email ON app_user (email);

-- Only the SHA-256 of a key's secret is stored; prefix is its first 8 characters after "cm_", for display.
CREATE TABLE api_key (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 100),
    prefix       text NOT NULL CHECK (prefix ~ '^[A-Za-z0-9_-]{8}$'),
    secret_hash  bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    created_at   timestamptz NOT NULL
);

CREATE UNIQUE INDEX ux_api_key_secret_hash ON api_key (secret_hash);
CREATE INDEX ix_api_key_user ON api_key (user_id, id);
