"""SQL for channel identities, WhatsApp's inbound queue and its uploaded media."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.domain.clock import iso
from bot.storage.database import Database

FIRST_CHANNEL_USER_ID = 1 << 53  # beyond Telegram's ids (at most 52 significant bits)
_WROTE = (
    "UPDATE channel_identities SET last_inbound_at = ? WHERE user_id = ?"
    " AND (last_inbound_at IS NULL OR last_inbound_at < ?)"
)


class ChannelStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def address(self, channel: str, user_id: int) -> str | None:
        return await self.db.fetchval(
            "SELECT external_id FROM channel_identities WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )

    async def receive_all(
        self, channel: str, messages: list[tuple[str, str, Any]], now: dt.datetime
    ) -> list[tuple[int, bool]]:
        """Keep webhook messages (external id, message id, payload) in one transaction; for
        each, her user id (made the first time she writes) and whether it is new. A few
        statements for the whole batch, however many messages it holds."""
        at = iso(now)
        results: list[tuple[int, bool]] = []
        async with self.db.transaction() as tx:
            users: dict[str, int] = {}
            external = sorted({external_id for external_id, _, _ in messages})
            for chunk in _chunks(external):
                marks = ", ".join("?" * len(chunk))
                for external_id, user_id in await tx.fetchall(
                    "SELECT external_id, user_id FROM channel_identities"
                    f" WHERE channel = ? AND external_id IN ({marks})",
                    (channel, *chunk),
                ):
                    users[external_id] = int(user_id)
            new_people = [e for e in dict.fromkeys(e for e, _, _ in messages) if e not in users]
            if new_people:
                top = await tx.fetchone("SELECT MAX(user_id) FROM channel_identities")
                first = max(FIRST_CHANNEL_USER_ID, int((top[0] if top else 0) or 0) + 1)
                for offset, external_id in enumerate(new_people):
                    users[external_id] = first + offset
                await tx.executemany(
                    "INSERT INTO channel_identities (channel, external_id, user_id, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    [(channel, e, users[e], at) for e in new_people],
                )
            seen: set[str] = set()
            ids = sorted({message_id for _, message_id, _ in messages})
            for chunk in _chunks(ids):
                marks = ", ".join("?" * len(chunk))
                seen.update(
                    row[0]
                    for row in await tx.fetchall(
                        f"SELECT message_id FROM whatsapp_inbound WHERE message_id IN ({marks})",
                        tuple(chunk),
                    )
                )
            rows = []
            for external_id, message_id, payload in messages:
                new = message_id not in seen
                seen.add(message_id)  # the same message twice in one batch: kept once
                results.append((users[external_id], new))
                if new:
                    rows.append(
                        (
                            message_id,
                            users[external_id],
                            json.dumps(payload, ensure_ascii=False),
                            at,
                        )
                    )
            await tx.executemany(
                "INSERT INTO whatsapp_inbound (message_id, user_id, payload, received_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )
            await tx.executemany(_WROTE, [(at, user_id, at) for user_id in set(users.values())])
        return results

    # ---- inbound ---------------------------------------------------------------------------
    async def last_wrote(self, channel: str, user_id: int) -> dt.datetime | None:
        """When she last wrote on this channel (WhatsApp's 24-hour window starts there)."""
        value = await self.db.fetchval(
            "SELECT last_inbound_at FROM channel_identities WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return dt.datetime.fromisoformat(value) if value else None

    async def pending(self, limit: int = 100) -> list[tuple[str, int, Any]]:
        rows = await self.db.fetchall(
            "SELECT message_id, user_id, payload FROM whatsapp_inbound WHERE handled_at IS NULL"
            " ORDER BY received_at, rowid LIMIT ?",
            (limit,),
        )
        return [(r[0], int(r[1]), json.loads(r[2])) for r in rows]

    async def handled(self, message_id: str, now: dt.datetime) -> None:
        """Done: the text she sent is not kept (only the id, for deduplication)."""
        await self.db.execute(
            "UPDATE whatsapp_inbound SET handled_at = ?, payload = '{}' WHERE message_id = ?",
            (iso(now), message_id),
        )

    async def record_status(
        self, channel: str, external_id: str, message_number: int, status: str
    ) -> bool:
        """A status webhook (delivered, read, failed) for a message the outbox sent."""
        async with self.db.transaction() as tx:
            return bool(
                await tx.rowcount(
                    "UPDATE outbox SET channel_status = ? WHERE message_id = ? AND user_id ="
                    " (SELECT user_id FROM channel_identities"
                    " WHERE channel = ? AND external_id = ?)"
                    " AND (channel_status IS NULL OR channel_status != 'read')",
                    (status, message_number, channel, external_id),
                )
            )

    # ---- media -----------------------------------------------------------------------------
    async def media(self, sha256: str, fresh_since: dt.datetime) -> str | None:
        return await self.db.fetchval(
            "SELECT media_id FROM whatsapp_media WHERE sha256 = ? AND uploaded_at >= ?",
            (sha256, iso(fresh_since)),
        )

    async def remember_media(self, sha256: str, media_id: str, now: dt.datetime) -> None:
        await self.db.execute(
            "INSERT INTO whatsapp_media (sha256, media_id, uploaded_at) VALUES (?, ?, ?)"
            " ON CONFLICT (sha256) DO UPDATE SET media_id = excluded.media_id,"
            " uploaded_at = excluded.uploaded_at",
            (sha256, media_id, iso(now)),
        )


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    """At most `size` values per IN list (SQLite's default limit is 32,766 parameters)."""
    return [values[i : i + size] for i in range(0, len(values), size)]
