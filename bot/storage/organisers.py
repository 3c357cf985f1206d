"""SQL for roles, invites, the audit log, audiences, broadcasts, meetings and RSVPs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.storage.database import Database


@dataclass(frozen=True)
class Recipient:
    user_id: int
    locale: str
    timezone: str | None
    country: str | None
    quiet: bool = True  # no messages 21:00-07:00 her time


@dataclass(frozen=True)
class Broadcast:
    id: int
    user_id: int
    category: str
    audience: dict[str, list[str]]
    texts: dict[str, str]
    fallback_locale: str
    media: dict[str, str] | None
    meeting_id: int | None
    status: str
    send_at: str | None
    recipients: int
    reported: int


@dataclass(frozen=True)
class Meeting:
    id: int
    user_id: int
    starts_at: str
    timezone: str
    place: str
    latitude: float | None
    longitude: float | None
    texts: dict[str, dict[str, str]]
    status: str


class OrganiserStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- roles and invites -------------------------------------------------------------------
    async def create_invite(
        self, code_hash: str, role: str, admin_id: int, now: str, expires: str
    ) -> None:
        await self.db.execute(
            "INSERT INTO invites (code_hash, role, user_id, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (code_hash, role, admin_id, now, expires),
        )

    async def redeem_invite(self, code_hash: str, user_id: int, now: str) -> str | None:
        """The role, if the code exists, is unused and unexpired; it is used up at once."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT role, user_id FROM invites WHERE code_hash = ? AND used_by IS NULL"
                " AND expires_at > ?",
                (code_hash, now),
            )
            if row is None:
                return None
            await tx.execute(
                "UPDATE invites SET used_by = ?, used_at = ? WHERE code_hash = ?",
                (user_id, now, code_hash),
            )
            await tx.execute(
                "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id, role) DO NOTHING",
                (user_id, row["role"], row["user_id"], now),
            )
        return str(row["role"])

    async def grant(self, user_id: int, role: str, by: int | None, now: str) -> None:
        await self.db.execute(
            "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id, role) DO NOTHING",
            (user_id, role, by, now),
        )

    async def revoke(self, user_id: int, role: str) -> bool:
        async with self.db.transaction() as tx:
            return bool(
                await tx.rowcount(
                    "DELETE FROM roles WHERE user_id = ? AND role = ?", (user_id, role)
                )
            )

    async def all_roles(self) -> list[tuple[int, str, str]]:
        rows = await self.db.fetchall(
            "SELECT user_id, role, granted_at FROM roles ORDER BY role, user_id"
        )
        return [(r[0], r[1], r[2]) for r in rows]

    async def count_audit(self, actor: int, action: str, since: str) -> int:
        value = await self.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE user_id = ? AND action = ? AND at >= ?",
            (actor, action, since),
        )
        return int(value or 0)

    async def audit(self, actor: int, action: str, details: dict[str, Any], now: str) -> None:
        await self.db.execute(
            "INSERT INTO audit_log (user_id, action, details, at) VALUES (?, ?, ?, ?)",
            (actor, action, json.dumps(details, ensure_ascii=False, default=str), now),
        )

    # ---- audiences -------------------------------------------------------------------------
    async def subscriptions(self, user_id: int) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT category FROM subscriptions WHERE user_id = ?", (user_id,)
        )
        return {r[0] for r in rows}

    async def set_subscription(self, user_id: int, category: str, on: bool, now: str) -> None:
        if on:
            await self.db.execute(
                "INSERT INTO subscriptions (user_id, category, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (user_id, category, now),
            )
        else:
            await self.db.execute(
                "DELETE FROM subscriptions WHERE user_id = ? AND category = ?",
                (user_id, category),
            )

    async def unsubscribe_all(self, user_id: int) -> None:
        await self.db.execute("DELETE FROM subscriptions WHERE user_id = ?", (user_id,))

    async def tags(self, user_id: int) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT tag FROM user_tags WHERE user_id = ? ORDER BY tag", (user_id,)
        )
        return [r[0] for r in rows]

    async def set_tag(self, user_id: int, tag: str, on: bool) -> None:
        if on:
            await self.db.execute(
                "INSERT INTO user_tags (user_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (user_id, tag),
            )
        else:
            await self.db.execute(
                "DELETE FROM user_tags WHERE user_id = ? AND tag = ?", (user_id, tag)
            )

    async def known_tags(self) -> list[tuple[str, int]]:
        rows = await self.db.fetchall(
            "SELECT tag, COUNT(*) FROM user_tags GROUP BY tag ORDER BY COUNT(*) DESC, tag LIMIT 30"
        )
        return [(r[0], r[1]) for r in rows]

    async def tags_in_use(self, limit: int) -> list[str]:
        """Group tags in the audiences of broadcasts that are scheduled or sent (and whose
        meeting, if any, is not cancelled), the most recently used first."""
        rows = await self.db.fetchall(
            "SELECT t.value FROM broadcasts b JOIN json_each(b.audience, '$.tags') t"
            " LEFT JOIN meetings m ON m.id = b.meeting_id"
            " WHERE b.status IN ('scheduled', 'queued', 'done')"
            " AND (m.id IS NULL OR m.status != 'cancelled')"
            " GROUP BY t.value ORDER BY MAX(b.id) DESC, t.value LIMIT ?",
            (limit,),
        )
        return [str(r[0]) for r in rows]

    async def audience(
        self, category: str, countries: list[str], languages: list[str], tags: list[str]
    ) -> list[Recipient]:
        """Active, onboarded workers opted in to `category`, filtered by country/language/tag."""
        sql = (
            "SELECT u.user_id, u.locale, u.timezone, u.country, u.quiet_hours FROM users u"
            " JOIN subscriptions s ON s.user_id = u.user_id AND s.category = ?"
            " WHERE u.active = 1 AND u.onboarded = 1"
        )
        params: list[Any] = [category]
        for column, values in (("u.country", countries), ("u.locale", languages)):
            if values:
                sql += f" AND {column} IN ({','.join('?' * len(values))})"
                params += values
        if tags:
            sql += (
                " AND EXISTS (SELECT 1 FROM user_tags t WHERE t.user_id = u.user_id"
                f" AND t.tag IN ({','.join('?' * len(tags))}))"
            )
            params += tags
        rows = await self.db.fetchall(sql + " ORDER BY u.user_id", params)
        return [Recipient(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    # ---- broadcasts --------------------------------------------------------------------------
    async def create_broadcast(
        self,
        organiser: int,
        category: str,
        audience: dict[str, list[str]],
        texts: dict[str, str],
        fallback_locale: str,
        media: dict[str, str] | None,
        meeting_id: int | None,
        now: str,
        send_at: str | None = None,
    ) -> int:
        """A draft to send now, or (with `send_at`) one already scheduled, in one statement."""
        return await self.db.execute(
            "INSERT INTO broadcasts (user_id, category, audience, texts, fallback_locale, media,"
            " meeting_id, status, send_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                organiser,
                category,
                json.dumps(audience),
                json.dumps(texts, ensure_ascii=False),
                fallback_locale,
                json.dumps(media) if media else None,
                meeting_id,
                "draft" if send_at is None else "scheduled",
                send_at,
                now,
                now,
            ),
        )

    async def broadcast(self, broadcast_id: int) -> Broadcast | None:
        row = await self.db.fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        if row is None:
            return None
        return Broadcast(
            id=row["id"],
            user_id=row["user_id"],
            category=row["category"],
            audience=json.loads(row["audience"]),
            texts=json.loads(row["texts"]),
            fallback_locale=row["fallback_locale"],
            media=json.loads(row["media"]) if row["media"] else None,
            meeting_id=row["meeting_id"],
            status=row["status"],
            send_at=row["send_at"],
            recipients=row["recipients"],
            reported=row["reported"],
        )

    async def update_broadcast(self, broadcast_id: int, now: str, **fields: Any) -> None:
        allowed = {"status", "send_at", "recipients", "reported", "texts", "audience"}
        if not set(fields) <= allowed:
            raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
        values = [
            json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for v in fields.values()
        ]
        assignments = ", ".join(f"{name} = ?" for name in fields)  # names from the allow-list
        await self.db.execute(
            f"UPDATE broadcasts SET {assignments}, updated_at = ? WHERE id = ?",
            (*values, now, broadcast_id),
        )

    async def advance_report(self, broadcast_id: int, stage: int, now: str) -> bool:
        """Move the report stage forward once (concurrent deliveries race to do it)."""
        async with self.db.transaction() as tx:
            changed = await tx.rowcount(
                "UPDATE broadcasts SET reported = ?, updated_at = ?,"
                " status = CASE WHEN ? = 5 THEN 'done' ELSE status END"
                " WHERE id = ? AND reported < ? AND status = 'queued'",
                (stage, now, stage, broadcast_id, stage),
            )
        return bool(changed)

    async def broadcasts_by(self, organiser: int, statuses: Iterable[str]) -> list[Broadcast]:
        statuses = list(statuses)
        rows = await self.db.fetchall(
            f"SELECT id FROM broadcasts WHERE user_id = ? AND status IN"
            f" ({','.join('?' * len(statuses))}) ORDER BY id DESC LIMIT 10",
            (organiser, *statuses),
        )
        found = [await self.broadcast(r[0]) for r in rows]
        return [b for b in found if b is not None]

    async def due_scheduled(self, now: str) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT id FROM broadcasts WHERE status = 'scheduled' AND send_at <= ?", (now,)
        )
        return [r[0] for r in rows]

    async def scheduled(self) -> list[tuple[int, str]]:
        rows = await self.db.fetchall(
            "SELECT id, send_at FROM broadcasts WHERE status = 'scheduled'"
        )
        return [(r[0], r[1]) for r in rows]

    # ---- meetings and RSVPs ------------------------------------------------------------------
    async def create_meeting(
        self,
        organiser: int,
        starts_at: str,
        timezone: str,
        place: str,
        location: tuple[float, float] | None,
        texts: dict[str, dict[str, str]],
        now: str,
    ) -> int:
        return await self.db.execute(
            "INSERT INTO meetings (user_id, starts_at, timezone, place, latitude, longitude,"
            " texts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                organiser,
                starts_at,
                timezone,
                place,
                location[0] if location else None,
                location[1] if location else None,
                json.dumps(texts, ensure_ascii=False),
                now,
                now,
            ),
        )

    async def meeting(self, meeting_id: int) -> Meeting | None:
        row = await self.db.fetchone("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        if row is None:
            return None
        return Meeting(
            id=row["id"],
            user_id=row["user_id"],
            starts_at=row["starts_at"],
            timezone=row["timezone"],
            place=row["place"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            texts=json.loads(row["texts"]),
            status=row["status"],
        )

    async def meetings_by(self, organiser: int) -> list[Meeting]:
        rows = await self.db.fetchall(
            "SELECT id FROM meetings WHERE user_id = ? ORDER BY starts_at DESC LIMIT 10",
            (organiser,),
        )
        found = [await self.meeting(r[0]) for r in rows]
        return [m for m in found if m is not None]

    async def update_meeting(
        self,
        meeting_id: int,
        now: str,
        *,
        starts_at: str | None = None,
        status: str | None = None,
    ) -> None:
        await self.db.execute(
            "UPDATE meetings SET starts_at = COALESCE(?, starts_at),"
            " status = COALESCE(?, status), updated_at = ? WHERE id = ?",
            (starts_at, status, now, meeting_id),
        )

    async def was_invited(self, meeting_id: int, user_id: int) -> bool:
        """True if the meeting's notice was delivered to her, or she organised it."""
        value = await self.db.fetchval(
            "SELECT EXISTS (SELECT 1 FROM meetings WHERE id = ?1 AND user_id = ?2)"
            " OR EXISTS (SELECT 1 FROM outbox o JOIN broadcasts b ON o.batch_id = b.id"
            " WHERE b.meeting_id = ?1 AND o.user_id = ?2 AND o.status = 'sent')",
            (meeting_id, user_id),
        )
        return bool(value)

    async def set_rsvp(self, meeting_id: int, user_id: int, answer: str, now: str) -> None:
        await self.db.execute(
            "INSERT INTO rsvps (meeting_id, user_id, answer, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (meeting_id, user_id) DO UPDATE SET answer = excluded.answer,"
            " at = excluded.at",
            (meeting_id, user_id, answer, now),
        )

    async def rsvp_counts(self, meeting_id: int) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT answer, COUNT(*) FROM rsvps WHERE meeting_id = ? GROUP BY answer",
            (meeting_id,),
        )
        return {r[0]: r[1] for r in rows}

    async def rsvp_recipients(self, meeting_id: int) -> list[tuple[Recipient, str]]:
        rows = await self.db.fetchall(
            "SELECT u.user_id, u.locale, u.timezone, u.country, u.quiet_hours, r.answer"
            " FROM rsvps r"
            " JOIN users u ON u.user_id = r.user_id WHERE r.meeting_id = ? AND u.active = 1",
            (meeting_id,),
        )
        return [(Recipient(r[0], r[1], r[2], r[3], bool(r[4])), r[5]) for r in rows]
