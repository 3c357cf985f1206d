-- Workers and their settings. Convention: every table holding data about a person has a
-- user_id column, so /mydata can export it and /delete can erase it without a list to forget.
-- No names, usernames or phone numbers are stored: the Telegram id is all the bot needs.
CREATE TABLE users (
    user_id     INTEGER PRIMARY KEY,           -- Telegram user id (= private chat id)
    locale      TEXT    NOT NULL,
    country     TEXT,                          -- ISO 3166 code, 'INT' for another country
    timezone    TEXT,                          -- IANA name, default from the country
    onboarded   INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1,    -- 0 once the user blocked the bot
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

-- Each consent is a separate, revocable choice with the time it was last changed.
CREATE TABLE consents (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('records', 'statistics')),
    granted     INTEGER NOT NULL CHECK (granted IN (0, 1)),
    changed_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Roles beyond "worker". Admins come from DWBOT_ADMIN_IDS and are not stored.
CREATE TABLE roles (
    user_id     INTEGER NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('organiser', 'analyst')),
    granted_by  INTEGER,
    granted_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, role)
);
