-- Delivery per channel. Each outbox row knows its recipient's channel (her Telegram chat or
-- her WhatsApp number), so each channel is paced under its own limits. A WhatsApp message
-- outside her 24-hour window is 'held' until she writes (WhatsApp refuses free-form messages
-- then); the delivery report shows it as waiting for her.
-- SQLite cannot change a CHECK constraint: the table is rebuilt with the same rows.
CREATE TABLE outbox_new (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL,          -- the recipient (private chat id)
    channel        TEXT    NOT NULL DEFAULT 'telegram' CHECK (channel IN ('telegram', 'whatsapp')),
    kind           TEXT    NOT NULL,          -- announcement, meeting, reminder, episode, report…
    batch_id       INTEGER,                   -- the broadcast it belongs to, if any
    dedupe_key     TEXT    UNIQUE,            -- enqueueing the same message twice is a no-op
    priority       INTEGER NOT NULL DEFAULT 5,  -- lower goes first
    method         TEXT    NOT NULL,          -- sendMessage, sendPhoto, sendVoice, sendDocument…
    payload        TEXT    NOT NULL,          -- JSON parameters for the method
    not_before     TEXT    NOT NULL,          -- UTC; quiet hours and retries move it later
    status         TEXT    NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked',
                                     'cancelled', 'expired', 'held')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    message_id     INTEGER,
    created_at     TEXT    NOT NULL,
    sent_at        TEXT,
    expires_at     TEXT,                      -- UTC; NULL: it never becomes too old
    channel_status TEXT                       -- WhatsApp: delivered, read or failed
);
INSERT INTO outbox_new (id, user_id, channel, kind, batch_id, dedupe_key, priority, method,
    payload, not_before, status, attempts, last_error, message_id, created_at, sent_at,
    expires_at, channel_status)
    SELECT o.id, o.user_id,
        CASE WHEN EXISTS (SELECT 1 FROM channel_identities c WHERE c.user_id = o.user_id)
             THEN 'whatsapp' ELSE 'telegram' END,
        o.kind, o.batch_id, o.dedupe_key, o.priority, o.method, o.payload, o.not_before,
        o.status, o.attempts, o.last_error, o.message_id, o.created_at, o.sent_at,
        o.expires_at, o.channel_status
    FROM outbox o;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (channel, status, not_before, priority);
CREATE INDEX outbox_batch ON outbox (batch_id, status);
CREATE INDEX outbox_user ON outbox (user_id, status);

-- Files each bot already has, reused by its file id: a Telegram file id belongs to the bot
-- that uploaded it and means nothing to another bot or to WhatsApp.
CREATE TABLE audio_uploads_new (
    bot_id      INTEGER NOT NULL,
    path        TEXT    NOT NULL,             -- the local file, relative to the project or data dir
    sha256      TEXT    NOT NULL,             -- a changed file is uploaded again
    file_id     TEXT    NOT NULL,
    uploaded_at TEXT    NOT NULL,
    PRIMARY KEY (bot_id, path)
);
DROP TABLE audio_uploads;
ALTER TABLE audio_uploads_new RENAME TO audio_uploads;

-- When she last wrote: WhatsApp takes free-form messages for 24 hours after that.
ALTER TABLE channel_identities ADD COLUMN last_inbound_at TEXT;
