"""SQL for conversations in progress (one per user), so restarts lose no half-done flow."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from bot.domain.clock import Clock, iso
from bot.domain.flows import Flow
from bot.storage.database import Database, Row


def flow_from_row(name: str | None, data: str | None, updated_at: str | None) -> Flow | None:
    """The flow columns of a row (all NULL when she is in no flow)."""
    if name is None or data is None:
        return None
    when = dt.datetime.fromisoformat(updated_at) if updated_at else None
    return Flow(name, json.loads(data), when)


def flow_of(row: Row) -> Flow | None:
    return flow_from_row(row["flow"], row["flow_data"], row["flow_at"])


class ConversationStore:
    """A user's current multi-step flow (adding a household, writing an announcement…)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def set(self, user_id: int, flow: str, data: Mapping[str, Any]) -> None:
        await self.db.execute(
            "INSERT INTO conversation_state (user_id, flow, data, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET flow = excluded.flow, data = excluded.data,"
            " updated_at = excluded.updated_at",
            (user_id, flow, json.dumps(dict(data), ensure_ascii=False), iso(self.clock.now())),
        )

    async def get(self, user_id: int) -> Flow | None:
        row = await self.db.fetchone(
            "SELECT flow, data, updated_at FROM conversation_state WHERE user_id = ?", (user_id,)
        )
        return flow_from_row(row[0], row[1], row[2]) if row else None

    async def clear(self, user_id: int) -> None:
        await self.db.execute("DELETE FROM conversation_state WHERE user_id = ?", (user_id,))
