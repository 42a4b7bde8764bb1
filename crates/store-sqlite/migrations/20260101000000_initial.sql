-- Redress on SQLite: the initial schema.
--
-- Conventions:
-- - ids are UUIDv7 stored as 16-byte BLOBs, so byte order is creation order ("newest first" is
--   `ORDER BY id DESC` on an index);
-- - timestamps are UTC text with nine fraction digits (2026-01-02T03:04:05.123456789Z): exact
--   and sorting correctly as text; dates are YYYY-MM-DD text;
-- - enums are their snake_case names, as the domain writes them;
-- - lists inside a row are JSON arrays.

CREATE TABLE customers (
    id                BLOB PRIMARY KEY NOT NULL,
    name              TEXT,
    preferred_channel TEXT,
    language          TEXT,
    important_dates   TEXT NOT NULL DEFAULT '[]', -- JSON [{label, date}]
    preferences       TEXT NOT NULL DEFAULT '[]', -- JSON [text]
    dislikes          TEXT NOT NULL DEFAULT '[]', -- JSON [text]
    external_ref      TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) WITHOUT ROWID;

-- How customers are recognised: the source of truth for email addresses and phone numbers.
-- `value` is as the customer wrote it; `match_key` is the domain's matching key.
CREATE TABLE customer_contacts (
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    match_key   TEXT NOT NULL,
    customer_id BLOB NOT NULL REFERENCES customers (id),
    position    INTEGER NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (kind, match_key)
) WITHOUT ROWID;

CREATE INDEX customer_contacts_by_customer ON customer_contacts (customer_id, kind, position);

CREATE TABLE cases (
    pk           INTEGER PRIMARY KEY, -- stable rowid for the search index
    id           BLOB NOT NULL UNIQUE,
    reference    TEXT NOT NULL UNIQUE,
    token_digest BLOB NOT NULL UNIQUE,
    customer_id  BLOB NOT NULL REFERENCES customers (id),
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    status       TEXT NOT NULL,
    is_open      INTEGER NOT NULL,   -- status is neither resolved, closed, declined nor withdrawn
    owner_id     BLOB,
    team         TEXT,
    needed_by    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL,
    words        TEXT NOT NULL,      -- the customer's words, for the search index
    state        TEXT NOT NULL       -- JSON: the whole case; what reads return
);

-- Newest first under any single filter: each index ends with id.
CREATE INDEX cases_by_status   ON cases (status, id);
CREATE INDEX cases_by_kind     ON cases (kind, id);
CREATE INDEX cases_by_owner    ON cases (owner_id, id);
CREATE INDEX cases_by_team     ON cases (team, id);
CREATE INDEX cases_by_customer ON cases (customer_id, id);
-- Overdue: open cases with a needed-by date, newest first.
CREATE INDEX cases_open_needed ON cases (id, needed_by) WHERE is_open = 1 AND needed_by IS NOT NULL;

-- Full-text search over the customer's words (external content: the index only).
-- New cases are indexed by the writer once per batch, in the batch's transaction: FTS5 flushes
-- its pending terms at every savepoint, so indexing inside each job's savepoint would write a
-- segment per case. Deletes and edits of the words keep the index in sync through triggers.
-- Searches only ever ask for cases holding all of some words, never phrases or nearness, so
-- the index keeps no positions (detail = none): a far smaller index, and cheaper intake.
CREATE VIRTUAL TABLE case_search USING fts5 (
    words,
    content = 'cases',
    content_rowid = 'pk',
    tokenize = 'unicode61',
    detail = none
);
-- Every group commit adds a segment; merging them in larger steps costs intake less.
INSERT INTO case_search (case_search, rank) VALUES ('automerge', 8);

CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
    INSERT INTO case_search (case_search, rowid, words) VALUES ('delete', old.pk, old.words);
END;

CREATE TRIGGER cases_search_update AFTER UPDATE OF words ON cases BEGIN
    INSERT INTO case_search (case_search, rowid, words) VALUES ('delete', old.pk, old.words);
    INSERT INTO case_search (rowid, words) VALUES (new.pk, new.words);
END;

-- The timeline: append-only.
CREATE TABLE case_events (
    case_id    BLOB NOT NULL REFERENCES cases (id),
    seq        INTEGER NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL, -- JSON Actor
    visibility TEXT NOT NULL CHECK (visibility IN ('customer', 'internal')),
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL, -- JSON EventKind (with its "type")
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE staff (
    id                 BLOB PRIMARY KEY NOT NULL,
    name               TEXT NOT NULL,
    email              TEXT NOT NULL,
    email_key          TEXT NOT NULL UNIQUE, -- EmailAddress::match_key (Unicode lower case)
    role               TEXT NOT NULL,
    team               TEXT,
    authority_minor    INTEGER,
    authority_currency TEXT,
    active             INTEGER NOT NULL,
    created_at         TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_tokens (
    digest     BLOB PRIMARY KEY NOT NULL, -- SHA-256 of the token
    staff_id   BLOB NOT NULL REFERENCES staff (id),
    created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX api_tokens_by_staff ON api_tokens (staff_id);

CREATE TABLE root_causes (
    code     TEXT PRIMARY KEY NOT NULL,
    label    TEXT NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL
) WITHOUT ROWID;

-- RootCause::DEFAULTS, in order.
INSERT INTO root_causes (code, label, position) VALUES
    ('product_defect', 'Product or service defect', 1),
    ('procedure_causes_pain', 'A procedure that causes pain', 2),
    ('communication_lacking', 'Information lacking or wrong in our communications', 3),
    ('staff_training', 'Staff needing training or supervision', 4),
    ('inconsistency', 'Inconsistency', 5),
    ('outdated_policy', 'An outdated policy', 6),
    ('expectation_mismatch', 'Expectation mismatch: what we promise is poorly communicated', 7),
    ('promise_not_delivered', 'Failure to deliver what was promised', 8),
    ('outside_offering', 'Outside our offering', 9),
    ('no_fault_found', 'No fault found', 10);
