-- The desk's lists of kept mail, newest first (`MailStore::list_mail`): by what became of a
-- message (failed, machine mail, pending), and every message.
CREATE INDEX mail_messages_by_outcome ON mail_messages (outcome, received_at, id);
CREATE INDEX mail_messages_by_arrival ON mail_messages (received_at, id);

-- The mail that opened a case or was added to it (`MailStore::case_arrivals`).
CREATE INDEX mail_messages_by_case ON mail_messages (case_id, received_at, id)
    WHERE case_id IS NOT NULL;
