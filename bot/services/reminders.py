"""Worker reminders: log today's hours, payday, rest day, and one-off reminders.

The scheduler calls `fire_due` every few seconds. Each due occurrence is either queued in
the outbox (once: the dedupe key is the reminder and its due time) or, if it was found too
late (the bot was down longer than the kind's grace window), dropped and logged.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot import callbacks, i18n
from bot.domain.clock import Clock, iso
from bot.domain.countries import country
from bot.domain.errors import UserFacingError
from bot.domain.reminders import (
    DEFAULT_TIMES,
    KINDS,
    Schedule,
    missed_decision,
    next_occurrence,
    parse_one_off,
)
from bot.domain.users import User
from bot.i18n import N_, _
from bot.services.posting import PostingService
from bot.storage.organisers import Recipient
from bot.storage.outbox import OutboxStore
from bot.storage.reminders import DueReminder, Reminder, ReminderStore

MAX_REMINDERS = 20
# What parse_one_off's refusals mean to her.
ONE_OFF_ERRORS = {
    "past": N_("That time has already passed. Write a time in the future."),
    "too_long": N_("That reminder is too long. Please write it in one short sentence."),
    "bad_date": N_("That date does not exist. Please check the day and the month."),
    "no_time": N_("Tell me the time too, for example: remind me tomorrow at 9 to call the union"),
}


def _tz(timezone: str | None, country_code: str | None) -> ZoneInfo:
    return ZoneInfo(timezone or country(country_code).timezone)


class ReminderService:
    def __init__(
        self,
        store: ReminderStore,
        outbox: OutboxStore,
        clock: Clock,
        posting: PostingService | None = None,
    ) -> None:
        self.store = store
        self.outbox = outbox
        self.clock = clock
        # Reminders are posted like every other deferred message: quiet hours, lane, age.
        self.posting = posting or PostingService(outbox, clock)

    def _now(self) -> dt.datetime:
        return self.clock.now()

    def timezone(self, user: User) -> ZoneInfo:
        """Her own clock: the zone she chose, else her country's."""
        return _tz(user.timezone, user.country)

    async def add(
        self, user: User, kind: str, schedule: Schedule, note: str | None = None
    ) -> Reminder:
        if kind not in KINDS:
            raise ValueError(f"unknown reminder kind {kind!r}")
        next_at = next_occurrence(schedule, self.timezone(user), self._now())
        if next_at is None:
            raise UserFacingError(ONE_OFF_ERRORS["past"])
        reminder = await self.store.add(
            user.user_id, kind, schedule, note, next_at, iso(self._now()), MAX_REMINDERS
        )
        if reminder is None:
            raise UserFacingError(N_("You have 20 reminders already. Delete one first."))
        return reminder

    async def add_daily(self, user: User, kind: str, at: dt.time) -> Reminder:
        return await self.add(user, kind, Schedule("daily", at))

    async def add_weekly(
        self, user: User, kind: str, weekday: int, at: dt.time | None = None
    ) -> Reminder:
        if not 0 <= weekday <= 6:
            raise ValueError(f"no weekday {weekday}")
        return await self.add(user, kind, Schedule("weekly", at or DEFAULT_TIMES[kind], weekday))

    async def add_monthly(
        self, user: User, kind: str, month_day: int, at: dt.time | None = None
    ) -> Reminder:
        """On `month_day` every month; in a shorter month, on its last day."""
        if not 1 <= month_day <= 31:
            raise UserFacingError(N_("Write a day of the month, from 1 to 31."))
        schedule = Schedule("monthly", at or DEFAULT_TIMES[kind], month_day=month_day)
        return await self.add(user, kind, schedule)

    async def add_from_text(self, user: User, text: str) -> Reminder | None:
        """A one-off reminder she wrote in her own words, or None if the text is not one."""
        tz = self.timezone(user)
        try:
            one_off = parse_one_off(text, self._now(), tz, user.locale)
        except ValueError as error:
            message = ONE_OFF_ERRORS.get(str(error), ONE_OFF_ERRORS["no_time"])
            raise UserFacingError(message) from None
        if one_off is None:
            return None
        schedule = Schedule("once", one_off.when.astimezone(tz).time(), once_at=one_off.when)
        return await self.add(user, "one_off", schedule, one_off.note or None)

    async def list(self, user: User) -> list[Reminder]:
        return await self.store.of_user(user.user_id)

    async def _own(self, user: User, reminder_id: int) -> Reminder:
        reminder = await self.store.get(user.user_id, reminder_id)
        if reminder is None or reminder.next_at is None:
            raise UserFacingError(N_("That reminder no longer exists."))
        return reminder

    async def pause(self, user: User, reminder_id: int, paused: bool) -> None:
        reminder = await self._own(user, reminder_id)
        if paused:
            await self.outbox.cancel(dedupe_prefix=f"rem:{reminder_id}:")
        next_at = None
        if not paused:  # resuming: the next occurrence from now, not the ones missed
            next_at = next_occurrence(
                reminder.schedule, _tz(user.timezone, user.country), self._now()
            )
        await self.store.update(
            user.user_id, reminder.id, iso(self._now()), paused=paused, next_at=next_at
        )

    async def get(self, user: User, reminder_id: int) -> Reminder:
        return await self._own(user, reminder_id)

    async def change_time(self, user: User, reminder_id: int, at: dt.time) -> Reminder:
        """A new time of day; a one-off stays on its day, at the new time."""
        reminder = await self._own(user, reminder_id)
        tz = self.timezone(user)
        once_at = reminder.schedule.once_at
        if once_at is not None:
            once_at = dt.datetime.combine(once_at.astimezone(tz).date(), at, tz).astimezone(dt.UTC)
        schedule = Schedule(
            reminder.schedule.rule,
            at,
            reminder.schedule.weekday,
            reminder.schedule.month_day,
            once_at,
        )
        next_at = next_occurrence(schedule, tz, self._now())
        if next_at is None:
            raise UserFacingError(ONE_OFF_ERRORS["past"])
        await self.store.update(
            user.user_id, reminder.id, iso(self._now()), at=at, next_at=next_at, once_at=once_at
        )
        return await self._own(user, reminder_id)

    async def cancel(self, user: User, reminder_id: int) -> None:
        if not await self.store.delete(user.user_id, reminder_id):
            raise UserFacingError(N_("That reminder no longer exists."))
        # An occurrence already queued (e.g. waiting for quiet hours to end) goes too.
        await self.outbox.cancel(dedupe_prefix=f"rem:{reminder_id}:")

    async def fire_due(self) -> tuple[int, int]:
        """Queue or drop every due occurrence; return (queued, dropped)."""
        now = self._now()
        queued = dropped = 0
        for due in await self.store.due(now):
            reminder = due.reminder
            assert reminder.next_at is not None
            tz = _tz(due.timezone, due.country)
            following = next_occurrence(reminder.schedule, tz, max(now, reminder.next_at))
            if missed_decision(reminder.kind, reminder.next_at, now) == "drop":
                await self.store.record(reminder, "dropped", None, following, iso(now))
                dropped += 1
                continue
            recipient = Recipient(
                reminder.user_id, due.locale, due.timezone, due.country, due.quiet
            )
            message = self.posting.message(  # in quiet hours: deferred to 07:00, not dropped
                recipient,
                "reminder",
                "sendMessage",
                render_reminder(reminder, due),
                f"rem:{reminder.id}:{reminder.next_at.isoformat()}",
                due=max(now, reminder.next_at),
            )
            await self.store.record(reminder, "sent", message, following, iso(now))
            queued += 1
        return queued, dropped


