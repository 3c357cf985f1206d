-- Organisers and unions: invites to roles, an audit log, audiences, broadcasts, meetings.

-- One-time, expiring codes that grant a role. Only a hash of the code is stored.
CREATE TABLE invites (
    code_hash   TEXT    PRIMARY KEY,
    role        TEXT    NOT NULL CHECK (role IN ('organiser', 'analyst')),
    user_id     INTEGER NOT NULL,             -- the admin who made it
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    used_by     INTEGER,
    used_at     TEXT
);

-- What organisers, analysts and admins did (never message text typed by workers).
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL,                -- the actor
    action   TEXT    NOT NULL,
    details  TEXT    NOT NULL,
    at       TEXT    NOT NULL
);

-- Categories a worker opted in to; nothing is sent to her without one.
CREATE TABLE subscriptions (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    category    TEXT    NOT NULL CHECK (category IN ('news', 'meetings', 'episodes')),
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, category)
);

-- Free tags a worker joined (a city, a union branch), for targeting.
CREATE TABLE user_tags (
    user_id  INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL CHECK (length(tag) BETWEEN 1 AND 32),
    PRIMARY KEY (user_id, tag)
);

CREATE TABLE broadcasts (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL,        -- the organiser
    category         TEXT    NOT NULL CHECK (category IN ('news', 'meetings', 'episodes')),
    audience         TEXT    NOT NULL,        -- JSON: countries, languages, tags
    texts            TEXT    NOT NULL,        -- JSON: locale -> text
    fallback_locale  TEXT    NOT NULL,
    media            TEXT,                    -- JSON: kind and file_id
    meeting_id       INTEGER,
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'scheduled', 'queued',
                                                         'done', 'cancelled')),
    send_at          TEXT,
    recipients       INTEGER NOT NULL DEFAULT 0,
    reported         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,             -- the organiser
    starts_at   TEXT    NOT NULL,             -- UTC
    timezone    TEXT    NOT NULL,             -- the organiser's, as entered
    place       TEXT    NOT NULL,
    latitude    REAL,
    longitude   REAL,
    texts       TEXT    NOT NULL,             -- JSON: locale -> {title, agenda}
    status      TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE rsvps (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    answer      TEXT    NOT NULL CHECK (answer IN ('going', 'maybe', 'no')),
    at          TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);
