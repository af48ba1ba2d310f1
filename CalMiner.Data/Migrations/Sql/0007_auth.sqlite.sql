-- CalMiner schema: sign-in attempts per account.
-- The SQLite twin of 0007_auth.postgresql.sql.

CREATE TABLE sign_in_throttle (
    account_key      TEXT PRIMARY KEY CHECK (length(account_key) = 64),
    attempts         INTEGER NOT NULL CHECK (attempts > 0),
    retry_at         TEXT NOT NULL,
    last_attempt_at  TEXT NOT NULL
) STRICT;
CREATE INDEX ix_sign_in_throttle_last_attempt_at ON sign_in_throttle (last_attempt_at);
