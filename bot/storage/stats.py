"""SQL for anonymous statistics: per-worker sums that never leave the statistics service.

Every query here counts only workers who agreed to statistics (consent 'statistics' granted),
finished onboarding and chose a country. Rows come back keyed by user id only so that the
service can count distinct workers; the service publishes aggregates, never these rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.domain.records import currency_exponent
from bot.domain.statistics import Household
from bot.storage.database import Database, Row

# The workers who count, as a CTE every query starts with.
_WHO = """
who AS (
    SELECT u.user_id, u.country
    FROM users u
    JOIN consents c ON c.user_id = u.user_id AND c.kind = 'statistics' AND c.granted = 1
    WHERE u.onboarded = 1 AND u.country IS NOT NULL AND (:country IS NULL OR u.country = :country)
)"""


@dataclass
class DemoRows:
    """Rows for a synthetic database, table by table (see bot.services.demo_data)."""

    users: list[tuple[Any, ...]] = field(default_factory=list)
    consents: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[Any, ...]] = field(default_factory=list)
    employers: list[tuple[Any, ...]] = field(default_factory=list)
    entries: list[tuple[Any, ...]] = field(default_factory=list)
    payments: list[tuple[Any, ...]] = field(default_factory=list)
    usage: list[tuple[Any, ...]] = field(default_factory=list)


class StatsStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _among_who(
        self,
        sql: str,
        country: str | None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> list[Row]:
        """`sql` run after the `who` CTE, with :country, :start and :end bound."""
        params = {
            "country": country,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        }
        return await self.db.fetchall(f"WITH {_WHO} {sql}", params)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[StatsStore]:
        """This store on a read-only connection of its own, in one read transaction: every
        query of a report sees the same data, and the bot is never kept waiting by it."""
        async with self.db.reader() as reader:
            yield StatsStore(reader)

    async def work_weeks(
        self, start: dt.date, end: dt.date, country: str | None
    ) -> list[tuple[int, int, int, int, int]]:
        """(user_id, week, household id, minutes, distinct days) per worker, week and household,
        in one ordered pass over the week index (see migration 0007)."""
        rows = await self._among_who(
            """
            SELECT user_id, week, employer_id, SUM(worked_minutes), COUNT(DISTINCT day)
            FROM work_entries INDEXED BY work_entries_by_week
            WHERE day BETWEEN :start AND :end AND deleted_at IS NULL
              AND user_id IN (SELECT user_id FROM who)
            GROUP BY user_id, week, employer_id
            """,
            country,
            start,
            end,
        )
        return [tuple(r) for r in rows]

    async def payment_weeks(
        self, start: dt.date, end: dt.date, country: str | None
    ) -> list[tuple[int, int, int, float]]:
        """(user_id, week, household id, amount) of payments in the household's currency."""
        rows = await self._among_who(
            """
            SELECT p.user_id, CAST(julianday(p.day) + 0.5 AS INTEGER) / 7 AS week,
                   p.employer_id, SUM(p.amount_minor), p.currency
            FROM payments p
            JOIN who USING (user_id)
            JOIN employers e ON e.id = p.employer_id AND e.currency = p.currency
            WHERE p.deleted_at IS NULL AND p.day BETWEEN :start AND :end
            GROUP BY p.user_id, week, p.employer_id
            """,
            country,
            start,
            end,
        )
        return [(r[0], r[1], r[2], r[3] / 10 ** currency_exponent(r[4])) for r in rows]

    async def countries(self, country: str | None) -> dict[int, str]:
        rows = await self._among_who("SELECT user_id, country FROM who", country)
        return {r[0]: r[1] for r in rows}

    async def households(self, country: str | None) -> dict[int, Household]:
        rows = await self._among_who(
            """
            SELECT e.id, e.pay_minor, e.pay_unit, e.currency
            FROM employers e JOIN who USING (user_id)
            """,
            country,
        )
        return {r[0]: Household(r[1] / 10 ** currency_exponent(r[3]), r[2], r[3]) for r in rows}

    async def tags(self, country: str | None) -> dict[int, tuple[str, ...]]:
        rows = await self._among_who(
            "SELECT t.user_id, t.tag FROM user_tags t JOIN who USING (user_id)", country
        )
        tags: dict[int, list[str]] = {}
        for user_id, tag in rows:
            tags.setdefault(user_id, []).append(tag)
        return {user_id: tuple(sorted(values)) for user_id, values in tags.items()}

    async def usage(
        self, start: dt.date, end: dt.date, country: str | None
    ) -> list[tuple[str, str, str, int]]:
        """(country, kind, item, distinct workers) over the whole period."""
        rows = await self._among_who(
            """
            SELECT who.country, e.kind, e.item, COUNT(DISTINCT e.user_id)
            FROM usage_events e JOIN who USING (user_id)
            WHERE e.month BETWEEN substr(:start, 1, 7) AND substr(:end, 1, 7)
            GROUP BY who.country, e.kind, e.item
            """,
            country,
            start,
            end,
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def rsvps(
        self, start: dt.date, end: dt.date, country: str | None
    ) -> list[tuple[int, str, str, int]]:
        """(user_id, country, month of the meeting, 1 if she said she is going) per invitation
        delivered; a worker invited to several meetings in a month counts once, going if she
        said so to any of them."""
        rows = await self._among_who(
            """
            SELECT o.user_id, who.country, substr(m.starts_at, 1, 7) AS month,
                   MAX(COALESCE(r.answer = 'going', 0)) AS going
            FROM outbox o
            JOIN who USING (user_id)
            JOIN broadcasts b ON b.id = o.batch_id
            JOIN meetings m ON m.id = b.meeting_id
            LEFT JOIN rsvps r ON r.meeting_id = m.id AND r.user_id = o.user_id
            WHERE o.status = 'sent' AND m.status = 'planned'
              AND substr(m.starts_at, 1, 10) BETWEEN :start AND :end
            GROUP BY o.user_id, month
            """,
            country,
            start,
            end,
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def record_use(self, user_id: int, month: str, kind: str, item: str) -> None:
        """Note that a consenting worker opened an item this month (once per month)."""
        await self.db.execute(
            "INSERT OR IGNORE INTO usage_events (user_id, month, kind, item)"
            " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM consents WHERE user_id = ?"
            " AND kind = 'statistics' AND granted = 1)",
            (user_id, month, kind, item[:64], user_id),
        )

    async def next_demo_ids(self, base: int) -> tuple[int, int]:
        """(first free user id at or above `base`, first free household id)."""
        user = await self.db.fetchval("SELECT MAX(user_id) FROM users WHERE user_id >= ?", (base,))
        household = await self.db.fetchval("SELECT MAX(id) FROM employers")
        return (int(user) + 1 if user is not None else base, int(household or 0) + 1)

    async def has_users(self) -> bool:
        return bool(await self.db.fetchval("SELECT EXISTS (SELECT 1 FROM users)"))

    async def bulk_load(self, data: DemoRows) -> None:
        """Write synthetic rows (bot.services.demo_data) in one transaction."""
        async with self.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (user_id, locale, country, timezone, onboarded, created_at,"
                " updated_at) SELECT ?1, ?2, ?3, NULL, 1, ?4, ?4",
                data.users,
            )
            await tx.executemany(
                "INSERT INTO consents (user_id, kind, granted, changed_at) VALUES (?, ?, ?, ?)",
                data.consents,
            )
            await tx.executemany("INSERT INTO user_tags (user_id, tag) VALUES (?, ?)", data.tags)
            await tx.executemany(
                "INSERT INTO employers (id, user_id, nickname, pay_minor, pay_unit, currency,"
                " live_in, created_at, updated_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8",
                data.employers,
            )
            await tx.executemany(
                "INSERT INTO work_entries (user_id, employer_id, day, worked_minutes, source,"
                " created_at, updated_at) SELECT ?1, ?2, ?3, ?4, 'typed', ?5, ?5",
                data.entries,
            )
            await tx.executemany(
                "INSERT INTO payments (user_id, employer_id, day, amount_minor, currency,"
                " method, created_at, updated_at) SELECT ?1, ?2, ?3, ?4, ?5, 'cash', ?6, ?6",
                data.payments,
            )
            await tx.executemany(
                "INSERT OR IGNORE INTO usage_events (user_id, month, kind, item)"
                " VALUES (?, ?, ?, ?)",
                data.usage,
            )
