-- Worker reminders. The database is the source of truth: next_at is when each is next due
-- (UTC); the scheduler only looks for what is due, so restarts lose and repeat nothing.
ALTER TABLE users ADD COLUMN quiet_hours INTEGER NOT NULL DEFAULT 1;  -- no messages 21-07

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('log_hours', 'payday', 'rest_day', 'one_off')),
    rule        TEXT    NOT NULL CHECK (rule IN ('daily', 'weekly', 'monthly', 'once')),
    at_time     TEXT    NOT NULL,             -- local HH:MM
    weekday     INTEGER CHECK (weekday BETWEEN 0 AND 6),
    month_day   INTEGER CHECK (month_day BETWEEN 1 AND 31),
    once_at     TEXT,                         -- UTC, one-off reminders
    note        TEXT    CHECK (length(note) <= 200),
    paused      INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    next_at     TEXT,                         -- UTC; NULL once a one-off has fired
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX reminders_due ON reminders (paused, next_at);

-- What happened to each occurrence: sent, or dropped because it was found too late.
CREATE TABLE reminder_log (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    reminder_id  INTEGER NOT NULL,
    due_at       TEXT    NOT NULL,
    outcome      TEXT    NOT NULL CHECK (outcome IN ('sent', 'dropped')),
    at           TEXT    NOT NULL
);
