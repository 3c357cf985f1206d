-- A rights check ("Is this right?") she chose to save to her record: the day, the country
-- whose law it used and her answers, one letter per question (bot/domain/rights_check.py).
-- Nothing is written while she answers; only the Save button writes a row.

CREATE TABLE rights_checks (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    checked_on   TEXT    NOT NULL,                  -- local date
    jurisdiction TEXT    NOT NULL,
    answers      TEXT    NOT NULL CHECK (length(answers) = 8),
    created_at   TEXT    NOT NULL,
    UNIQUE (user_id, checked_on, jurisdiction, answers)   -- a second Save changes nothing
);
