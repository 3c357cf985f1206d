-- The durable outbox: every bulk or deferred message waits here until Telegram accepted it.
-- A row is marked sent only after the Bot API answered OK (at-least-once; see README).
CREATE TABLE outbox (
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
                 CHECK (status IN ('pending', 'sent', 'failed', 'blocked', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    message_id   INTEGER,
    created_at   TEXT    NOT NULL,
    sent_at      TEXT
);
CREATE INDEX outbox_due ON outbox (status, not_before, priority);
CREATE INDEX outbox_batch ON outbox (batch_id, status);
