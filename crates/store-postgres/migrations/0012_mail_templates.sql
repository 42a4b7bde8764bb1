-- The words of the mail to customers as an administrator reworded them: per language and
-- catalogue message, the Fluent text of the message's value, laid over the shipped wording.
-- Deleting a row brings the shipped wording back.
CREATE TABLE mail_templates (
    language   text NOT NULL,
    message    text NOT NULL,
    text       text NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by uuid REFERENCES staff (id) ON DELETE SET NULL,
    PRIMARY KEY (language, message)
);
