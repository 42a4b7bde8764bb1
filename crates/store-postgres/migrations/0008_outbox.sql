-- Mail waiting to go out (`OutboxStore`): one row per case and purpose, so an event is never
-- mailed twice; kept after sending, as the record of what the customer was sent.
CREATE TABLE outbox (
    id         uuid PRIMARY KEY,
    case_id    uuid NOT NULL,
    purpose    text NOT NULL,
    to_address text NOT NULL,
    raw        bytea NOT NULL,
    not_before timestamptz NOT NULL,
    attempts   integer NOT NULL DEFAULT 0,
    status     text NOT NULL DEFAULT 'queued', -- queued | sent | failed
    sent_at    timestamptz,
    last_error text,
    UNIQUE (case_id, purpose)
);

CREATE INDEX outbox_due ON outbox (not_before, id) WHERE status = 'queued';
