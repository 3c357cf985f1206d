"""SQL for worker reminders: the schedule, the next due time, and what happened to each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.reminders import Schedule
from bot.storage.database import Database, Row
from bot.storage.outbox import OutgoingMessage, insert_messages


@dataclass(frozen=True)
class Reminder:
    id: int
    user_id: int
    kind: str
    schedule: Schedule
    note: str | None
    paused: bool
    next_at: dt.datetime | None


@dataclass(frozen=True)
class DueReminder:
    reminder: Reminder
    locale: str
    timezone: str | None
    country: str | None
    quiet: bool


def _reminder(row: Row) -> Reminder:
    return Reminder(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        schedule=Schedule(
            rule=row["rule"],
            at=dt.time.fromisoformat(row["at_time"]),
            weekday=row["weekday"],
            month_day=row["month_day"],
            once_at=dt.datetime.fromisoformat(row["once_at"]) if row["once_at"] else None,
        ),
        note=row["note"],
        paused=bool(row["paused"]),
        next_at=dt.datetime.fromisoformat(row["next_at"]) if row["next_at"] else None,
    )


class ReminderStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        user_id: int,
        kind: str,
        schedule: Schedule,
        note: str | None,
        next_at: dt.datetime | None,
        now: str,
        limit: int,
    ) -> Reminder | None:
        """Add a reminder unless she has `limit` already: the count and the insert are one
        transaction, so two presses at once cannot pass the limit together."""
        async with self.db.transaction() as tx:
            count = await tx.fetchone(
                "SELECT COUNT(*) FROM reminders WHERE user_id = ? AND next_at IS NOT NULL",
                (user_id,),
            )
            if count is not None and count[0] >= limit:
                return None
            reminder_id = await tx.execute(
                "INSERT INTO reminders (user_id, kind, rule, at_time, weekday, month_day,"
                " once_at, note, next_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    kind,
                    schedule.rule,
                    schedule.at.isoformat("minutes"),
                    schedule.weekday,
                    schedule.month_day,
                    schedule.once_at.isoformat() if schedule.once_at else None,
                    note,
                    next_at.isoformat() if next_at else None,
                    now,
                    now,
                ),
            )
            row = await tx.fetchone("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        return _reminder(row) if row else None

    async def of_user(self, user_id: int) -> list[Reminder]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE user_id = ? AND next_at IS NOT NULL ORDER BY id",
            (user_id,),
        )
        return [_reminder(r) for r in rows]

    async def get(self, user_id: int, reminder_id: int) -> Reminder | None:
        row = await self.db.fetchone(
            "SELECT * FROM reminders WHERE id = ? AND user_id = ?", (reminder_id, user_id)
        )
        return _reminder(row) if row else None

    async def update(
        self,
        user_id: int,
        reminder_id: int,
        now: str,
        *,
        paused: bool | None = None,
        at: dt.time | None = None,
        next_at: dt.datetime | None = None,
        once_at: dt.datetime | None = None,
    ) -> bool:
        async with self.db.transaction() as tx:
            return bool(
                await tx.rowcount(
                    "UPDATE reminders SET paused = COALESCE(?, paused),"
                    " at_time = COALESCE(?, at_time), next_at = COALESCE(?, next_at),"
                    " once_at = COALESCE(?, once_at), updated_at = ? WHERE id = ? AND user_id = ?",
                    (
                        None if paused is None else int(paused),
                        at.isoformat("minutes") if at else None,
                        next_at.isoformat() if next_at else None,
                        once_at.isoformat() if once_at else None,
                        now,
                        reminder_id,
                        user_id,
                    ),
                )
            )

    async def delete(self, user_id: int, reminder_id: int) -> bool:
        async with self.db.transaction() as tx:
            return bool(
                await tx.rowcount(
                    "DELETE FROM reminders WHERE id = ? AND user_id = ?", (reminder_id, user_id)
                )
            )

    async def due(self, now: dt.datetime) -> list[DueReminder]:
        rows = await self.db.fetchall(
            "SELECT r.*, u.locale, u.timezone AS tz, u.country, u.quiet_hours FROM reminders r"
            " JOIN users u ON u.user_id = r.user_id"
            " WHERE r.paused = 0 AND r.next_at IS NOT NULL AND r.next_at <= ? AND u.active = 1"
            " ORDER BY r.next_at",
            (now.isoformat(),),
        )
        return [
            DueReminder(_reminder(r), r["locale"], r["tz"], r["country"], bool(r["quiet_hours"]))
            for r in rows
        ]

    async def record(
        self,
        due: Reminder,
        outcome: str,
        message: OutgoingMessage | None,
        next_at: dt.datetime | None,
        now: str,
    ) -> None:
        """Queue the message, log the outcome and move next_at, all in one transaction:
        a crash leaves either all of it or none, and the outbox dedupe key makes a second
        attempt at the same occurrence a no-op."""
        assert due.next_at is not None
        async with self.db.transaction() as tx:
            if message is not None:
                await insert_messages(tx, [message], now)
            await tx.execute(
                "INSERT INTO reminder_log (user_id, reminder_id, due_at, outcome, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (due.user_id, due.id, due.next_at.isoformat(), outcome, now),
            )
            # next_at NULL once a one-off has fired: it leaves the list.
            await tx.execute(
                "UPDATE reminders SET next_at = ?, updated_at = ? WHERE id = ? AND next_at = ?",
                (next_at.isoformat() if next_at else None, now, due.id, due.next_at.isoformat()),
            )
