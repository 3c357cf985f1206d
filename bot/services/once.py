"""One press, one record: a button that creates something acts once, whatever the taps."""

from __future__ import annotations

from bot.domain.clock import Clock, iso
from bot.storage.actions import ActionStore


class OnceService:
    def __init__(self, store: ActionStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def claim(self, user_id: int, key: str) -> bool:
        """False when this exact button was already pressed (its action done or under way)."""
        return await self.store.claim(user_id, key, iso(self.clock.now()))

    async def release(self, user_id: int, key: str) -> None:
        """The action failed: the same button may be pressed again."""
        await self.store.release(user_id, key)
