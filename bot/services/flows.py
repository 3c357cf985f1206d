"""Use cases for flows in progress: begin, move on, end, and forget the ones left idle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.domain.clock import Clock
from bot.domain.flows import Flow
from bot.storage.conversations import ConversationStore

DEFAULT_TIMEOUT = dt.timedelta(minutes=30)


class FlowService:
    def __init__(
        self, store: ConversationStore, clock: Clock, timeout: dt.timedelta = DEFAULT_TIMEOUT
    ) -> None:
        self.store = store
        self.clock = clock
        self.timeout = timeout

    def live(self, flow: Flow | None) -> Flow | None:
        """The flow as loaded with the user, or None if she left it idle past the timeout."""
        if flow is None or flow.expired(self.clock.now(), self.timeout):
            return None
        return flow

    async def current(self, user_id: int) -> Flow | None:
        return self.live(await self.store.get(user_id))

    async def save(self, user_id: int, name: str, data: Mapping[str, Any]) -> Flow:
        """Begin `name`, or move it on: its whole state is `data` (with its "step")."""
        await self.store.set(user_id, name, data)
        return Flow(name, dict(data), self.clock.now())

    async def end(self, user_id: int) -> None:
        await self.store.clear(user_id)
