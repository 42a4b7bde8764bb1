-- Mail waiting to go out (`OutboxStore`): one row per case and purpose, so an event is never
-- mailed twice; kept after sending, as the record of what the customer was sent.
CREATE TABLE outbox (
    id         BLOB PRIMARY KEY NOT NULL,
    case_id    BLOB NOT NULL,
    purpose    TEXT NOT NULL,
    to_address TEXT NOT NULL,
    raw        BLOB NOT NULL,
    not_before TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'queued', -- queued | sent | failed
    sent_at    TEXT,
    last_error TEXT,
    UNIQUE (case_id, purpose)
) WITHOUT ROWID;

CREATE INDEX outbox_due ON outbox (not_before, id) WHERE status = 'queued';
