-- Mail as it arrived, kept before anything reads it (`MailStore`).
--   outcome  pending | opened_case | added_to_case | ignored | failed
--   case_id  the case it opened or joined
--   detail   why it was ignored or failed
CREATE TABLE mail_messages (
    id          uuid PRIMARY KEY, -- UUIDv7: id order is arrival order
    source      text NOT NULL,
    received_at timestamptz NOT NULL,
    raw         bytea NOT NULL,
    outcome     text NOT NULL DEFAULT 'pending',
    case_id     uuid,
    detail      text
);

-- What is left to handle, oldest first (a handful at any time).
CREATE INDEX mail_messages_pending ON mail_messages (id) WHERE outcome = 'pending';
