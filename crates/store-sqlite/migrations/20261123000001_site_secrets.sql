-- Secrets shared by every user of the database, created once: `site` keys the MACs of derived
-- tokens (e.g. a web form's tracking token, CSRF tokens).
CREATE TABLE site_secrets (
    name  TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL CHECK (length(value) = 32)
) WITHOUT ROWID;