TEXTS = {
    "log_hours": N_("⏰ Time to write down today's hours."),
    "payday": N_("💵 Today is payday. Did you get paid? Write it down, for example: paid 1500"),
    "rest_day": N_("🌿 Today is your rest day. You have the right to rest."),
    "one_off": N_("⏰ Reminder"),
}


def render_reminder(reminder: Reminder, due: DueReminder) -> dict[str, object]:
    """The reminder message in the worker's language, with its buttons."""
    with i18n.using(due.locale):
        text = _(TEXTS[reminder.kind])
        if reminder.note:
            text += ": " + reminder.note
        rows: list[list[dict[str, str]]] = []
        if reminder.kind == "log_hours":
            rows.append(
                [
                    {
                        "text": _("✅ Log my usual hours"),
                        "callback_data": callbacks.encode("rem", "usual"),
                    }
                ]
            )
            rows.append(
                [{"text": _("📝 Log other hours"), "callback_data": callbacks.encode("h", "log")}]
            )
        rows.append(
            [
                {
                    "text": _("⏸ Pause this reminder"),
                    "callback_data": callbacks.encode("rem", "pause", reminder.id),
                }
            ]
        )
    return {"chat_id": reminder.user_id, "text": text, "reply_markup": {"inline_keyboard": rows}}
