"""SQL for users, their consents and roles."""

from __future__ import annotations

from typing import Any

from bot.domain.flows import Flow
from bot.domain.users import Consent, Role, User
from bot.storage.conversations import flow_of
from bot.storage.database import Database, Row, Transaction

# Rows that are the union's record of what an organiser did: kept, pseudonymised, on erasure.
ORGANISATION_RECORDS = ("broadcasts", "meetings", "audit_log")


# One statement per update: the user, her consents and the flow she is in.
LOAD = (
    "SELECT u.*,"
    " (SELECT granted FROM consents c WHERE c.user_id = u.user_id AND c.kind = 'records')"
    " AS c_records,"
    " (SELECT granted FROM consents c WHERE c.user_id = u.user_id AND c.kind = 'statistics')"
    " AS c_statistics,"
    " f.flow AS flow, f.data AS flow_data, f.updated_at AS flow_at"
    " FROM users u LEFT JOIN conversation_state f ON f.user_id = u.user_id"
    " WHERE u.user_id = ?"
)


def _user(row: Row) -> User:
    consents = {
        Consent.RECORDS: bool(row["c_records"]),
        Consent.STATISTICS: bool(row["c_statistics"]),
    }
    return User(
        user_id=row["user_id"],
        locale=row["locale"],
        country=row["country"],
        timezone=row["timezone"],
        onboarded=bool(row["onboarded"]),
        active=bool(row["active"]),
        records_consent=consents.get(Consent.RECORDS, False),
        statistics_consent=consents.get(Consent.STATISTICS, False),
        quiet_hours=bool(row["quiet_hours"]),
        neutral_notifications=bool(row["neutral_notifications"]),
    )


class UserStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> User | None:
        user, _flow = await self.load(user_id)
        return user

    async def load(self, user_id: int) -> tuple[User | None, Flow | None]:
        """The user and the flow she is in, in one statement."""
        row = await self.db.fetchone(LOAD, (user_id,))
        return (_user(row), flow_of(row)) if row is not None else (None, None)

    async def create(self, user_id: int, locale: str, now: str) -> None:
        await self.db.execute(
            "INSERT INTO users (user_id, locale, created_at, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO NOTHING",
            (user_id, locale, now, now),
        )

    async def update(self, user_id: int, now: str, **fields: Any) -> None:
        allowed = {
            "locale",
            "country",
            "timezone",
            "onboarded",
            "active",
            "quiet_hours",
            "neutral_notifications",
        }
        if not fields or not set(fields) <= allowed:
            raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)  # names from the allow-list
        await self.db.execute(
            f"UPDATE users SET {assignments}, updated_at = ? WHERE user_id = ?",
            (*fields.values(), now, user_id),
        )

    async def set_consent(self, user_id: int, kind: str, granted: bool, now: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO consents (user_id, kind, granted, changed_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id, kind) DO UPDATE SET granted = excluded.granted,"
                " changed_at = excluded.changed_at",
                (user_id, kind, int(granted), now),
            )
            if kind == "statistics" and not granted:
                # What she opened was kept only to be counted; with no consent it goes now.
                await tx.execute("DELETE FROM usage_events WHERE user_id = ?", (user_id,))

    async def roles(self, user_id: int) -> set[Role]:
        rows = await self.db.fetchall("SELECT role FROM roles WHERE user_id = ?", (user_id,))
        return {Role(r["role"]) for r in rows}

    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row about the user, table by table."""
        data: dict[str, list[dict[str, Any]]] = {}
        for table in await self.db.tables_with_column("user_id"):
            rows = await self.db.fetchall(
                f"SELECT * FROM {table} WHERE user_id = ?",  # table names come from sqlite_master
                (user_id,),
            )
            if rows:
                data[table] = [dict(r) for r in rows]
        return data

    async def erase(self, user_id: int) -> int:
        """Delete every row about the user in one transaction; return how many went.

        What she did for the union is the union's record, not data about her: her broadcasts,
        meetings and audit rows stay, with her id replaced by a pseudonym (a negative number,
        "former organiser #n"), so /delete cannot erase the trace of an announcement. Other
        people's RSVPs to her meetings stay with the meetings.
        """
        tables = await self.db.tables_with_column("user_id")
        deleted = 0
        async with self.db.transaction() as tx:
            acted = 0
            for table in ORGANISATION_RECORDS:
                row = await tx.fetchone(
                    f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,)
                )
                acted += int(row[0]) if row else 0
            if acted:
                pseudonym = await self._next_pseudonym(tx)
                for table in ORGANISATION_RECORDS:
                    await tx.execute(
                        f"UPDATE {table} SET user_id = ? WHERE user_id = ?", (pseudonym, user_id)
                    )
            # Her id inside audit details (a role granted to her) and on invites she used.
            await tx.execute(
                "UPDATE audit_log SET details = json_set(details, '$.user', NULL)"
                " WHERE json_valid(details) AND json_extract(details, '$.user') = ?",
                (user_id,),
            )
            await tx.execute("UPDATE invites SET used_by = NULL WHERE used_by = ?", (user_id,))
            # Children first, the users row last, so foreign keys never block the erase.
            for table in sorted(tables, key=lambda t: t == "users"):
                if table in ORGANISATION_RECORDS:
                    continue
                deleted += await tx.rowcount(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
        return deleted

    @staticmethod
    async def _next_pseudonym(tx: Transaction) -> int:
        lowest = 0
        for table in ORGANISATION_RECORDS:
            row = await tx.fetchone(f"SELECT MIN(user_id) FROM {table}")
            if row is not None and row[0] is not None:
                lowest = min(lowest, int(row[0]))
        return lowest - 1
