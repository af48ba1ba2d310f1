-- CalMiner schema: sign-in attempts per account, shared by every replica on this database.
-- Tables are unqualified: the migrator runs this with the search path set to DATABASE_SCHEMA.

-- One row per email address that has failed to sign in since its last success: the SHA-256 of the address as it is
-- looked up (so what a stranger typed is not kept), the attempts counted, and when the next one is allowed. A success
-- deletes the row; rows untouched for a day are dropped.
CREATE TABLE sign_in_throttle (
    account_key      text PRIMARY KEY CHECK (char_length(account_key) = 64),
    attempts         integer NOT NULL CHECK (attempts > 0),
    retry_at         timestamptz NOT NULL,
    last_attempt_at  timestamptz NOT NULL
);
CREATE INDEX ix_sign_in_throttle_last_attempt_at ON sign_in_throttle (last_attempt_at);
