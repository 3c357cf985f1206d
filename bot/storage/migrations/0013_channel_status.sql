-- What WhatsApp says became of a message after it was sent: delivered, read or failed (its
-- status webhooks). Telegram reports nothing after "sent", so the column stays empty there.
ALTER TABLE outbox ADD COLUMN channel_status TEXT;
