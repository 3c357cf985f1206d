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
    Schedule,
    after_quiet_hours,
    missed_decision,
    next_occurrence,
)
from bot.domain.users import User
from bot.i18n import N_, _
from bot.storage.outbox import OutboxStore, OutgoingMessage
from bot.storage.reminders import DueReminder, Reminder, ReminderStore

PRIORITY_REMINDER = 3


def _tz(timezone: str | None, country_code: str | None) -> ZoneInfo:
    return ZoneInfo(timezone or country(country_code).timezone)


class ReminderService:
    def __init__(self, store: ReminderStore, outbox: OutboxStore, clock: Clock) -> None:
        self.store = store
        self.outbox = outbox
        self.clock = clock

    def _now(self) -> dt.datetime:
        return self.clock.now()

    async def add(
        self, user: User, kind: str, schedule: Schedule, note: str | None = None
    ) -> Reminder:
        tz = _tz(user.timezone, user.country)
        next_at = next_occurrence(schedule, tz, self._now())
        if next_at is None:
            raise UserFacingError(N_("That time has already passed. Write a time in the future."))
        if len(await self.store.of_user(user.user_id)) >= 20:
            raise UserFacingError(N_("You have 20 reminders already. Delete one first."))
        reminder_id = await self.store.add(
            user.user_id, kind, schedule, note, next_at, iso(self._now())
        )
        reminder = await self.store.get(user.user_id, reminder_id)
        assert reminder is not None
        return reminder

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

    async def change_time(self, user: User, reminder_id: int, at: dt.time) -> None:
        reminder = await self._own(user, reminder_id)
        schedule = Schedule(
            reminder.schedule.rule,
            at,
            reminder.schedule.weekday,
            reminder.schedule.month_day,
            reminder.schedule.once_at,
        )
        next_at = next_occurrence(schedule, _tz(user.timezone, user.country), self._now())
        await self.store.update(user.user_id, reminder.id, iso(self._now()), at=at, next_at=next_at)

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
            send_at = max(now, reminder.next_at)
            if due.quiet:
                send_at = after_quiet_hours(send_at, tz)  # deferred, not dropped
            message = OutgoingMessage(
                user_id=reminder.user_id,
                kind="reminder",
                method="sendMessage",
                payload=render_reminder(reminder, due),
                not_before=iso(send_at),
                priority=PRIORITY_REMINDER,
                dedupe_key=f"rem:{reminder.id}:{reminder.next_at.isoformat()}",
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
