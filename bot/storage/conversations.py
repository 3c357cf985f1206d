"""SQL for conversations in progress (one per user), so restarts lose no half-done flow."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.clock import Clock, iso
from bot.storage.database import Database


class ConversationStore:
    """A user's current multi-step flow (adding a household, writing an announcement…)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def set(self, user_id: int, flow: str, data: dict[str, Any]) -> None:
        await self.db.execute(
            "INSERT INTO conversation_state (user_id, flow, data, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET flow = excluded.flow, data = excluded.data,"
            " updated_at = excluded.updated_at",
            (user_id, flow, json.dumps(data, ensure_ascii=False), iso(self.clock.now())),
        )

    async def get(self, user_id: int) -> tuple[str, dict[str, Any]] | None:
        row = await self.db.fetchone(
            "SELECT flow, data FROM conversation_state WHERE user_id = ?", (user_id,)
        )
        return (row[0], json.loads(row[1])) if row else None

    async def clear(self, user_id: int) -> None:
        await self.db.execute("DELETE FROM conversation_state WHERE user_id = ?", (user_id,))
