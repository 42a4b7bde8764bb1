-- Kept mail remembers its Message-ID, so the same message from the same mailbox is kept once:
-- fetched again after a crash between keeping it and marking it seen, or by two nodes reading
-- one mailbox at the same moment, it opens no second case.
ALTER TABLE mail_messages ADD COLUMN message_id text;

CREATE UNIQUE INDEX mail_once_per_source ON mail_messages (source, message_id)
    WHERE message_id IS NOT NULL;
