-- Administration: the teams staff and cases belong to, the password links an administrator
-- hands to a staff member, and the organisation's texts as an administrator saved them.

-- Teams, by name: staff and cases name their team by it, and it never changes.
CREATE TABLE teams (
    name        TEXT PRIMARY KEY NOT NULL,
    description TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Every team already named by a staff member or a case is on the list.
INSERT OR IGNORE INTO teams (name, created_at)
SELECT team, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000000Z'
FROM (SELECT team FROM staff UNION SELECT team FROM cases)
WHERE team IS NOT NULL;

-- One-time links with which a staff member sets their password, by the SHA-256 digest of
-- their token. A staff member has at most one: a new link replaces the earlier ones.
CREATE TABLE password_links (
    digest     BLOB PRIMARY KEY NOT NULL,
    staff_id   BLOB NOT NULL REFERENCES staff (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX password_links_by_staff ON password_links (staff_id);
CREATE INDEX password_links_by_expiry ON password_links (expires_at);

-- The organisation's texts as an administrator last saved them: one row at most. Until the
-- first save the configuration file's values hold. Lists are JSON arrays of text.
CREATE TABLE organisation (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    name                TEXT NOT NULL,
    care_team           TEXT,
    first_response_days INTEGER NOT NULL,
    email               TEXT,
    phone               TEXT,
    opening_hours       TEXT NOT NULL DEFAULT '[]',
    postal_address      TEXT,
    products            TEXT NOT NULL DEFAULT '[]',
    locations           TEXT NOT NULL DEFAULT '[]',
    version             INTEGER NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          BLOB REFERENCES staff (id) ON DELETE SET NULL
);
