"""Organisers and unions: roles and invites, audiences, broadcasts and meeting notices.

Everything sent in bulk or later goes through the outbox; nothing here talks to Telegram.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import callbacks, i18n
from bot.domain.clock import Clock, iso
from bot.domain.countries import country
from bot.domain.errors import NotAllowed, UserFacingError
from bot.domain.users import Role, User
from bot.i18n import N_, _
from bot.services.delivery import FILE_REFERENCE
from bot.services.files import write_atomic
from bot.services.posting import LANE_REPLY, PostingService, timezone_of
from bot.services.users import UserService
from bot.storage.organisers import Broadcast, Meeting, OrganiserStore, Recipient
from bot.storage.outbox import OutboxStore

INVITE_LIFETIME = dt.timedelta(hours=48)
CATEGORIES = ("news", "meetings", "episodes")
GROUP_TAG = re.compile(r"[\w-]{1,32}")  # a group a worker can join: #lima, #bogotá, #القاهرة
GROUPS_SHOWN = 10  # groups in use that Meetings & news offers as buttons
REMINDER_LEADS = (dt.timedelta(hours=24), dt.timedelta(hours=2))
PRIORITY_REPORT = LANE_REPLY
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def stop_button(category: str) -> dict[str, object]:
    return {
        "inline_keyboard": [
            [
                {
                    "text": _("🔕 Stop these messages"),
                    "callback_data": callbacks.encode("stop", category),
                }
            ]
        ]
    }


JOIN_TRIES = 5  # failed /join codes per user per hour
JOIN_WINDOW = dt.timedelta(hours=1)
NOT_YOURS = N_("Only the organiser who wrote it, or an admin, can change it.")


class RoleService:
    def __init__(self, store: OrganiserStore, clock: Clock, users: UserService) -> None:
        self.store = store
        self.clock = clock
        self.users = users

    async def require(
        self,
        user_id: int,
        *allowed: Role,
        refusal: str = N_("Sorry, this command is only for union organisers."),
    ) -> None:
        """Raise NotAllowed (saying `refusal`) unless the user is an admin or holds one of
        `allowed`."""
        roles = await self.users.roles(user_id)
        if Role.ADMIN not in roles and not roles & set(allowed):
            raise NotAllowed(refusal)

    async def invite(self, admin_id: int, role: str) -> str:
        await self.require(admin_id)  # admins only
        if role not in (Role.ORGANISER, Role.ANALYST, Role.HELPER):
            raise UserFacingError(N_("Write /invite organiser, /invite analyst or /invite helper."))
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
        now = self.clock.now()
        await self.store.create_invite(
            _hash(code), role, admin_id, iso(now), iso(now + INVITE_LIFETIME)
        )
        await self.store.audit(admin_id, "invite", {"role": role}, iso(now))
        return code

    async def join(self, user_id: int, code: str) -> str:
        # L3: invite codes must not be guessable by trying: a few failures an hour, each
        # audited (never the code typed), then a polite wait.
        now = self.clock.now()
        failures = await self.store.count_audit(user_id, "join_failed", iso(now - JOIN_WINDOW))
        if failures >= JOIN_TRIES:
            raise UserFacingError(
                N_("Too many codes tried. Please wait an hour, or ask your union for a new one.")
            )
        role = await self.store.redeem_invite(_hash(code), user_id, iso(now))
        if role is None:
            await self.store.audit(user_id, "join_failed", {}, iso(now))
            raise UserFacingError(N_("That code is not valid, was used already, or has expired."))
        await self.store.audit(user_id, "join", {"role": role}, iso(self.clock.now()))
        return role

    async def audit(self, actor: int, action: str, details: dict[str, object]) -> None:
        """Record what an organiser, analyst or admin did (never text workers typed)."""
        await self.store.audit(actor, action, details, iso(self.clock.now()))

    async def grant(self, user_id: int, role: str, by: int | None = None) -> None:
        await self.store.grant(user_id, role, by, iso(self.clock.now()))
        await self.store.audit(
            by or 0, "grant", {"user": user_id, "role": role}, iso(self.clock.now())
        )

    async def revoke(self, user_id: int, role: str, by: int | None = None) -> bool:
        done = await self.store.revoke(user_id, role)
        await self.store.audit(
            by or 0, "revoke", {"user": user_id, "role": role}, iso(self.clock.now())
        )
        return done


@dataclass(frozen=True)
class Audience:
    category: str
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "countries": list(self.countries),
            "languages": list(self.languages),
            "tags": list(self.tags),
        }


class BroadcastService:
    def __init__(
        self,
        store: OrganiserStore,
        outbox: OutboxStore,
        clock: Clock,
        wake: Callable[[], None] = lambda: None,
        quiet: Callable[[Recipient, dt.datetime], dt.datetime] | None = None,
    ) -> None:
        self.store = store
        self.outbox = outbox
        self.clock = clock
        self.wake = wake
        # Every message goes through the posting service: quiet hours, lanes, maximum age.
        self.posting = PostingService(outbox, clock, wake, quiet)

    async def recipients(self, audience: Audience) -> list[Recipient]:
        return await self.store.audience(
            audience.category,
            list(audience.countries),
            list(audience.languages),
            list(audience.tags),
        )

    async def create(
        self,
        organiser: int,
        audience: Audience,
        texts: dict[str, str],
        fallback_locale: str,
        media: dict[str, str] | None = None,
        meeting_id: int | None = None,
        send_at: dt.datetime | None = None,
    ) -> int:
        """A draft to send now, or with `send_at` one scheduled for then (checked first)."""
        if not texts or fallback_locale not in texts:
            raise UserFacingError(N_("The announcement has no text yet."))
        if send_at is not None and send_at <= self.clock.now():
            raise UserFacingError(N_("That time has already passed. Write a time in the future."))
        broadcast_id = await self.store.create_broadcast(
            organiser,
            audience.category,
            audience.as_dict(),
            texts,
            fallback_locale,
            media,
            meeting_id,
            iso(self.clock.now()),
            None if send_at is None else iso(send_at),
        )
        await self.store.audit(
            organiser,
            "broadcast_create",
            {"broadcast": broadcast_id, "audience": audience.as_dict()},
            iso(self.clock.now()),
        )
        if send_at is not None:
            await self.store.audit(
                organiser,
                "broadcast_schedule",
                {"broadcast": broadcast_id, "at": iso(send_at)},
                iso(self.clock.now()),
            )
        return broadcast_id

    async def send(
        self,
        broadcast_id: int,
        render: Callable[[Broadcast, Recipient], list[tuple[str, dict[str, object]]]],
    ) -> int:
        """Queue each recipient's copy, in her language; return how many recipients. The
        first message of a copy counts for the delivery report; any that follow it (a
        meeting's calendar file) go out after it, outside the count."""
        broadcast = await self._get(broadcast_id)
        if broadcast.status not in ("draft", "scheduled"):
            return broadcast.recipients
        audience = Audience(
            broadcast.category,
            tuple(broadcast.audience["countries"]),
            tuple(broadcast.audience["languages"]),
            tuple(broadcast.audience["tags"]),
        )
        recipients = await self.recipients(audience)
        now = self.clock.now()
        messages = []
        expires = await self._expiry(broadcast)
        for recipient in recipients:
            for n, (method, payload) in enumerate(render(broadcast, recipient)):
                messages.append(
                    self.posting.message(
                        recipient,
                        "meeting" if broadcast.meeting_id else "announcement",
                        method,
                        payload,
                        f"b{broadcast_id}:{recipient.user_id}" + (f":{n}" if n else ""),
                        expires=expires,
                        batch_id=broadcast_id if n == 0 else None,
                    )
                )
        await self.posting.post(messages)
        await self.store.update_broadcast(
            broadcast_id, iso(now), status="queued", recipients=len(recipients)
        )
        await self.store.audit(
            broadcast.user_id,
            "broadcast_send",
            {"broadcast": broadcast_id, "recipients": len(recipients)},
            iso(now),
        )
        return len(recipients)

    async def _expiry(self, broadcast: Broadcast) -> dt.datetime | None:
        """A meeting notice is pointless once the meeting has started."""
        if broadcast.meeting_id is None:
            return None
        meeting = await self.store.meeting(broadcast.meeting_id)
        return dt.datetime.fromisoformat(meeting.starts_at) if meeting else None

    async def cancel(self, organiser: int, broadcast_id: int, admin: bool = False) -> None:
        broadcast = await self._get(broadcast_id)
        if broadcast.user_id != organiser and not admin:
            await self.store.audit(
                organiser,
                "broadcast_cancel_refused",
                {"broadcast": broadcast_id},
                iso(self.clock.now()),
            )
            raise UserFacingError(NOT_YOURS)
        if broadcast.status in ("done", "cancelled"):
            raise UserFacingError(N_("That announcement was already sent or cancelled."))
        await self.outbox.cancel(batch_id=broadcast_id)
        await self.outbox.cancel(dedupe_prefix=f"b{broadcast_id}:")  # with calendar files
        await self.store.update_broadcast(broadcast_id, iso(self.clock.now()), status="cancelled")
        await self.store.audit(
            organiser, "broadcast_cancel", {"broadcast": broadcast_id}, iso(self.clock.now())
        )

    async def progress_event(
        self, broadcast_id: int
    ) -> tuple[str, Broadcast, dict[str, int]] | None:
        """What to tell the organiser now: ("progress", …) at each quarter of a long send,
        ("done", …) once when nothing is left to send, else None."""
        broadcast = await self._get(broadcast_id)
        if broadcast.status != "queued":
            return None
        counts = await self.outbox.batch_counts(broadcast_id)
        waiting = counts.get("pending", 0) + counts.get("sending", 0)  # not yet answered
        finished = broadcast.recipients - waiting
        now = iso(self.clock.now())
        if waiting == 0:
            done = await self.store.advance_report(broadcast_id, 5, now)
            return ("done", broadcast, counts) if done else None
        quarter = 4 * finished // max(broadcast.recipients, 1)
        long_send = broadcast.recipients >= 200 and 0 < quarter < 4
        if long_send and await self.store.advance_report(broadcast_id, quarter, now):
            return "progress", broadcast, counts
        return None

    async def progress(self, broadcast_id: int) -> tuple[Broadcast, dict[str, int]]:
        return await self._get(broadcast_id), await self.outbox.batch_counts(broadcast_id)

    async def mine(self, organiser: int) -> list[tuple[Broadcast, dict[str, int]]]:
        """Her latest broadcasts that are scheduled, sending or sent, with delivery counts."""
        found = await self.store.broadcasts_by(organiser, ("scheduled", "queued", "done"))
        return [(b, await self.outbox.batch_counts(b.id)) for b in found]

    async def get(self, broadcast_id: int) -> Broadcast:
        return await self._get(broadcast_id)

    async def _get(self, broadcast_id: int) -> Broadcast:
        broadcast = await self.store.broadcast(broadcast_id)
        if broadcast is None:
            raise UserFacingError(N_("That announcement no longer exists."))
        return broadcast

    async def post_episode(
        self, episode: int, title: str, voice: Path, recipients: list[Recipient]
    ) -> None:
        """Tell subscribers of a new recorded episode, each in her language, with a stop button."""
        messages = []
        for recipient in recipients:
            with i18n.using(recipient.locale):
                caption = _("🎧 New episode: {title}").format(title=title)
                markup = stop_button("episodes")
            payload = {
                "chat_id": recipient.user_id,
                "voice": FILE_REFERENCE + str(voice),  # each channel's sender sends the file
                "caption": caption,
                "reply_markup": markup,
            }
            messages.append(
                self.posting.message(
                    recipient, "episode", "sendVoice", payload, f"ep{episode}:{recipient.user_id}"
                )
            )
        await self.posting.post(messages)

    # ---- audiences: what each worker opted in to, and her groups --------------------------
    async def subscriptions(self, user_id: int) -> set[str]:
        return await self.store.subscriptions(user_id)

    async def set_subscription(self, user_id: int, category: str, on: bool) -> None:
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        await self.store.set_subscription(user_id, category, on, iso(self.clock.now()))

    async def unsubscribe_all(self, user_id: int) -> None:
        await self.store.unsubscribe_all(user_id)

    async def groups(self, user_id: int) -> list[str]:
        """The groups she follows, by tag."""
        return await self.store.tags(user_id)

    async def groups_in_use(self) -> list[str]:
        """Groups organisers send to (not cancelled), most recently used first, at most
        GROUPS_SHOWN; only tags a worker could also join by typing them."""
        tags = await self.store.tags_in_use(GROUPS_SHOWN * 3)
        return [t for t in tags if GROUP_TAG.fullmatch(t)][:GROUPS_SHOWN]

    async def join_group(self, user_id: int, tag: str) -> None:
        """Idempotent: joining a group she is in changes nothing."""
        await self.store.set_tag(user_id, tag, True)

    async def leave_group(self, user_id: int, tag: str) -> None:
        await self.store.set_tag(user_id, tag, False)


class MeetingService:
    def __init__(
        self, store: OrganiserStore, outbox: OutboxStore, clock: Clock, broadcasts: BroadcastService
    ) -> None:
        self.store = store
        self.outbox = outbox
        self.clock = clock
        self.broadcasts = broadcasts
        self.posting = broadcasts.posting

    async def create(
        self,
        organiser: User,
        local_start: dt.datetime,
        place: str,
        location: tuple[float, float] | None,
        texts: dict[str, dict[str, str]],
    ) -> int:
        tz = ZoneInfo(organiser.timezone or country(organiser.country).timezone)
        starts = local_start.replace(tzinfo=tz).astimezone(dt.UTC)
        if starts <= self.clock.now():
            raise UserFacingError(N_("That time has already passed. Write a time in the future."))
        meeting_id = await self.store.create_meeting(
            organiser.user_id,
            iso(starts),
            str(tz),
            place.strip()[:200],
            location,
            texts,
            iso(self.clock.now()),
        )
        await self.store.audit(
            organiser.user_id, "meeting_create", {"meeting": meeting_id}, iso(self.clock.now())
        )
        return meeting_id

    async def get(self, meeting_id: int) -> Meeting:
        meeting = await self.store.meeting(meeting_id)
        if meeting is None:
            raise UserFacingError(N_("That meeting no longer exists."))
        return meeting

    async def mine(self, organiser: int) -> list[tuple[Meeting, dict[str, int]]]:
        """Her latest meetings with their RSVP counts (going, maybe, no)."""
        found = await self.store.meetings_by(organiser)
        return [(m, await self.store.rsvp_counts(m.id)) for m in found]

    async def rsvp(
        self,
        meeting_id: int,
        recipient: Recipient,
        answer: str,
        render_reminder: Callable[[Meeting, Recipient, dt.timedelta], str],
    ) -> Meeting:
        # Only someone the notice reached may answer it: meeting ids are sequential, and a
        # forged button must not tell anyone (an employer) when and where the union meets.
        if not await self.store.was_invited(meeting_id, recipient.user_id):
            await self.store.audit(
                recipient.user_id, "rsvp_refused", {"meeting": meeting_id}, iso(self.clock.now())
            )
            raise UserFacingError(N_("This button no longer works."))
        meeting = await self.get(meeting_id)
        if meeting.status != "planned":
            raise UserFacingError(N_("This meeting was cancelled."))
        if answer not in ("going", "maybe", "no"):
            raise UserFacingError(N_("Please answer with the buttons."))
        await self.store.set_rsvp(meeting_id, recipient.user_id, answer, iso(self.clock.now()))
        await self.outbox.cancel(dedupe_prefix=f"m{meeting_id}:{recipient.user_id}:")
        if answer in ("going", "maybe"):
            await self._enqueue_reminders(meeting, recipient, render_reminder)
        return meeting

    async def _enqueue_reminders(
        self,
        meeting: Meeting,
        recipient: Recipient,
        render_reminder: Callable[[Meeting, Recipient, dt.timedelta], str],
    ) -> None:
        starts = dt.datetime.fromisoformat(meeting.starts_at)
        now = self.clock.now()
        messages = []
        for lead in REMINDER_LEADS:
            when = starts - lead
            if when <= now:
                continue
            version = meeting.starts_at.replace(":", "")
            payload = {
                "chat_id": recipient.user_id,
                "text": render_reminder(meeting, recipient, lead),
                "parse_mode": "HTML",
            }
            messages.append(
                self.posting.message(
                    recipient,
                    "meeting_reminder",
                    "sendMessage",
                    payload,
                    f"m{meeting.id}:{recipient.user_id}:{int(lead.total_seconds())}:{version}",
                    due=when,  # goes earlier if that is in her quiet hours, never later
                    expires=starts,  # after the meeting has started it is not sent
                )
            )
        await self.posting.post(messages)

    async def reschedule(
        self,
        organiser: int,
        meeting_id: int,
        local_start: dt.datetime,
        notify: Callable[[Meeting, Recipient], str],
        render_reminder: Callable[[Meeting, Recipient, dt.timedelta], str],
        admin: bool = False,
    ) -> int:
        meeting = await self.get(meeting_id)
        await self.require_owner(organiser, meeting, admin, "meeting_move_refused")
        starts = local_start.replace(tzinfo=ZoneInfo(meeting.timezone)).astimezone(dt.UTC)
        if starts <= self.clock.now():
            raise UserFacingError(N_("That time has already passed. Write a time in the future."))
        await self.store.update_meeting(meeting_id, iso(self.clock.now()), starts_at=iso(starts))
        await self.outbox.cancel(dedupe_prefix=f"m{meeting_id}:")
        meeting = await self.get(meeting_id)
        notified = await self._notify_rsvps(meeting, "change", notify)
        for recipient, answer in await self.store.rsvp_recipients(meeting_id):
            if answer in ("going", "maybe"):
                await self._enqueue_reminders(meeting, recipient, render_reminder)
        await self.store.audit(
            organiser, "meeting_change", {"meeting": meeting_id}, iso(self.clock.now())
        )
        return notified

    async def require_owner(
        self, organiser: int, meeting: Meeting, admin: bool, refused: str
    ) -> None:
        """Only the organiser who called the meeting, or an admin, may change it (audited)."""
        if meeting.user_id != organiser and not admin:
            await self.store.audit(
                organiser, refused, {"meeting": meeting.id}, iso(self.clock.now())
            )
            raise UserFacingError(NOT_YOURS)

    async def cancel(
        self,
        organiser: int,
        meeting_id: int,
        notify: Callable[[Meeting, Recipient], str],
        admin: bool = False,
    ) -> int:
        await self.require_owner(
            organiser, await self.get(meeting_id), admin, "meeting_cancel_refused"
        )
        await self.store.update_meeting(meeting_id, iso(self.clock.now()), status="cancelled")
        await self.outbox.cancel(dedupe_prefix=f"m{meeting_id}:")
        meeting = await self.get(meeting_id)
        notified = await self._notify_rsvps(meeting, "cancel", notify)
        await self.store.audit(
            organiser, "meeting_cancel", {"meeting": meeting_id}, iso(self.clock.now())
        )
        return notified

    async def _notify_rsvps(
        self, meeting: Meeting, what: str, notify: Callable[[Meeting, Recipient], str]
    ) -> int:
        now = self.clock.now()
        messages = [
            self.posting.message(
                recipient,
                "meeting",
                "sendMessage",
                {
                    "chat_id": recipient.user_id,
                    "text": notify(meeting, recipient),
                    "parse_mode": "HTML",
                },
                f"n{meeting.id}:{what}:{iso(now)}:{recipient.user_id}",
                # A change or cancel notice waits for her quiet hours to end, but never
                # past the (old or new) start: after that it is dropped, not sent late.
                expires=dt.datetime.fromisoformat(meeting.starts_at),
            )
            for recipient, _answer in await self.store.rsvp_recipients(meeting.id)
        ]
        await self.posting.post(messages)
        return len(messages)

    async def ics_files(self, meeting: Meeting, folder: Path) -> dict[str, str]:
        """The meeting's calendar file in each language, written under `folder`, as outbox
        file references: each channel's sender sends it by its own bot's file id (a
        Telegram file id means nothing on WhatsApp). A folder per content, so a new time is
        a new file, never the old one's cached id."""
        found: dict[str, str] = {}
        for locale in i18n.AVAILABLE_LOCALES:
            content = self.ics(meeting, locale)
            digest = hashlib.sha256(content).hexdigest()[:16]
            path = folder / str(meeting.id) / digest / "meeting.ics"
            if not path.exists():
                await asyncio.to_thread(write_atomic, path, content)
            found[locale] = FILE_REFERENCE + str(path)
        return found

    @staticmethod
    def ics(meeting: Meeting, locale: str) -> bytes:
        """An iCalendar file for the meeting (times in UTC; calendars show local time)."""
        import icalendar  # loads on the first calendar file, not at start

        texts = meeting.texts.get(locale) or next(iter(meeting.texts.values()))
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//dwbot//meetings//EN")
        calendar.add("version", "2.0")
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.id}@dwbot")
        event.add("summary", texts.get("title", ""))
        event.add("description", texts.get("agenda", ""))
        event.add("location", meeting.place)
        starts = dt.datetime.fromisoformat(meeting.starts_at)
        event.add("dtstart", starts)
        event.add("dtend", starts + dt.timedelta(hours=2))
        event.add("dtstamp", starts)
        if meeting.latitude is not None and meeting.longitude is not None:
            event.add("geo", (meeting.latitude, meeting.longitude))
        if meeting.status == "cancelled":
            event.add("status", "CANCELLED")
        calendar.add_component(event)
        return calendar.to_ical()


def meeting_time_text(meeting: Meeting, recipient: Recipient) -> str:
    """The meeting's date and time in the recipient's timezone and language."""
    starts = dt.datetime.fromisoformat(meeting.starts_at).astimezone(timezone_of(recipient))
    with i18n.using(recipient.locale):
        return i18n.fmt_datetime(starts, "full")
