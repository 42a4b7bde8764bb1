-- Private links to a case sent to its customer by mail (`OutboxStore::add_case_link`): each mail
-- carries a link of its own, kept only as a digest like the first tracking token, so that a
-- customer reaches their case from any of our messages without us keeping any token readable.
CREATE TABLE case_links (
    digest     bytea PRIMARY KEY, -- SHA-256 of the token in the link
    case_id    uuid NOT NULL REFERENCES cases (id),
    created_at timestamptz NOT NULL
);

CREATE INDEX case_links_by_case ON case_links (case_id);
