"""SQL for help requests (cases), their messages, and the bot's sent messages (clear chat)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.domain.cases import CLOSED, NEW, OPEN, WAITING, Case, CaseMessage
from bot.domain.clock import iso
from bot.storage.database import Database
from bot.storage.organisers import Recipient

_CASE_COLUMNS = (
    "id, user_id, status, helper_id, urgent, locale, country, attach, opened_at, updated_at,"
    " closed_at"
)
_MESSAGE_COLUMNS = (
    "id, case_id, author, kind, body, file_name, file_ref, mime, bytes, seconds, created_at,"
    " helper_id"
)


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _case(row: Any) -> Case:
    return Case(
        id=row["id"],
        user_id=row["user_id"],
        status=row["status"],
        helper_id=row["helper_id"],
        urgent=bool(row["urgent"]),
        locale=row["locale"],
        country=row["country"],
        attach=row["attach"],
        opened_at=dt.datetime.fromisoformat(row["opened_at"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
        closed_at=_moment(row["closed_at"]),
    )


def _message(row: Any) -> CaseMessage:
    return CaseMessage(
        id=row["id"],
        case_id=row["case_id"],
        author=row["author"],
        kind=row["kind"],
        body=row["body"],
        file_name=row["file_name"],
        file_ref=row["file_ref"],
        mime=row["mime"],
        bytes=row["bytes"],
        seconds=row["seconds"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        helper_id=row["helper_id"],
    )


class CaseStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- cases -----------------------------------------------------------------------------
    async def open_case(
        self,
        user_id: int,
        locale: str,
        country: str | None,
        urgent: bool,
        attach: str | None,
        now: dt.datetime,
    ) -> int:
        return await self.db.execute(
            f"INSERT INTO cases ({_CASE_COLUMNS.replace('id, ', '', 1)})"
            " VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL)",
            (user_id, NEW, int(urgent), locale, country, attach, iso(now), iso(now)),
        )

    async def get(self, case_id: int) -> Case | None:
        row = await self.db.fetchone(f"SELECT {_CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,))
        return _case(row) if row else None

    async def of_user(self, user_id: int) -> list[Case]:
        rows = await self.db.fetchall(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE user_id = ? ORDER BY id DESC", (user_id,)
        )
        return [_case(r) for r in rows]

    async def queue(self, queue: str, helper_id: int, limit: int) -> list[Case]:
        where = {
            "new": ("status = ?", (NEW,)),
            "mine": ("helper_id = ? AND status IN (?, ?)", (helper_id, OPEN, WAITING)),
            "waiting": ("status = ?", (WAITING,)),
            "closed": ("status = ?", (CLOSED,)),
        }[queue]
        order = "urgent DESC, opened_at" if queue != "closed" else "closed_at DESC"
        rows = await self.db.fetchall(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE {where[0]} ORDER BY {order} LIMIT ?",
            (*where[1], limit),
        )
        return [_case(r) for r in rows]

    async def counts(self, helper_id: int) -> dict[str, int]:
        row = await self.db.fetchone(
            "SELECT"
            " SUM(status = 'new'),"
            " SUM(helper_id = ? AND status IN ('open', 'waiting')),"
            " SUM(status = 'waiting'),"
            " SUM(status = 'closed'),"
            " SUM(status = 'new' AND urgent = 1)"
            " FROM cases",
            (helper_id,),
        )
        values = [int(v or 0) for v in (row or (0, 0, 0, 0, 0))]
        return dict(zip(("new", "mine", "waiting", "closed", "urgent"), values, strict=True))

    async def set_status(
        self,
        case_id: int,
        status: str,
        now: dt.datetime,
        *,
        expect: tuple[str, ...],
        helper_id: int | None = None,
        take: bool = False,
    ) -> bool:
        """Move the case only from one of `expect` (so two taps, or two helpers, cannot both
        win); True when it moved. `take` also records the helper."""
        marks = ",".join("?" * len(expect))
        closed = iso(now) if status == CLOSED else None
        if take:
            sql = (
                "UPDATE cases SET status = ?, helper_id = ?, updated_at = ?, closed_at = ?"
                f" WHERE id = ? AND status IN ({marks})"
            )
            params: tuple[Any, ...] = (status, helper_id, iso(now), closed, case_id, *expect)
        else:
            sql = (
                "UPDATE cases SET status = ?, updated_at = ?, closed_at = ?"
                f" WHERE id = ? AND status IN ({marks})"
            )
            params = (status, iso(now), closed, case_id, *expect)
        async with self.db.transaction() as tx:
            return bool(await tx.rowcount(sql, params))

    async def assign(self, case_id: int, helper_id: int, now: dt.datetime) -> bool:
        async with self.db.transaction() as tx:
            return bool(
                await tx.rowcount(
                    "UPDATE cases SET helper_id = ?, updated_at = ?,"
                    " status = CASE WHEN status = 'new' THEN 'open' ELSE status END"
                    " WHERE id = ? AND status != 'closed'",
                    (helper_id, iso(now), case_id),
                )
            )

    async def mark_urgent(self, case_id: int) -> None:
        await self.db.execute("UPDATE cases SET urgent = 1 WHERE id = ?", (case_id,))

    async def delete(self, case_id: int) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM case_messages WHERE case_id = ?", (case_id,))
            await tx.execute("DELETE FROM cases WHERE id = ?", (case_id,))

    async def closed_before(self, moment: dt.datetime) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT id FROM cases WHERE status = 'closed' AND closed_at < ?", (iso(moment),)
        )
        return [int(r[0]) for r in rows]

    async def open_cases(self) -> list[Case]:
        rows = await self.db.fetchall(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE status != 'closed' ORDER BY id"
        )
        return [_case(r) for r in rows]

    async def forget_helper(self, helper_id: int) -> None:
        """A helper erased her data: her cases go back to the queue, her answers stay with
        the worker's case without her id."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE cases SET helper_id = NULL,"
                " status = CASE WHEN status IN ('open', 'waiting') THEN 'new' ELSE status END"
                " WHERE helper_id = ?",
                (helper_id,),
            )
            await tx.execute(
                "UPDATE case_messages SET helper_id = NULL WHERE helper_id = ?", (helper_id,)
            )

    async def helpers_on_duty(self) -> list[Recipient]:
        rows = await self.db.fetchall(
            "SELECT u.user_id, u.locale, u.timezone, u.country, u.quiet_hours FROM roles r"
            " JOIN users u ON u.user_id = r.user_id"
            " WHERE r.role = 'helper' AND u.active = 1 AND u.on_duty = 1 ORDER BY u.user_id"
        )
        return [
            Recipient(
                r["user_id"], r["locale"], r["timezone"], r["country"], bool(r["quiet_hours"])
            )
            for r in rows
        ]

    async def on_duty(self, user_id: int) -> bool:
        return bool(
            await self.db.fetchval("SELECT on_duty FROM users WHERE user_id = ?", (user_id,))
        )

    async def set_on_duty(self, user_id: int, on: bool) -> None:
        await self.db.execute("UPDATE users SET on_duty = ? WHERE user_id = ?", (int(on), user_id))

    # ---- messages --------------------------------------------------------------------------
    async def add_message(
        self,
        case_id: int,
        user_id: int,
        author: str,
        kind: str,
        now: dt.datetime,
        *,
        body: str | None = None,
        file_name: str | None = None,
        file_ref: str | None = None,
        mime: str | None = None,
        size: int | None = None,
        seconds: int | None = None,
        helper_id: int | None = None,
        dedupe_key: str | None = None,
        status: str | None = None,
    ) -> int | None:
        """Add one message (None if this chat message was already added) and, in the same
        transaction, move the case to `status` (her message: open again; an answer: waiting)."""
        async with self.db.transaction() as tx:
            added = await tx.rowcount(
                "INSERT INTO case_messages (case_id, user_id, author, helper_id, kind, body,"
                " file_name, file_ref, mime, bytes, seconds, dedupe_key, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (dedupe_key) DO NOTHING",
                (
                    case_id,
                    user_id,
                    author,
                    helper_id,
                    kind,
                    body,
                    file_name,
                    file_ref,
                    mime,
                    size,
                    seconds,
                    dedupe_key,
                    iso(now),
                ),
            )
            if not added:
                return None
            row = await tx.fetchone("SELECT last_insert_rowid()")
            if status is not None:
                await tx.execute(
                    "UPDATE cases SET status = ?, updated_at = ?, closed_at = NULL"
                    " WHERE id = ? AND (status != 'new' OR ? = 'new')",
                    (status, iso(now), case_id, status),
                )
            else:
                await tx.execute(
                    "UPDATE cases SET updated_at = ? WHERE id = ?", (iso(now), case_id)
                )
            return int(row[0]) if row else None

    async def messages(self, case_id: int) -> list[CaseMessage]:
        rows = await self.db.fetchall(
            f"SELECT {_MESSAGE_COLUMNS} FROM case_messages WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
        return [_message(r) for r in rows]

    async def message(self, message_id: int) -> CaseMessage | None:
        row = await self.db.fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM case_messages WHERE id = ?", (message_id,)
        )
        return _message(row) if row else None

    async def message_count(self, case_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM case_messages WHERE case_id = ?", (case_id,)
            )
            or 0
        )
