-- The files customers send with their cases, stored with the case in the intake's transaction.
-- A table with rowids (not WITHOUT ROWID): rows holding large blobs belong in their own overflow
-- pages, not in the index b-tree. `sha256` is the digest of `content`, checked on reading.
CREATE TABLE attachments (
    id           BLOB NOT NULL UNIQUE,
    case_id      BLOB NOT NULL REFERENCES cases (id),
    name         TEXT NOT NULL,     -- the customer's file name, made safe to show
    content_type TEXT NOT NULL,     -- the MIME type its content shows
    size         INTEGER NOT NULL,
    sha256       BLOB NOT NULL,
    content      BLOB NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE INDEX attachments_by_case ON attachments (case_id);
