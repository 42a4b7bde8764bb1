-- Administration: the teams staff and cases belong to, the password links an administrator
-- hands to a staff member, and the organisation's texts as an administrator saved them.

-- Teams, by name: staff and cases name their team by it, and it never changes.
CREATE TABLE teams (
    name        text PRIMARY KEY,
    description text,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL
);

-- Every team already named by a staff member or a case is on the list.
INSERT INTO teams (name, created_at)
SELECT team, date_trunc('milliseconds', now())
FROM (SELECT team FROM staff UNION SELECT team FROM cases) AS named
WHERE team IS NOT NULL
ON CONFLICT (name) DO NOTHING;

-- One-time links with which a staff member sets their password, by the SHA-256 digest of
-- their token. A staff member has at most one: a new link replaces the earlier ones.
CREATE TABLE password_links (
    digest     bytea PRIMARY KEY,
    staff_id   uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX password_links_staff_idx ON password_links (staff_id);
CREATE INDEX password_links_expires_idx ON password_links (expires_at);

-- The organisation's texts as an administrator last saved them: one row at most. Until the
-- first save the configuration file's values hold.
CREATE TABLE organisation (
    id                  integer PRIMARY KEY CHECK (id = 1),
    name                text NOT NULL,
    care_team           text,
    first_response_days integer NOT NULL,
    email               text,
    phone               text,
    opening_hours       jsonb NOT NULL DEFAULT '[]',
    postal_address      text,
    products            jsonb NOT NULL DEFAULT '[]',
    locations           jsonb NOT NULL DEFAULT '[]',
    version             integer NOT NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          uuid REFERENCES staff (id) ON DELETE SET NULL
);
