-- A worker's own record: households (by nickname only), time worked, payments received.
-- Money is stored in integer minor units (cents); rates too. Times are UTC ISO 8601.

CREATE TABLE employers (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    nickname      TEXT    NOT NULL CHECK (length(nickname) BETWEEN 1 AND 40),
    pay_minor     INTEGER NOT NULL CHECK (pay_minor > 0),
    pay_unit      TEXT    NOT NULL CHECK (pay_unit IN ('hour', 'day', 'week', 'month')),
    currency      TEXT    NOT NULL CHECK (length(currency) = 3),
    live_in       INTEGER NOT NULL DEFAULT 0 CHECK (live_in IN (0, 1)),
    usual_start   TEXT,                       -- usual schedule, local 'HH:MM', optional
    usual_end     TEXT,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (user_id, nickname)
);

CREATE TABLE work_entries (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    employer_id     INTEGER NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,         -- local date the work started, YYYY-MM-DD
    start_at        TEXT,                     -- UTC instants, when the times are known
    end_at          TEXT,
    worked_minutes  INTEGER NOT NULL CHECK (worked_minutes BETWEEN 1 AND 1440),
    break_minutes   INTEGER NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
    source          TEXT    NOT NULL CHECK (source IN ('typed', 'clock', 'reminder')),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    deleted_at      TEXT                      -- kept with its history: the record stays honest
);
CREATE INDEX work_entries_by_user_day ON work_entries (user_id, day);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    employer_id   INTEGER NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    day           TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT    NOT NULL,
    method        TEXT    CHECK (method IN ('cash', 'transfer')),
    note          TEXT    CHECK (length(note) <= 200),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX payments_by_user_day ON payments (user_id, day);

-- Every creation, change and deletion, with the entry as it was after it.
CREATE TABLE entry_history (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    entry_kind  TEXT    NOT NULL CHECK (entry_kind IN ('work', 'payment')),
    entry_id    INTEGER NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('create', 'edit', 'delete')),
    snapshot    TEXT    NOT NULL,
    at          TEXT    NOT NULL
);

-- "Start work" pressed and not yet "Stop work": survives restarts.
CREATE TABLE clock_sessions (
    user_id      INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    employer_id  INTEGER NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    started_at   TEXT    NOT NULL
);

-- A multi-step conversation in progress (adding a household, confirming an entry…), so a
-- restart in the middle loses nothing.
CREATE TABLE conversation_state (
    user_id     INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    flow        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
