"""Reminders: daily "log today's hours", payday, rest day, one-offs typed naturally, quiet
hours and the worker's timezone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

from babel.dates import get_day_names
from telegram import Update

from bot import callbacks, i18n
from bot.context import BotContext
from bot.domain.countries import country
from bot.domain.entry_parser import ParsedShift
from bot.domain.errors import UserFacingError
from bot.domain.reminders import Schedule, parse_one_off
from bot.domain.users import User
from bot.handlers import onboarding
from bot.handlers.common import Button, answer_callback, current_user, escape, inline, send
from bot.i18n import N_, _, fmt_datetime, fmt_time
from bot.storage.reminders import Reminder

REMINDER_TIME, MONTH_DAY, TIMEZONE = "rem_time", "rem_monthday", "timezone"
KIND_LABELS = {
    "log_hours": N_("Log today's hours"),
    "payday": N_("Payday"),
    "rest_day": N_("Rest day"),
    "one_off": N_("Reminder"),
}
_HHMM = re.compile(r"^\s*(\d{1,2})[:.h]?(\d{2})?\s*$")


def _weekday_name(index: int) -> str:
    return str(get_day_names("wide", locale=i18n.babel_locale(i18n.current_locale()))[index])


def describe(reminder: Reminder, user: User) -> str:
    schedule = reminder.schedule
    at = fmt_time(schedule.at)
    if schedule.rule == "daily":
        when = _("every day at {time}").format(time=at)
    elif schedule.rule == "weekly":
        when = _("every {weekday} at {time}").format(
            weekday=_weekday_name(schedule.weekday or 0), time=at
        )
    elif schedule.rule == "monthly":
        when = _("every month on day {day} at {time}").format(day=schedule.month_day, time=at)
    else:
        tz = zoneinfo.ZoneInfo(user.timezone or country(user.country).timezone)
        when = fmt_datetime(reminder.next_at.astimezone(tz)) if reminder.next_at else ""
    text = f"{_(KIND_LABELS[reminder.kind])} — {when}"
    if reminder.note:
        text += f" · {escape(reminder.note)}"
    if reminder.paused:
        text += " " + _("(paused)")
    return text


async def show_reminders(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    reminders = await context.services.reminders.list(user)
    lines = [_("⏰ <b>Reminders</b>")]
    rows: list[list[Button]] = []
    for reminder in reminders:
        lines.append("• " + describe(reminder, user))
        rows.append(
            [
                (
                    (_("▶️ Resume") if reminder.paused else _("⏸ Pause")) + f" {reminder.id}",
                    callbacks.encode("rem", "resume" if reminder.paused else "pause", reminder.id),
                ),
                (_("🕒 Time") + f" {reminder.id}", callbacks.encode("rem", "time", reminder.id)),
                (_("🗑") + f" {reminder.id}", callbacks.encode("rem", "del", reminder.id)),
            ]
        )
    if not reminders:
        lines.append(_("You have no reminders yet."))
    tz = user.timezone or country(user.country).timezone
    lines += [
        "",
        _("For a one-off reminder, write for example: remind me tomorrow at 9 to call the union"),
        _("Your time zone: {tz}. Change it with /timezone.").format(tz=tz),
    ]
    rows += [
        [(_("➕ Every day: log hours"), callbacks.encode("rem", "new", "log_hours"))],
        [
            (_("➕ Payday"), callbacks.encode("rem", "new", "payday")),
            (_("➕ Rest day"), callbacks.encode("rem", "new", "rest_day")),
        ],
        [
            (
                (
                    _("🌙 Quiet hours 21:00-07:00: on")
                    if user.quiet_hours
                    else _("🌙 Quiet hours 21:00-07:00: off")
                ),
                callbacks.encode("rem", "quiet", int(not user.quiet_hours)),
            )
        ],
    ]
    await send(update, context, "\n".join(lines), inline(rows))


def _time_buttons(kind: str) -> list[list[Button]]:
    times = ["18:00", "19:00", "20:00"] if kind == "log_hours" else ["08:00", "09:00", "12:00"]
    return [
        [(t, callbacks.encode("rem", "at", kind, t.replace(":", ""))) for t in times],
        [(_("Another time"), callbacks.encode("rem", "other", kind))],
    ]


def _parse_hhmm(text: str) -> dt.time:
    match = _HHMM.match(text)
    if match is None or int(match[1]) > 23 or int(match[2] or 0) > 59:
        raise UserFacingError(N_("Write the time like this: 20:00"))
    return dt.time(int(match[1]), int(match[2] or 0))


async def on_button(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    user = await current_user(update, context)
    service = context.services.reminders
    conversations = context.services.conversations
    await answer_callback(update)
    action = data.arg(0)
    if action in ("pause", "resume"):
        await service.pause(user, data.int_arg(1), action == "pause")
        await send(update, context, _("⏸ Paused.") if action == "pause" else _("▶️ Resumed."))
    elif action == "del":
        await service.cancel(user, data.int_arg(1))
        await send(update, context, _("🗑 Deleted."))
    elif action == "time":
        await conversations.set(user.user_id, REMINDER_TIME, {"change": data.int_arg(1)})
        await send(update, context, _("Write the new time like this: 20:00"))
    elif action == "new":
        kind = data.arg(1)
        if kind == "log_hours":
            await send(
                update,
                context,
                _("At what time should I remind you every day?"),
                inline(_time_buttons(kind)),
            )
        elif kind == "payday":
            await send(
                update,
                context,
                _("When is payday?"),
                inline(
                    [
                        [(_("Every week"), callbacks.encode("rem", "weekly", "payday"))],
                        [(_("Every month"), callbacks.encode("rem", "monthly", "payday"))],
                    ]
                ),
            )
        elif kind == "rest_day":
            await _ask_weekday(update, context, kind)
        else:
            raise callbacks.InvalidCallback("unknown reminder kind")
    elif action == "weekly":
        await _ask_weekday(update, context, data.arg(1))
    elif action == "monthly":
        await conversations.set(user.user_id, MONTH_DAY, {"kind": data.arg(1)})
        await send(
            update,
            context,
            _(
                "Write the day of the month, from 1 to 31. If a month is "
                "shorter, I remind you on its last day."
            ),
        )
    elif action == "wd":
        kind, weekday = data.arg(1), data.int_arg(2)
        if kind not in ("payday", "rest_day") or not 0 <= weekday <= 6:
            raise callbacks.InvalidCallback("bad weekday")
        at = dt.time(9) if kind == "payday" else dt.time(8)
        await _created(update, context, user, kind, Schedule("weekly", at, weekday=weekday))
    elif action == "at":
        kind, hhmm = data.arg(1), data.arg(2)
        if kind != "log_hours" or not re.fullmatch(r"\d{4}", hhmm):
            raise callbacks.InvalidCallback("bad time")
        at = _parse_hhmm(f"{hhmm[:2]}:{hhmm[2:]}")
        await _created(update, context, user, kind, Schedule("daily", at))
    elif action == "other":
        await conversations.set(user.user_id, REMINDER_TIME, {"kind": data.arg(1)})
        await send(update, context, _("Write the time like this: 20:00"))
    elif action == "quiet":
        context.worker = await context.services.users.set_quiet_hours(
            user.user_id, data.arg(1) == "1"
        )
        await show_reminders(update, context)
    elif action == "usual":
        await _log_usual(update, context, user)
    else:
        raise callbacks.InvalidCallback(f"unknown reminder action {action!r}")


async def _ask_weekday(update: Update, context: BotContext, kind: str) -> None:
    rows = [[(_weekday_name(d), callbacks.encode("rem", "wd", kind, d))] for d in range(7)]
    await send(update, context, _("Which day of the week?"), inline(rows))


async def _created(
    update: Update,
    context: BotContext,
    user: User,
    kind: str,
    schedule: Schedule,
    note: str | None = None,
) -> None:
    reminder = await context.services.reminders.add(user, kind, schedule, note)
    await send(
        update, context, _("✅ Reminder saved: {what}").format(what=describe(reminder, user))
    )


async def _log_usual(update: Update, context: BotContext, user: User) -> None:
    """One tap from the daily reminder: today's usual hours for the household that has them."""
    hours = context.services.hours
    employers = [e for e in await hours.employers(user) if e.usual_start and e.usual_end]
    if not employers:
        await send(
            update,
            context,
            _("I don't know your usual hours yet. Write today's hours, for example: 9:00-17:00"),
        )
        return
    employer = employers[0]
    assert employer.usual_start is not None and employer.usual_end is not None
    today = hours.today(user)
    start = dt.datetime.combine(today, employer.usual_start)
    end = dt.datetime.combine(today, employer.usual_end)
    if end <= start:
        end += dt.timedelta(days=1)
    shift = ParsedShift(
        day=today, start=employer.usual_start, end=employer.usual_end, worked=end - start
    )
    entry = await hours.log_shift(user, employer.id, shift, source="reminder")
    await send(
        update,
        context,
        _("✅ Saved for {name}: {hours} today.").format(
            name=escape(employer.nickname), hours=i18n.fmt_duration(entry.worked_minutes)
        ),
        inline([[(_("↩️ Undo"), callbacks.encode("h", "del", "work", entry.id))]]),
    )


