-- Secrets shared by every node, created once: `site` keys the MACs of derived tokens (e.g. a web
-- form's tracking token, CSRF tokens).
CREATE TABLE site_secrets (
    name  text PRIMARY KEY,
    value bytea NOT NULL CHECK (octet_length(value) = 32)
);
