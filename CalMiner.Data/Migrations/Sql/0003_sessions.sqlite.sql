-- CalMiner schema, version 3: what sign-in sessions rest on.
-- The SQLite twin of 0003_sessions.postgresql.sql.

-- Replaced whenever the user's password is set: a sign-in cookie carries the stamp it was issued with,
-- and one with another stamp is refused. SQLite adds a NOT NULL column only with a constant default,
-- so existing users get '' for a moment, then a random stamp each.
ALTER TABLE app_user ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
UPDATE app_user SET security_stamp = lower(hex(randomblob(16)));

-- ASP.NET Core's data-protection key ring, one XML element per key or revocation, shared by every host on this database.
CREATE TABLE data_protection_key (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name  TEXT NOT NULL CHECK (length(friendly_name) <= 256),
    xml            TEXT NOT NULL CHECK (trim(xml) <> ''),
    created_at     TEXT NOT NULL
) STRICT;
