-- Mail as it arrived, kept before anything reads it (`MailStore`).
--   outcome  pending | opened_case | added_to_case | ignored | failed
--   case_id  the case it opened or joined
--   detail   why it was ignored or failed
CREATE TABLE mail_messages (
    id          BLOB PRIMARY KEY NOT NULL, -- UUIDv7: id order is arrival order
    source      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    raw         BLOB NOT NULL,
    outcome     TEXT NOT NULL DEFAULT 'pending',
    case_id     BLOB,
    detail      TEXT
) WITHOUT ROWID;

-- What is left to handle, oldest first (a handful at any time).
CREATE INDEX mail_messages_pending ON mail_messages (id) WHERE outcome = 'pending';
