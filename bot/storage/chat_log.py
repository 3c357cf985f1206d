"""SQL for the ids of the messages in her chat (hers and the bot's), for "Clear this chat"."""

from __future__ import annotations

import datetime as dt

from bot.domain.clock import iso
from bot.storage.database import Database


class ChatLogStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def remember(self, user_id: int, message_id: int, now: dt.datetime) -> None:
        await self.db.execute(
            "INSERT INTO chat_messages (user_id, message_id, sent_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (user_id, message_id, iso(now)),
        )

    async def remember_all(self, rows: list[tuple[int, int, dt.datetime]]) -> None:
        async with self.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO chat_messages (user_id, message_id, sent_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [(user_id, message_id, iso(at)) for user_id, message_id, at in rows],
            )

    async def since(self, user_id: int, moment: dt.datetime) -> list[int]:
        """Newest first."""
        rows = await self.db.fetchall(
            "SELECT message_id FROM chat_messages WHERE user_id = ? AND sent_at >= ?"
            " ORDER BY message_id DESC",
            (user_id, iso(moment)),
        )
        return [int(r[0]) for r in rows]

    async def forget(self, user_id: int, message_ids: list[int]) -> None:
        async with self.db.transaction() as tx:
            for message_id in message_ids:
                await tx.execute(
                    "DELETE FROM chat_messages WHERE user_id = ? AND message_id = ?",
                    (user_id, message_id),
                )

    async def prune(self, before: dt.datetime) -> int:
        async with self.db.transaction() as tx:
            return await tx.rowcount("DELETE FROM chat_messages WHERE sent_at < ?", (iso(before),))
