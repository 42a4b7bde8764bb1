-- Staff sign in with an email and a password: the argon2id hash (a PHC string), the count of
-- consecutive failed attempts and until when further attempts are refused.
ALTER TABLE staff ADD COLUMN password_hash TEXT;
ALTER TABLE staff ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked_until TEXT;

-- Signed-in sessions, by the SHA-256 digest of their token (the token itself is never stored).
-- A session ends at `expires_at`, which using it moves on (within its absolute lifetime).
-- Timestamps as everywhere: UTC text whose order is time order.
CREATE TABLE staff_sessions (
    digest       BLOB PRIMARY KEY NOT NULL,
    staff_id     BLOB NOT NULL REFERENCES staff (id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires_at);

-- The first run's one-time setup links, by the SHA-256 digest of their token.
CREATE TABLE setup_tokens (
    digest     BLOB PRIMARY KEY NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
