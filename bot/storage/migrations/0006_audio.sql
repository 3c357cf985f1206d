-- Audio: Telegram file_ids of uploaded voice notes (each file is uploaded once), and episodes
-- that organisers recorded. An uploaded episode keeps no uploader id (the audit log does).
CREATE TABLE audio_uploads (
    path        TEXT PRIMARY KEY,          -- the local file, relative to the project or data dir
    sha256      TEXT NOT NULL,             -- a changed file is uploaded again
    file_id     TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);

CREATE TABLE recorded_episodes (
    id          INTEGER PRIMARY KEY,
    language    TEXT    NOT NULL,
    title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 80),
    topic       TEXT,
    parts       TEXT    NOT NULL,          -- JSON: [{file, seconds, bytes}]
    created_at  TEXT    NOT NULL
);
