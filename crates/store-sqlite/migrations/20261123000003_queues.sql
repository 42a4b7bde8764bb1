-- The staff desk's queues (`CaseQuery`): columns derived from the case's state, written by the
-- writer with every case row (`writer::prepare::CaseRow`), and an index for each queue.
--
--   awaiting_owner   1 when something waits for the owner: an unanswered event
--                    (`Case::awaiting_owner` not empty) or an open request for a supervisor
--   next_due         the earliest due date of an open commitment (`Case::next_commitment_due`)
--   pending_approval 1 when a remedy waits for a supervisor's approval
--   escalated        1 when a supervisor was asked to step in and has not answered
--   product          `Case::subject.product`, exactly as recorded
ALTER TABLE cases ADD COLUMN awaiting_owner INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN next_due TEXT;
ALTER TABLE cases ADD COLUMN pending_approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN product TEXT;

-- Existing rows, from their state. Cases stored before the domain knew of attention and
-- escalations have neither field: nothing waits for their owner.
UPDATE cases SET
    awaiting_owner = coalesce(json_array_length(state, '$.awaiting_owner'), 0) > 0
        OR coalesce(json_type(state, '$.escalation') = 'object', 0),
    next_due = (SELECT min(json_extract(c.value, '$.due'))
                FROM json_each(state, '$.commitments') AS c
                WHERE json_extract(c.value, '$.state') = 'open'),
    pending_approval = EXISTS (SELECT 1 FROM json_each(state, '$.remedies') AS r
                               WHERE json_extract(r.value, '$.status') = 'pending_approval'),
    escalated = coalesce(json_type(state, '$.escalation') = 'object', 0),
    product = json_extract(state, '$.subject.product');

-- Each queue's condition is repeated verbatim in `read::list_cases`, so that SQLite (which
-- proves a partial index usable only from terms it recognises) can use these; each index ends
-- with id, so a queue is read newest (or oldest) first without sorting.

-- My open cases (owner_id = ?) and the open cases nobody owns (owner_id IS NULL).
CREATE INDEX cases_open_by_owner ON cases (owner_id, id) WHERE is_open = 1;
-- A team's open cases.
CREATE INDEX cases_open_by_team ON cases (team, id) WHERE is_open = 1 AND team IS NOT NULL;
-- What waits for an owner: only the few open cases with something waiting or a commitment
-- owed, by owner; the commitment's date is in the index, so no row is read to check it.
CREATE INDEX cases_awaiting_owner ON cases (owner_id, id, awaiting_owner, next_due)
    WHERE is_open = 1 AND (awaiting_owner = 1 OR next_due IS NOT NULL);
-- Remedies waiting for a supervisor; requests for a supervisor to step in.
CREATE INDEX cases_pending_approval ON cases (id) WHERE pending_approval = 1;
CREATE INDEX cases_escalated ON cases (id) WHERE escalated = 1;
-- Overdue under the service standard: every open case, with the two dates that decide it.
CREATE INDEX cases_open_due ON cases (id, needed_by, created_at) WHERE is_open = 1;
CREATE INDEX cases_by_product ON cases (product, id) WHERE product IS NOT NULL;
