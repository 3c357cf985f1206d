-- The job with each household has a history: when it started, and pay terms from a date.
-- Before this migration a household's start was the day it was added to the bot; that stays
-- the start for existing households (she can move it), and its pay becomes the first terms.

ALTER TABLE employers ADD COLUMN started_on TEXT;   -- local date she started working there
UPDATE employers SET started_on = substr(created_at, 1, 10);

CREATE TABLE pay_terms (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    employer_id INTEGER NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    starts      TEXT    NOT NULL,                   -- local date these terms apply from
    pay_minor   INTEGER NOT NULL CHECK (pay_minor > 0),
    pay_unit    TEXT    NOT NULL CHECK (pay_unit IN ('hour', 'day', 'week', 'month')),
    currency    TEXT    NOT NULL CHECK (length(currency) = 3),
    live_in     INTEGER NOT NULL DEFAULT 0 CHECK (live_in IN (0, 1)),
    created_at  TEXT    NOT NULL,
    UNIQUE (employer_id, starts)
);
INSERT INTO pay_terms (user_id, employer_id, starts, pay_minor, pay_unit, currency, live_in,
                       created_at)
    SELECT user_id, id, started_on, pay_minor, pay_unit, currency, live_in, created_at
    FROM employers;

-- A button that records something, once: the second press of the same button finds its key.
CREATE TABLE done_actions (
    user_id  INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    key      TEXT    NOT NULL CHECK (length(key) <= 120),
    at       TEXT    NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- What she told the end-of-contract calculator, so the statement and the CSV can show it.
CREATE TABLE job_endings (
    user_id        INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    employer_id    INTEGER NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    reason         TEXT    NOT NULL CHECK (length(reason) <= 20),
    ended_on       TEXT    NOT NULL,
    vacation_taken INTEGER CHECK (vacation_taken BETWEEN 0 AND 366),
    created_at     TEXT    NOT NULL,
    PRIMARY KEY (user_id, employer_id)
);