async def interpret_text(update: Update, context: BotContext, text: str) -> bool:
    """Text router step: reminder flows in progress, and one-off reminders typed naturally."""
    user = context.worker
    if user is None:
        return False
    conversations = context.services.conversations
    state = await conversations.get(user.user_id)
    if state is not None and state[0] in (REMINDER_TIME, MONTH_DAY, TIMEZONE):
        await _flow_step(update, context, user, state[0], state[1], text)
        return True
    tz = zoneinfo.ZoneInfo(user.timezone or country(user.country).timezone)
    try:
        one_off = parse_one_off(text, context.services.clock.now(), tz, user.locale)
    except ValueError as error:
        if str(error) == "past":
            raise UserFacingError(
                N_("That time has already passed. Write a time in the future.")
            ) from None
        if str(error) == "too_long":
            raise UserFacingError(
                N_("That reminder is too long. Please write it in one short sentence.")
            ) from None
        raise UserFacingError(
            N_("Tell me the time too, for example: remind me tomorrow at 9 to call the union")
        ) from None
    if one_off is None:
        return False
    await _created(
        update,
        context,
        user,
        "one_off",
        Schedule("once", one_off.when.astimezone(tz).time(), once_at=one_off.when),
        one_off.note or None,
    )
    return True


async def _flow_step(
    update: Update, context: BotContext, user: User, flow: str, data: dict[str, Any], text: str
) -> None:
    conversations = context.services.conversations
    if flow == TIMEZONE:
        await _set_timezone(update, context, user, text)
    elif flow == MONTH_DAY:
        if not text.strip().isdigit() or not 1 <= int(text) <= 31:
            raise UserFacingError(N_("Write a day of the month, from 1 to 31."))
        await conversations.clear(user.user_id)
        await _created(
            update,
            context,
            user,
            data["kind"],
            Schedule("monthly", dt.time(9), month_day=int(text)),
        )
    else:
        at = _parse_hhmm(text)
        await conversations.clear(user.user_id)
        if "change" in data:
            await context.services.reminders.change_time(user, int(data["change"]), at)
            await send(update, context, _("✅ Time changed."))
        else:
            await _created(update, context, user, data["kind"], Schedule("daily", at))


async def timezone_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    if context.args:
        await _set_timezone(update, context, user, context.args[0])
        return
    await context.services.conversations.set(user.user_id, TIMEZONE, {})
    await onboarding.ask_timezone(update, context, user)  # her country's clocks as buttons


async def _set_timezone(update: Update, context: BotContext, user: User, text: str) -> None:
    # The service refuses unknown names, folders such as "America" and over-long text.
    context.worker = await context.services.users.set_timezone(user.user_id, text)
    await context.services.conversations.clear(user.user_id)
    name = context.worker.timezone or ""
    await send(update, context, _("✅ Time zone: {tz}.").format(tz=escape(name)))
