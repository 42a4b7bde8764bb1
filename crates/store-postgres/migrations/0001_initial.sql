-- Redress on PostgreSQL: the initial schema.
-- A case is read from `cases.state` (the whole serialized `Case`); its other columns exist for
-- filtering and ordering only. `customer_contacts` is the source of truth for recognising a
-- returning customer.

CREATE TABLE customers (
    id                uuid PRIMARY KEY,
    name              text,
    emails            jsonb NOT NULL DEFAULT '[]',
    phones            jsonb NOT NULL DEFAULT '[]',
    preferred_channel text,
    language          text,
    important_dates   jsonb NOT NULL DEFAULT '[]',
    preferences       jsonb NOT NULL DEFAULT '[]',
    dislikes          jsonb NOT NULL DEFAULT '[]',
    external_ref      text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    -- Bumped by every write: an intake merging new details into a returning customer updates
    -- the row only if it is still at the version it read.
    version           bigint NOT NULL DEFAULT 1
);

-- Every email address and phone number of every customer, by its match key
-- (`EmailAddress::match_key`, `PhoneNumber::match_key`): one customer per key.
CREATE TABLE customer_contacts (
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('email', 'phone')),
    value       text NOT NULL,
    match_key   text NOT NULL,
    CONSTRAINT customer_contacts_match_key_key UNIQUE (kind, match_key)
);
CREATE INDEX customer_contacts_customer_idx ON customer_contacts (customer_id);

CREATE TABLE cases (
    id           uuid PRIMARY KEY,
    reference    text NOT NULL CONSTRAINT cases_reference_key UNIQUE,
    token_digest bytea NOT NULL CONSTRAINT cases_token_digest_key UNIQUE,
    customer_id  uuid NOT NULL REFERENCES customers (id),
    kind         text NOT NULL,
    channel      text NOT NULL,
    status       text NOT NULL,
    owner_id     uuid,
    team         text,
    needed_by    date,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL,
    words        text NOT NULL,
    -- The customer's words are plain text, not markup: punctuation becomes space before
    -- parsing, so the parser sees only words (it would otherwise skip what looks like an HTML
    -- tag or entity, and keep an email address or URL as one token). Queries do the same.
    words_tsv    tsvector GENERATED ALWAYS AS (
                     to_tsvector('simple'::regconfig,
                                 regexp_replace(words, '[[:punct:]]+', ' ', 'g'))) STORED,
    state        jsonb NOT NULL
);
-- Lists are newest first (ids are UUIDv7) with keyset pagination on id: each single filter has
-- an index that yields its rows in id order.
CREATE INDEX cases_status_idx ON cases (status, id);
CREATE INDEX cases_kind_idx ON cases (kind, id);
CREATE INDEX cases_owner_idx ON cases (owner_id, id);
CREATE INDEX cases_unassigned_idx ON cases (id) WHERE owner_id IS NULL;
CREATE INDEX cases_team_idx ON cases (team, id);
CREATE INDEX cases_customer_idx ON cases (customer_id, id);
-- Overdue: open cases past the date the customer needed. The predicate is repeated verbatim in
-- the query so that the planner can use this partial index.
CREATE INDEX cases_overdue_idx ON cases (needed_by, id)
    WHERE status NOT IN ('resolved', 'closed', 'declined', 'withdrawn') AND needed_by IS NOT NULL;
CREATE INDEX cases_words_tsv_idx ON cases USING gin (words_tsv);
-- Ten times the default statistics for search words: the planner then knows most words'
-- frequencies, and rightly walks the newest cases for a common word but uses the GIN index for
-- a rare one (with the default, a rare word looks common and a search scans the whole table).
ALTER TABLE cases ALTER COLUMN words_tsv SET STATISTICS 1000;

CREATE TABLE case_events (
    case_id    uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    at         timestamptz NOT NULL,
    actor      jsonb NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('customer', 'internal')),
    type       text NOT NULL,
    -- The serialized `EventKind` (tagged with "type").
    payload    jsonb NOT NULL,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE staff (
    id              uuid PRIMARY KEY,
    name            text NOT NULL,
    email           text NOT NULL,
    -- `EmailAddress::match_key`, computed by Redress: the same case folding as for customers,
    -- whatever the database's locale (lower() folds only ASCII under the C locale).
    email_key       text NOT NULL,
    role            text NOT NULL,
    team            text,
    authority_limit jsonb,
    active          boolean NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX staff_email_key ON staff (email_key);

CREATE TABLE api_tokens (
    digest     bytea PRIMARY KEY,
    staff_id   uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL
);
CREATE INDEX api_tokens_staff_idx ON api_tokens (staff_id);

CREATE TABLE root_causes (
    code     text PRIMARY KEY,
    label    text NOT NULL,
    active   boolean NOT NULL DEFAULT true,
    position integer NOT NULL
);
-- Exactly `redress_domain::RootCause::DEFAULTS`, in order (a test checks they agree).
INSERT INTO root_causes (code, label, position) VALUES
    ('product_defect', 'Product or service defect', 1),
    ('procedure_causes_pain', 'A procedure that causes pain', 2),
    ('communication_lacking', 'Information lacking or wrong in our communications', 3),
    ('staff_training', 'Staff needing training or supervision', 4),
    ('inconsistency', 'Inconsistency', 5),
    ('outdated_policy', 'An outdated policy', 6),
    ('expectation_mismatch', 'Expectation mismatch: what we promise is poorly communicated', 7),
    ('promise_not_delivered', 'Failure to deliver what was promised', 8),
    ('outside_offering', 'Outside our offering', 9),
    ('no_fault_found', 'No fault found', 10);
