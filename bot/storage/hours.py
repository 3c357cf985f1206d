"""SQL for households, time entries, payments, the open clock and conversation state."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.domain.records import (
    Employer,
    JobEnding,
    PaymentEntry,
    PayTerms,
    WorkEntry,
    from_minor,
    to_minor,
)
from bot.storage.database import Database, Row, Transaction


def _employer(row: Row, terms: tuple[PayTerms, ...] = ()) -> Employer:
    return Employer(
        id=row["id"],
        user_id=row["user_id"],
        nickname=row["nickname"],
        pay=from_minor(row["pay_minor"], row["currency"]),
        pay_unit=row["pay_unit"],
        currency=row["currency"],
        live_in=bool(row["live_in"]),
        created_at=row["created_at"],
        usual_start=dt.time.fromisoformat(row["usual_start"]) if row["usual_start"] else None,
        usual_end=dt.time.fromisoformat(row["usual_end"]) if row["usual_end"] else None,
        started_on=dt.date.fromisoformat(row["started_on"]) if row["started_on"] else None,
        terms=terms,
    )


def _terms(row: Row) -> PayTerms:
    return PayTerms(
        starts=dt.date.fromisoformat(row["starts"]),
        pay=from_minor(row["pay_minor"], row["currency"]),
        pay_unit=row["pay_unit"],
        currency=row["currency"],
        live_in=bool(row["live_in"]),
    )


def _instant(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _work(row: Row) -> WorkEntry:
    return WorkEntry(
        id=row["id"],
        employer_id=row["employer_id"],
        day=dt.date.fromisoformat(row["day"]),
        start_at=_instant(row["start_at"]),
        end_at=_instant(row["end_at"]),
        worked_minutes=row["worked_minutes"],
        break_minutes=row["break_minutes"],
        source=row["source"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _payment(row: Row) -> PaymentEntry:
    return PaymentEntry(
        id=row["id"],
        employer_id=row["employer_id"],
        day=dt.date.fromisoformat(row["day"]),
        amount=from_minor(row["amount_minor"], row["currency"]),
        currency=row["currency"],
        method=row["method"],
        note=row["note"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class HoursStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- households ------------------------------------------------------------------------
    async def add_employer(self, employer: Employer) -> int:
        """The household and its first pay terms, from the day she started, in one write."""
        assert employer.started_on is not None
        async with self.db.transaction() as tx:
            employer_id = await tx.execute(
                "INSERT INTO employers (user_id, nickname, pay_minor, pay_unit, currency, live_in,"
                " usual_start, usual_end, started_on, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    employer.user_id,
                    employer.nickname,
                    to_minor(employer.pay, employer.currency),
                    employer.pay_unit,
                    employer.currency,
                    int(employer.live_in),
                    employer.usual_start.isoformat("minutes") if employer.usual_start else None,
                    employer.usual_end.isoformat("minutes") if employer.usual_end else None,
                    employer.started_on.isoformat(),
                    employer.created_at,
                    employer.created_at,
                ),
            )
            await tx.execute(
                "INSERT INTO pay_terms (user_id, employer_id, starts, pay_minor, pay_unit,"
                " currency, live_in, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    employer.user_id,
                    employer_id,
                    employer.started_on.isoformat(),
                    to_minor(employer.pay, employer.currency),
                    employer.pay_unit,
                    employer.currency,
                    int(employer.live_in),
                    employer.created_at,
                ),
            )
        return employer_id

    async def employers(self, user_id: int) -> list[Employer]:
        """Her households, each with its pay terms (two statements, whatever the count)."""
        rows = await self.db.fetchall(
            "SELECT * FROM employers WHERE user_id = ? ORDER BY id", (user_id,)
        )
        if not rows:
            return []
        terms: dict[int, list[PayTerms]] = {}
        for row in await self.db.fetchall(
            "SELECT * FROM pay_terms WHERE user_id = ? ORDER BY employer_id, starts", (user_id,)
        ):
            terms.setdefault(row["employer_id"], []).append(_terms(row))
        return [_employer(r, tuple(terms.get(r["id"], ()))) for r in rows]

    async def set_terms(self, user_id: int, employer_id: int, terms: PayTerms, now: str) -> bool:
        """Pay terms from a date; terms already starting that day are replaced."""
        async with self.db.transaction() as tx:
            owned = await tx.fetchone(
                "SELECT started_on FROM employers WHERE id = ? AND user_id = ?",
                (employer_id, user_id),
            )
            if owned is None:
                return False
            await tx.execute(
                "INSERT INTO pay_terms (user_id, employer_id, starts, pay_minor, pay_unit,"
                " currency, live_in, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (employer_id, starts) DO UPDATE SET pay_minor = excluded.pay_minor,"
                " pay_unit = excluded.pay_unit, currency = excluded.currency,"
                " live_in = excluded.live_in, created_at = excluded.created_at",
                (
                    user_id,
                    employer_id,
                    terms.starts.isoformat(),
                    to_minor(terms.pay, terms.currency),
                    terms.pay_unit,
                    terms.currency,
                    int(terms.live_in),
                    now,
                ),
            )
            # The household row keeps the latest terms, for screens that show one figure.
            await tx.execute(
                "UPDATE employers SET (pay_minor, pay_unit, currency, live_in) = ("
                " SELECT pay_minor, pay_unit, currency, live_in FROM pay_terms"
                " WHERE employer_id = ? ORDER BY starts DESC LIMIT 1), updated_at = ?"
                " WHERE id = ? AND user_id = ?",
                (employer_id, now, employer_id, user_id),
            )
        return True

    async def set_start(
        self, user_id: int, employer_id: int, started_on: dt.date, now: str
    ) -> bool:
        """Move the day she started; the first terms move with it (later ones stay)."""
        async with self.db.transaction() as tx:
            changed = await tx.rowcount(
                "UPDATE employers SET started_on = ?, updated_at = ? WHERE id = ? AND user_id = ?",
                (started_on.isoformat(), now, employer_id, user_id),
            )
            if not changed:
                return False
            first = await tx.fetchone(
                "SELECT id FROM pay_terms WHERE employer_id = ? ORDER BY starts LIMIT 1",
                (employer_id,),
            )
            if first is not None:
                # Terms that would start on or before the new first day fold into the first.
                await tx.execute(
                    "DELETE FROM pay_terms WHERE employer_id = ? AND id != ? AND starts <= ?",
                    (employer_id, first["id"], started_on.isoformat()),
                )
                await tx.execute(
                    "UPDATE pay_terms SET starts = ? WHERE id = ?",
                    (started_on.isoformat(), first["id"]),
                )
        return True

    # ---- how the job ended ---------------------------------------------------------------
    async def save_ending(self, user_id: int, ending: JobEnding, now: str) -> None:
        await self.db.execute(
            "INSERT INTO job_endings (user_id, employer_id, reason, ended_on, vacation_taken,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, employer_id)"
            " DO UPDATE SET reason = excluded.reason, ended_on = excluded.ended_on,"
            " vacation_taken = excluded.vacation_taken, created_at = excluded.created_at",
            (
                user_id,
                ending.employer_id,
                ending.reason,
                ending.ended_on.isoformat(),
                ending.vacation_taken,
                now,
            ),
        )

    async def endings(self, user_id: int) -> list[JobEnding]:
        rows = await self.db.fetchall(
            "SELECT * FROM job_endings WHERE user_id = ? ORDER BY employer_id", (user_id,)
        )
        return [
            JobEnding(
                r["employer_id"],
                r["reason"],
                dt.date.fromisoformat(r["ended_on"]),
                r["vacation_taken"],
            )
            for r in rows
        ]

    async def set_usual_schedule(
        self, user_id: int, employer_id: int, start: dt.time, end: dt.time, now: str
    ) -> None:
        await self.db.execute(
            "UPDATE employers SET usual_start = ?, usual_end = ?, updated_at = ?"
            " WHERE id = ? AND user_id = ?",
            (start.isoformat("minutes"), end.isoformat("minutes"), now, employer_id, user_id),
        )

    # ---- time ------------------------------------------------------------------------------
    async def add_work(
        self,
        user_id: int,
        employer_id: int,
        day: dt.date,
        start_at: dt.datetime | None,
        end_at: dt.datetime | None,
        worked_minutes: int,
        break_minutes: int,
        source: str,
        now: str,
    ) -> int:
        async with self.db.transaction() as tx:
            entry_id = await tx.execute(
                "INSERT INTO work_entries (user_id, employer_id, day, start_at, end_at,"
                " worked_minutes, break_minutes, source, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    employer_id,
                    day.isoformat(),
                    start_at.isoformat() if start_at else None,
                    end_at.isoformat() if end_at else None,
                    worked_minutes,
                    break_minutes,
                    source,
                    now,
                    now,
                ),
            )
            await _history(tx, user_id, "work", entry_id, "create", now)
        return entry_id

    async def replace_work(
        self,
        user_id: int,
        entry_id: int,
        day: dt.date,
        start_at: dt.datetime | None,
        end_at: dt.datetime | None,
        worked_minutes: int,
        break_minutes: int,
        now: str,
    ) -> bool:
        async with self.db.transaction() as tx:
            changed = await tx.rowcount(
                "UPDATE work_entries SET day = ?, start_at = ?, end_at = ?, worked_minutes = ?,"
                " break_minutes = ?, updated_at = ?"
                " WHERE id = ? AND user_id = ? AND deleted_at IS NULL",
                (
                    day.isoformat(),
                    start_at.isoformat() if start_at else None,
                    end_at.isoformat() if end_at else None,
                    worked_minutes,
                    break_minutes,
                    now,
                    entry_id,
                    user_id,
                ),
            )
            if changed:
                await _history(tx, user_id, "work", entry_id, "edit", now)
        return bool(changed)

    async def work(
        self, user_id: int, first: dt.date, last: dt.date, employer_id: int | None = None
    ) -> list[WorkEntry]:
        sql = (
            "SELECT * FROM work_entries WHERE user_id = ? AND day BETWEEN ? AND ?"
            " AND deleted_at IS NULL"
        )
        params: list[Any] = [user_id, first.isoformat(), last.isoformat()]
        if employer_id is not None:
            sql += " AND employer_id = ?"
            params.append(employer_id)
        rows = await self.db.fetchall(sql + " ORDER BY day, start_at, id", params)
        return [_work(r) for r in rows]

    async def work_entry(self, user_id: int, entry_id: int) -> WorkEntry | None:
        row = await self.db.fetchone(
            "SELECT * FROM work_entries WHERE id = ? AND user_id = ? AND deleted_at IS NULL",
            (entry_id, user_id),
        )
        return _work(row) if row else None

    async def overlapping(
        self, user_id: int, start_at: dt.datetime, end_at: dt.datetime, exclude: int | None
    ) -> WorkEntry | None:
        row = await self.db.fetchone(
            "SELECT * FROM work_entries WHERE user_id = ? AND deleted_at IS NULL"
            " AND start_at IS NOT NULL AND start_at < ? AND end_at > ? AND id IS NOT ?"
            " LIMIT 1",
            (user_id, end_at.isoformat(), start_at.isoformat(), exclude),
        )
        return _work(row) if row else None

    async def minutes_on(self, user_id: int, day: dt.date, exclude: int | None) -> int:
        value = await self.db.fetchval(
            "SELECT COALESCE(SUM(worked_minutes), 0) FROM work_entries"
            " WHERE user_id = ? AND day = ? AND deleted_at IS NULL AND id IS NOT ?",
            (user_id, day.isoformat(), exclude),
        )
        return int(value)

    async def delete(self, user_id: int, kind: str, entry_id: int, now: str) -> bool:
        table = {"work": "work_entries", "payment": "payments"}[kind]
        async with self.db.transaction() as tx:
            changed = await tx.rowcount(
                f"UPDATE {table} SET deleted_at = ?, updated_at = ?"
                " WHERE id = ? AND user_id = ? AND deleted_at IS NULL",
                (now, now, entry_id, user_id),
            )
            if changed:
                await _history(tx, user_id, kind, entry_id, "delete", now)
        return bool(changed)

    # ---- payments --------------------------------------------------------------------------
    async def add_payment(
        self,
        user_id: int,
        employer_id: int,
        day: dt.date,
        amount_minor: int,
        currency: str,
        method: str | None,
        note: str | None,
        now: str,
    ) -> int:
        async with self.db.transaction() as tx:
            entry_id = await tx.execute(
                "INSERT INTO payments (user_id, employer_id, day, amount_minor, currency,"
                " method, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    employer_id,
                    day.isoformat(),
                    amount_minor,
                    currency,
                    method,
                    note,
                    now,
                    now,
                ),
            )
            await _history(tx, user_id, "payment", entry_id, "create", now)
        return entry_id

    async def payments(
        self, user_id: int, first: dt.date, last: dt.date, employer_id: int | None = None
    ) -> list[PaymentEntry]:
        sql = (
            "SELECT * FROM payments WHERE user_id = ? AND day BETWEEN ? AND ?"
            " AND deleted_at IS NULL"
        )
        params: list[Any] = [user_id, first.isoformat(), last.isoformat()]
        if employer_id is not None:
            sql += " AND employer_id = ?"
            params.append(employer_id)
        rows = await self.db.fetchall(sql + " ORDER BY day, id", params)
        return [_payment(r) for r in rows]

    # ---- the clock ---------------------------------------------------------------------------
    async def start_clock(self, user_id: int, employer_id: int, started_at: str) -> bool:
        """False if a clock is already running (pressing Start twice changes nothing)."""
        async with self.db.transaction() as tx:
            changed = await tx.rowcount(
                "INSERT INTO clock_sessions (user_id, employer_id, started_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO NOTHING",
                (user_id, employer_id, started_at),
            )
        return bool(changed)

    async def clock(self, user_id: int) -> tuple[int, dt.datetime] | None:
        row = await self.db.fetchone(
            "SELECT employer_id, started_at FROM clock_sessions WHERE user_id = ?", (user_id,)
        )
        return (row[0], dt.datetime.fromisoformat(row[1])) if row else None

    async def stop_clock(self, user_id: int) -> None:
        await self.db.execute("DELETE FROM clock_sessions WHERE user_id = ?", (user_id,))


async def _history(
    tx: Transaction, user_id: int, kind: str, entry_id: int, action: str, now: str
) -> None:
    table = {"work": "work_entries", "payment": "payments"}[kind]
    row = await tx.fetchone(f"SELECT * FROM {table} WHERE id = ?", (entry_id,))
    snapshot = json.dumps(dict(row) if row else {}, default=str)
    await tx.execute(
        "INSERT INTO entry_history (user_id, entry_kind, entry_id, action, snapshot, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (user_id, kind, entry_id, action, snapshot, now),
    )
