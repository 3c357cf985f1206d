-- A message is claimed ('sending') just before it is handed to the Bot API, so a cancel
-- stops everything not yet in flight, and "sent" can never overwrite "cancelled".
-- A message not sent by `expires_at` (a meeting reminder after the meeting) is 'expired'.
-- SQLite cannot change a CHECK constraint: the table is rebuilt with the same rows.
CREATE TABLE outbox_new (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL,            -- the recipient (private chat id)
    kind         TEXT    NOT NULL,            -- announcement, meeting, reminder, episode, report…
    batch_id     INTEGER,                     -- the broadcast it belongs to, if any
    dedupe_key   TEXT    UNIQUE,              -- enqueueing the same message twice is a no-op
    priority     INTEGER NOT NULL DEFAULT 5,  -- lower goes first
    method       TEXT    NOT NULL,            -- sendMessage, sendPhoto, sendVoice, sendDocument…
    payload      TEXT    NOT NULL,            -- JSON parameters for the method
    not_before   TEXT    NOT NULL,            -- UTC; quiet hours and retries move it later
    status       TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked',
                                   'cancelled', 'expired')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    message_id   INTEGER,
    created_at   TEXT    NOT NULL,
    sent_at      TEXT,
    expires_at   TEXT                         -- UTC; NULL: it never becomes too old
);
INSERT INTO outbox_new (id, user_id, kind, batch_id, dedupe_key, priority, method, payload,
    not_before, status, attempts, last_error, message_id, created_at, sent_at)
    SELECT id, user_id, kind, batch_id, dedupe_key, priority, method, payload, not_before,
    status, attempts, last_error, message_id, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, not_before, priority);
CREATE INDEX outbox_batch ON outbox (batch_id, status);
