-- The files customers send with their cases, stored with the case in the intake's transaction.
-- `sha256` is the digest of `content`, checked on reading.
CREATE TABLE attachments (
    id           uuid PRIMARY KEY,
    case_id      uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    -- The customer's file name, made safe to show.
    name         text NOT NULL,
    -- The MIME type its content shows.
    content_type text NOT NULL,
    size         bigint NOT NULL,
    sha256       bytea NOT NULL,
    content      bytea NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX attachments_case_idx ON attachments (case_id);
-- Photos and PDFs are compressed already: keep them out of line without trying again.
ALTER TABLE attachments ALTER COLUMN content SET STORAGE EXTERNAL;
