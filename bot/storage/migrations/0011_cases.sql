-- Help requests: a worker's case, read and answered by her union's helpers in the bot.
-- A case holds her messages and the helpers' answers; files (voice notes, photos, documents)
-- are on disk under <data dir>/cases/<case id>/ with names the bot made, never hers.
-- Helpers see a case number, her language and country and her messages: never her Telegram
-- id, which stays in cases.user_id for delivery, /mydata and /delete only.

-- SQLite cannot change a CHECK constraint: roles and invites are rebuilt with 'helper'.
CREATE TABLE roles_new (
    user_id     INTEGER NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('organiser', 'analyst', 'helper')),
    granted_by  INTEGER,
    granted_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, role)
);
INSERT INTO roles_new SELECT user_id, role, granted_by, granted_at FROM roles;
DROP TABLE roles;
ALTER TABLE roles_new RENAME TO roles;

CREATE TABLE invites_new (
    code_hash   TEXT    PRIMARY KEY,
    role        TEXT    NOT NULL CHECK (role IN ('organiser', 'analyst', 'helper')),
    user_id     INTEGER NOT NULL,             -- the admin who made it
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    used_by     INTEGER,
    used_at     TEXT
);
INSERT INTO invites_new SELECT code_hash, role, user_id, created_at, expires_at, used_by, used_at
    FROM invites;
DROP TABLE invites;
ALTER TABLE invites_new RENAME TO invites;

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,          -- the case number helpers see
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    status      TEXT    NOT NULL CHECK (status IN ('new', 'open', 'waiting', 'closed')),
    helper_id   INTEGER,                      -- the helper who took it; NULL while new
    urgent      INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    locale      TEXT    NOT NULL,             -- her language when she opened it
    country     TEXT,                         -- her country when she opened it
    attach      TEXT    CHECK (attach IN ('summary')),  -- what of her record she shares
    opened_at   TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    closed_at   TEXT
);
CREATE INDEX cases_status ON cases (status, updated_at);
CREATE INDEX cases_helper ON cases (helper_id, status);

-- Every message of a case, hers and the helpers'. user_id is the worker's (whose case it
-- is), so /mydata exports the whole case and /delete erases it.
CREATE TABLE case_messages (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    author      TEXT    NOT NULL CHECK (author IN ('worker', 'helper')),
    helper_id   INTEGER,                      -- who answered (author 'helper')
    kind        TEXT    NOT NULL CHECK (kind IN ('text', 'voice', 'photo', 'document')),
    body        TEXT,                         -- the text, or a file's caption
    file_name   TEXT,                         -- the bot's name for the file in the case folder
    file_ref    TEXT,                         -- the channel's id of the file, to send it again
    mime        TEXT,
    bytes       INTEGER,
    seconds     INTEGER,
    dedupe_key  TEXT    UNIQUE,               -- chat and message id: a message is added once
    created_at  TEXT    NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_id, id);

-- Discreet mode: reminders and announcements as a neutral line, files with neutral names.
ALTER TABLE users ADD COLUMN neutral_notifications INTEGER NOT NULL DEFAULT 0;
-- A helper on duty is told of new cases and gets the daily summary.
ALTER TABLE users ADD COLUMN on_duty INTEGER NOT NULL DEFAULT 1;

-- The messages in her chat with the bot (the bot's and hers), for "Clear this chat": in a
-- private chat Telegram lets a bot delete both for 48 hours. Only the ids, never the text;
-- rows older than 48 hours are removed.
CREATE TABLE chat_messages (
    user_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    sent_at     TEXT    NOT NULL,
    PRIMARY KEY (user_id, message_id)
);
CREATE INDEX chat_messages_at ON chat_messages (sent_at);
