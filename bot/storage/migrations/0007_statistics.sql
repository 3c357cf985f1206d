-- Anonymous statistics for unions.
-- What a worker who agreed to statistics opened, one row per item per month (never a count of
-- reads, never a time of day): enough to count how many workers read a topic, no more.
-- Deleted with the worker (user_id), and dropped at once when she withdraws her consent.
CREATE TABLE usage_events (
    user_id  INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    month    TEXT    NOT NULL CHECK (length(month) = 7),   -- YYYY-MM, UTC
    kind     TEXT    NOT NULL CHECK (kind IN ('topic', 'episode')),
    item     TEXT    NOT NULL CHECK (length(item) BETWEEN 1 AND 64),
    PRIMARY KEY (user_id, month, kind, item)
) WITHOUT ROWID;

-- The week (Monday to Sunday) of an entry, as a number: the julian day number of its Monday
-- divided by 7. Kept by triggers (SQLite cannot add a stored generated column to a table), so
-- that the index below covers the statistics query: every live entry read once, in order,
-- with no sorting and no visit to the table.
ALTER TABLE work_entries ADD COLUMN week INTEGER;
UPDATE work_entries SET week = CAST(julianday(day) + 0.5 AS INTEGER) / 7;
CREATE TRIGGER work_entries_week_on_insert AFTER INSERT ON work_entries BEGIN
    UPDATE work_entries SET week = CAST(julianday(NEW.day) + 0.5 AS INTEGER) / 7
    WHERE id = NEW.id;
END;
CREATE TRIGGER work_entries_week_on_update AFTER UPDATE OF day ON work_entries BEGIN
    UPDATE work_entries SET week = CAST(julianday(NEW.day) + 0.5 AS INTEGER) / 7
    WHERE id = NEW.id;
END;
CREATE INDEX work_entries_by_week
    ON work_entries (user_id, week, employer_id, day, worked_minutes, deleted_at);
