-- Channels beyond Telegram. A WhatsApp user gets a user id of her own (from 2^53 up, beyond
-- every Telegram id), so every table keeps one integer user_id and no handler knows the
-- channel. Her WhatsApp id (her phone number) is stored only here, as the address the bot
-- replies to: /mydata exports it and /delete erases it with her other rows.
CREATE TABLE channel_identities (
    channel      TEXT    NOT NULL CHECK (channel IN ('whatsapp')),
    external_id  TEXT    NOT NULL,            -- WhatsApp: wa_id (later its business-scoped id)
    user_id      INTEGER NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (channel, external_id)
);

-- Each webhook message, written before the webhook is answered: a message delivered twice is
-- handled once, and one received just before a restart is handled after it.
CREATE TABLE whatsapp_inbound (
    message_id   TEXT    PRIMARY KEY,         -- WhatsApp's id of the message
    user_id      INTEGER NOT NULL,
    payload      TEXT    NOT NULL,            -- the message as the webhook sent it (JSON)
    received_at  TEXT    NOT NULL,
    handled_at   TEXT
);
CREATE INDEX whatsapp_inbound_pending ON whatsapp_inbound (handled_at, received_at);

-- Files uploaded to WhatsApp, reused by media id until it expires (30 days).
CREATE TABLE whatsapp_media (
    sha256       TEXT    PRIMARY KEY,
    media_id     TEXT    NOT NULL,
    uploaded_at  TEXT    NOT NULL
);
