"""A per-user limit on expensive work (PDFs, exports, statistics), so one user's flood of
/export cannot slow everyone else: one at a time, and a few a minute."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.domain.clock import Clock
from bot.domain.errors import UserFacingError
from bot.i18n import N_

PER_MINUTE = 5
WAIT = N_("I am still preparing your last file. Please wait a minute and try again.")


class ExpensiveWork:
    def __init__(self, clock: Clock, per_minute: int = PER_MINUTE) -> None:
        self.clock = clock
        self.per_minute = per_minute
        self._running: set[int] = set()
        self._recent: dict[int, deque[dt.datetime]] = defaultdict(deque)

    @asynccontextmanager
    async def slot(self, user_id: int) -> AsyncIterator[None]:
        """Run the block for this user, or raise a polite 'please wait'."""
        now = self.clock.now()
        recent = self._recent[user_id]
        while recent and now - recent[0] > dt.timedelta(minutes=1):
            recent.popleft()
        if user_id in self._running or len(recent) >= self.per_minute:
            raise UserFacingError(WAIT)
        recent.append(now)
        self._running.add(user_id)
        try:
            yield
        finally:
            self._running.discard(user_id)
