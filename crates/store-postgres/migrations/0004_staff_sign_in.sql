-- Staff sign in with an email and a password: the argon2id hash (a PHC string), the count of
-- consecutive failed attempts and until when further attempts are refused.
ALTER TABLE staff
    ADD COLUMN password_hash   text,
    ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until    timestamptz;

-- Signed-in sessions, by the SHA-256 digest of their token (the token itself is never stored).
-- A session ends at `expires_at`, which using it moves on (within its absolute lifetime).
CREATE TABLE staff_sessions (
    digest       bytea PRIMARY KEY,
    staff_id     uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expires_idx ON staff_sessions (expires_at);

-- The first run's one-time setup links, by the SHA-256 digest of their token.
CREATE TABLE setup_tokens (
    digest     bytea PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
