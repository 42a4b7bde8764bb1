-- The staff desk's queues (`CaseQuery`): columns derived from the case's state, written with
-- every case row (`cases::QueueColumns`, on intake and on every change), and an index for each
-- queue.
--
--   awaiting_owner   something waits for the owner: an unanswered event (`Case::awaiting_owner`
--                    not empty) or an open request for a supervisor
--   next_due         the earliest due date of an open commitment (`Case::next_commitment_due`)
--   pending_approval a remedy waits for a supervisor's approval
--   escalated        a supervisor was asked to step in and has not answered
--   product          `Case::subject.product`, exactly as recorded
ALTER TABLE cases
    ADD COLUMN awaiting_owner   boolean NOT NULL DEFAULT false,
    ADD COLUMN next_due         date,
    ADD COLUMN pending_approval boolean NOT NULL DEFAULT false,
    ADD COLUMN escalated        boolean NOT NULL DEFAULT false,
    ADD COLUMN product          text;

-- Existing rows, from their state. Cases stored before the domain knew of attention and
-- escalations have neither field: nothing waits for their owner.
UPDATE cases SET
    awaiting_owner =
        coalesce(jsonb_typeof(state -> 'awaiting_owner') = 'array'
                 AND jsonb_array_length(state -> 'awaiting_owner') > 0, false)
        OR coalesce(jsonb_typeof(state -> 'escalation') = 'object', false),
    next_due = (SELECT min((c ->> 'due')::date)
                FROM jsonb_array_elements(CASE jsonb_typeof(state -> 'commitments')
                                              WHEN 'array' THEN state -> 'commitments'
                                              ELSE '[]' END) AS c
                WHERE c ->> 'state' = 'open'),
    pending_approval = coalesce(state -> 'remedies' @> '[{"status": "pending_approval"}]', false),
    escalated = coalesce(jsonb_typeof(state -> 'escalation') = 'object', false),
    product = state -> 'subject' ->> 'product';

-- Open cases are those whose status is not in ('resolved', 'closed', 'declined', 'withdrawn')
-- (`cases::NOT_OPEN_SQL`; a test keeps them in step). Each condition below is repeated verbatim
-- by `cases::list_statement`, so that the planner can prove these partial indexes usable; each
-- ends with id, so a queue is read newest (or oldest) first without sorting.

-- My open cases (owner_id = $1 implies owner_id IS NOT NULL).
CREATE INDEX cases_open_owner_idx ON cases (owner_id, id)
    WHERE status NOT IN ('resolved', 'closed', 'declined', 'withdrawn') AND owner_id IS NOT NULL;
-- The open cases nobody owns (in an (owner_id, id) index, `owner_id IS NULL` does not give the
-- planner id order: it would sort them all).
CREATE INDEX cases_open_unassigned_idx ON cases (id)
    WHERE status NOT IN ('resolved', 'closed', 'declined', 'withdrawn') AND owner_id IS NULL;
-- A team's open cases.
CREATE INDEX cases_open_team_idx ON cases (team, id)
    WHERE status NOT IN ('resolved', 'closed', 'declined', 'withdrawn') AND team IS NOT NULL;
-- What waits for an owner: only the few open cases with something waiting or a commitment owed,
-- by owner; with the two columns that decide it, for index-only scans.
CREATE INDEX cases_awaiting_owner_idx ON cases (owner_id, id) INCLUDE (awaiting_owner, next_due)
    WHERE status NOT IN ('resolved', 'closed', 'declined', 'withdrawn')
      AND (awaiting_owner OR next_due IS NOT NULL);
-- Remedies waiting for a supervisor; requests for a supervisor to step in.
CREATE INDEX cases_pending_approval_idx ON cases (id) WHERE pending_approval;
CREATE INDEX cases_escalated_idx ON cases (id) WHERE escalated;
-- Overdue under the service standard: every open case, with the two dates that decide it.
CREATE INDEX cases_open_due_idx ON cases (id) INCLUDE (needed_by, created_at)
    WHERE status NOT IN ('resolved', 'closed', 'declined', 'withdrawn');
CREATE INDEX cases_product_idx ON cases (product, id) WHERE product IS NOT NULL;
