-- CalMiner schema, version 3: what sign-in sessions rest on.
-- Tables are unqualified: the migrator runs this with the search path set to DATABASE_SCHEMA.

-- Replaced whenever the user's password is set: a sign-in cookie carries the stamp it was issued with,
-- and one with another stamp is refused, so a new password ends the sessions opened with the old one.
-- The default is volatile, so each existing user gets a stamp of their own.
ALTER TABLE app_user ADD COLUMN security_stamp text NOT NULL DEFAULT md5(random()::text);

-- ASP.NET Core's data-protection key ring, one XML element per key or revocation: every host on this
-- database reads and writes the same keys, so a sign-in cookie outlives restarts and works on every replica.
-- The XML is encrypted with a certificate when the host has one (required in Production).
CREATE TABLE data_protection_key (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name  text NOT NULL CHECK (char_length(friendly_name) <= 256),
    xml            text NOT NULL CHECK (btrim(xml) <> ''),
    created_at     timestamptz NOT NULL
);
