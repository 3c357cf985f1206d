"""SQL for the outbox: enqueue in batches, claim what is due, record each outcome."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.storage.database import Database, Transaction


@dataclass(frozen=True)
class OutgoingMessage:
    user_id: int
    kind: str
    method: str
    payload: dict[str, Any]
    not_before: str  # UTC ISO 8601
    priority: int = 5
    batch_id: int | None = None
    dedupe_key: str | None = None
    expires_at: str | None = None  # UTC ISO 8601; not sent by then: dropped as 'expired'


@dataclass(frozen=True)
class QueuedMessage:
    id: int
    user_id: int
    kind: str
    method: str
    payload: dict[str, Any]
    attempts: int
    batch_id: int | None
    channel: str = "telegram"  # her channel: which sender and which limits


async def insert_messages(tx: Transaction, messages: Iterable[OutgoingMessage], now: str) -> None:
    """Queue messages inside a caller's transaction (so they commit with its other writes)."""
    rows = [
        (
            m.user_id,
            m.kind,
            m.batch_id,
            m.dedupe_key,
            m.priority,
            m.method,
            json.dumps(m.payload, ensure_ascii=False),
            m.not_before,
            now,
            m.expires_at,
        )
        for m in messages
    ]
    # Her channel is where she wrote from: WhatsApp if she has a WhatsApp identity.
    await tx.executemany(
        "INSERT INTO outbox (user_id, kind, batch_id, dedupe_key, priority, method,"
        " payload, not_before, created_at, expires_at, channel)"
        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, COALESCE((SELECT channel FROM"
        " channel_identities WHERE user_id = ?1), 'telegram') WHERE 1"
        " ON CONFLICT (dedupe_key) DO NOTHING",
        rows,
    )


class OutboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(self, messages: Iterable[OutgoingMessage], now: str) -> None:
        """Add messages in one transaction (executemany); known dedupe keys are skipped."""
        async with self.db.transaction() as tx:
            await insert_messages(tx, messages, now)

    async def due(
        self, now: str, limit: int, exclude: set[int], channel: str = "telegram"
    ) -> list[QueuedMessage]:
        rows = await self.db.fetchall(
            "SELECT id, user_id, kind, method, payload, attempts, batch_id, channel FROM outbox"
            " WHERE channel = ? AND status = 'pending' AND not_before <= ?"
            " ORDER BY priority, not_before, id LIMIT ?",
            (channel, now, limit + len(exclude)),
        )
        return [
            QueuedMessage(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7])
            for r in rows
            if r[0] not in exclude
        ][:limit]

    async def sent_to(self, message_id: int, user_id: int) -> QueuedMessage | None:
        """A message already sent to `user_id` (for discreet mode's Read button)."""
        r = await self.db.fetchone(
            "SELECT id, user_id, kind, method, payload, attempts, batch_id, channel FROM outbox"
            " WHERE id = ? AND user_id = ? AND status = 'sent'",
            (message_id, user_id),
        )
        if r is None:
            return None
        return QueuedMessage(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7])

    async def next_due_at(self, channel: str = "telegram") -> str | None:
        return await self.db.fetchval(
            "SELECT MIN(not_before) FROM outbox WHERE channel = ? AND status = 'pending'",
            (channel,),
        )

    async def hold(self, message_id: int, reason: str) -> None:
        """Kept, not sent: WhatsApp takes it only once she writes again (`release`)."""
        await self.db.execute(
            "UPDATE outbox SET status = 'held', last_error = ? WHERE id = ?", (reason, message_id)
        )

    async def holds_for(self, user_id: int) -> bool:
        return bool(
            await self.db.fetchval(
                "SELECT 1 FROM outbox WHERE user_id = ? AND status = 'held' LIMIT 1", (user_id,)
            )
        )

    async def release(self, user_id: int, now: str) -> int:
        """She wrote: what was held for her is due now. The number released."""
        async with self.db.transaction() as tx:
            return await tx.rowcount(
                "UPDATE outbox SET status = 'pending', not_before = ? WHERE user_id = ?"
                " AND status = 'held'",
                (now, user_id),
            )

    async def claim(self, message_id: int) -> bool:
        """Take a pending message to send it now; False if it was cancelled meanwhile."""
        async with self.db.transaction() as tx:
            return (
                await tx.rowcount(
                    "UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'pending'",
                    (message_id,),
                )
                == 1
            )

    async def expire(self, now: str) -> list[tuple[str, int]]:
        """Drop what is still waiting past its expiry; return (kind, count) of what went."""
        async with self.db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT kind, COUNT(*) FROM outbox WHERE status IN ('pending', 'held')"
                " AND expires_at IS NOT NULL AND expires_at < ? GROUP BY kind",
                (now,),
            )
            if rows:
                await tx.execute(
                    "UPDATE outbox SET status = 'expired', last_error = 'too old to send'"
                    " WHERE status IN ('pending', 'held') AND expires_at IS NOT NULL"
                    " AND expires_at < ?",
                    (now,),
                )
            return [(r[0], int(r[1])) for r in rows]

    async def recover(self) -> int:
        """After a crash, what was being sent goes back to pending (it may arrive twice)."""
        async with self.db.transaction() as tx:
            return await tx.rowcount(
                "UPDATE outbox SET status = 'pending' WHERE status = 'sending'"
            )

    async def mark_sent(self, message_id: int, telegram_id: int | None, now: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,"
            " attempts = attempts + 1 WHERE id = ?",
            (now, telegram_id, message_id),
        )

    async def retry_later(self, message_id: int, not_before: str, error: str, count: bool) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'pending', not_before = ?, last_error = ?,"
            " attempts = attempts + ? WHERE id = ?",
            (not_before, error, int(count), message_id),
        )

    async def finish(self, message_id: int, status: str, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?",
            (status, error, message_id),
        )

    async def block_user(self, user_id: int, error: str) -> None:
        """A recipient who blocked the bot gets nothing more from the queue."""
        await self.db.execute(
            "UPDATE outbox SET status = 'blocked', last_error = ?"
            " WHERE user_id = ? AND status IN ('pending', 'held')",
            (error, user_id),
        )

    async def cancel(self, *, batch_id: int | None = None, dedupe_prefix: str | None = None) -> int:
        async with self.db.transaction() as tx:
            if batch_id is not None:
                return await tx.rowcount(
                    "UPDATE outbox SET status = 'cancelled' WHERE batch_id = ?"
                    " AND status IN ('pending', 'held')",
                    (batch_id,),
                )
            return await tx.rowcount(
                "UPDATE outbox SET status = 'cancelled' WHERE dedupe_key LIKE ? ESCAPE '\\'"
                " AND status IN ('pending', 'held')",
                ((dedupe_prefix or "").replace("%", "\\%").replace("_", "\\_") + "%",),
            )

    async def batch_counts(self, batch_id: int) -> dict[str, int]:
        """Messages of a broadcast by status, and (WhatsApp) by what became of them after:
        "wa_delivered" (read ones included) and "wa_read"."""
        rows = await self.db.fetchall(
            "SELECT status, COUNT(*), SUM(channel_status IN ('delivered', 'read')),"
            " SUM(channel_status = 'read') FROM outbox WHERE batch_id = ? GROUP BY status",
            (batch_id,),
        )
        counts = {r[0]: r[1] for r in rows}
        delivered = sum(int(r[2] or 0) for r in rows)
        read = sum(int(r[3] or 0) for r in rows)
        if delivered or read:
            counts["wa_delivered"], counts["wa_read"] = delivered, read
        return counts
