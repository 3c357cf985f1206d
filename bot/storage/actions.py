"""SQL for buttons that record something: each press of one button on one message, once."""

from __future__ import annotations

from bot.storage.database import Database

MAX_KEY = 120


class ActionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, user_id: int, key: str, now: str) -> bool:
        """True the first time `key` is claimed; False on any repeat (a double tap)."""
        async with self.db.transaction() as tx:
            return bool(
                await tx.rowcount(
                    "INSERT INTO done_actions (user_id, key, at) VALUES (?, ?, ?)"
                    " ON CONFLICT (user_id, key) DO NOTHING",
                    (user_id, key[:MAX_KEY], now),
                )
            )

    async def release(self, user_id: int, key: str) -> None:
        await self.db.execute(
            "DELETE FROM done_actions WHERE user_id = ? AND key = ?", (user_id, key[:MAX_KEY])
        )
