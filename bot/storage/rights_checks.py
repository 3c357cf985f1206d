"""SQL for the rights checks a worker saved to her record."""

from __future__ import annotations

import datetime as dt

from bot.domain.clock import Clock, iso
from bot.storage.database import Database


class RightsCheckStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def save(self, user_id: int, day: dt.date, jurisdiction: str, answers: str) -> bool:
        """Keep one check; False when the same answers were already saved that day."""
        async with self.db.transaction() as tx:
            return bool(
                await tx.rowcount(
                    "INSERT INTO rights_checks"
                    " (user_id, checked_on, jurisdiction, answers, created_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (user_id, day.isoformat(), jurisdiction, answers, iso(self.clock.now())),
                )
            )

    async def saved(self, user_id: int) -> list[tuple[dt.date, str, str]]:
        rows = await self.db.fetchall(
            "SELECT checked_on, jurisdiction, answers FROM rights_checks WHERE user_id = ?"
            " ORDER BY checked_on, id",
            (user_id,),
        )
        return [(dt.date.fromisoformat(r[0]), r[1], r[2]) for r in rows]
