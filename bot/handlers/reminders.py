"""Reminders: daily "log today's hours", payday, rest day, one-offs typed naturally, quiet
hours and the worker's timezone.

Every question can be answered by tapping, and typing works at each step too. Three declared
flows (FLOWS, at the end) take the typed answers: REMINDER_TIME, a time of day for a new daily
reminder or for changing one; MONTH_DAY, payday's day of the month; TIMEZONE, /timezone's zone
name. Each button carries what it stands for ("rem:at:c5:0930": reminder 5 at 09:30), so an
old screen still does what it says, and a second press of a button that creates a reminder is
told "Already saved" (RECORDING).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import callbacks, i18n
from bot.callbacks import Callback
from bot.context import BotContext
from bot.domain.entry_parser import ParsedShift
from bot.domain.errors import UserFacingError
from bot.domain.flows import Flow
from bot.domain.reminders import parse_month_day, parse_time_of_day
from bot.domain.users import User
from bot.handlers import flows, onboarding, pickers
from bot.handlers.common import (
    Action,
    Button,
    current_user,
    dispatch,
    escape,
    inline,
    send,
)
from bot.handlers.flows import FlowSpec, buttons
from bot.i18n import N_, _, fmt_datetime, fmt_time
from bot.services.reminders import ReminderService
from bot.storage.reminders import Reminder

REMINDER_TIME, MONTH_DAY, TIMEZONE = "rem_time", "rem_monthday", "timezone"
KIND_LABELS = {
    "log_hours": N_("Log today's hours"),
    "payday": N_("Payday"),
    "rest_day": N_("Rest day"),
    "one_off": N_("Reminder"),
}
WEEKLY_KINDS = ("payday", "rest_day")
MONTHLY_KINDS = ("payday",)
NEW_DAILY = "log_hours"  # the time target of a new daily reminder; "c<id>" changes one
QUICK_TIMES = {
    "log_hours": (dt.time(18), dt.time(19), dt.time(20)),  # after work, one tap
    "payday": (dt.time(8), dt.time(12), dt.time(18)),  # besides 09:00, the one it starts at
    "rest_day": (dt.time(7), dt.time(9), dt.time(10)),
}
# Buttons that create a reminder or a record: a second press of the same one changes nothing.
RECORDING = frozenset({"at", "wd", "md", "usual"})


def _service(context: BotContext) -> ReminderService:
    return context.services.reminders


def _weekday_name(index: int) -> str:
    return str(get_day_names("wide", locale=i18n.babel_locale(i18n.current_locale()))[index])


def describe(reminder: Reminder, tz: ZoneInfo) -> str:
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
        when = fmt_datetime(reminder.next_at.astimezone(tz)) if reminder.next_at else ""
    text = f"{_(KIND_LABELS[reminder.kind])} — {when}"
    if reminder.note:
        text += f" · {escape(reminder.note)}"
    if reminder.paused:
        text += " " + _("(paused)")
    return text


# ---- the reminders screen ------------------------------------------------------------------
async def show_reminders(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    reminders = await _service(context).list(user)
    tz = _service(context).timezone(user)
    lines = [_("⏰ <b>Reminders</b>")]
    rows: list[list[Button]] = []
    for reminder in reminders:
        lines.append("• " + describe(reminder, tz))
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
    lines += [
        "",
        _("For a one-off reminder, write for example: remind me tomorrow at 9 to call the union"),
        _("Your time zone: {tz}. Change it with /timezone.").format(tz=tz.key),
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


# ---- screens ----------------------------------------------------------------------------------
def _choose_time(target: str) -> Callable[[str], str]:
    return lambda hhmm: callbacks.encode("rem", "at", target, hhmm)


def _time_grid(target: str, page: int, current: dt.time | None = None) -> InlineKeyboardMarkup:
    """Half hours, a page of twelve hours at a time, with Earlier and Later."""
    rows = pickers.time_grid(
        pickers.half_hours(pickers.GRID_PAGES[page]),
        _choose_time(target),
        lambda t: "✅ " if t == current else "",
    )
    rows.append(pickers.page_row(page, lambda p: callbacks.encode("rem", "tp", target, p)))
    return inline(rows)


def _page_of(at: dt.time) -> int:
    """The grid page that shows `at` with the most hours around it."""
    return 0 if at.hour < 6 else 1 if at.hour < 18 else 2


def _day_grid(kind: str) -> InlineKeyboardMarkup:
    days = [(str(d), callbacks.encode("rem", "md", kind, d)) for d in range(1, 32)]
    return inline([days[i : i + 7] for i in range(0, len(days), 7)])


def _weekday_grid(kind: str) -> InlineKeyboardMarkup:
    return inline([[(_weekday_name(d), callbacks.encode("rem", "wd", kind, d))] for d in range(7)])


def _tap_or_write() -> str:
    return _("Tap a time, or write it, for example: 20:30")


async def _replace_keyboard(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup
) -> None:
    """Turn the pressed message's keyboard into the next one (paging adds no messages);
    send a new message when it cannot be edited."""
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await query.edit_message_reply_markup(reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():  # Later on the last page: the same keys
                return
    await send(update, context, text, markup)


# ---- what a time is for -------------------------------------------------------------------------
def _change_target(reminder_id: int) -> str:
    return f"c{reminder_id}"


def _reminder_of(target: str) -> int | None:
    """The reminder a time target changes, or None for a new daily reminder."""
    if target == NEW_DAILY:
        return None
    if target.startswith("c") and target[1:].isdigit() and len(target) <= 20:
        return int(target[1:])
    raise callbacks.InvalidCallback(f"unknown time target {target!r}")


async def _ask_time(
    update: Update, context: BotContext, user: User, target: str, *, replace: bool = False
) -> None:
    """The time grid for `target`; what she types next is read as that time."""
    reminder_id = _reminder_of(target)
    current = None
    if reminder_id is None:
        text = _("At what time should I remind you every day?")
        page = _page_of(dt.time(20))
    else:
        reminder = await _service(context).get(user, reminder_id)
        current = reminder.schedule.at
        tz = _service(context).timezone(user)
        text = _("🕒 New time for: {what}").format(what=describe(reminder, tz))
        page = _page_of(current)
    await flows.save(context, REMINDER_TIME, {"step": "time", "target": target})
    text += "\n" + _tap_or_write()
    markup = _time_grid(target, page, current)
    if replace:
        await _replace_keyboard(update, context, text, markup)
    else:
        await send(update, context, text, markup)


async def _set_time(
    update: Update, context: BotContext, user: User, target: str, at: dt.time
) -> None:
    """A time chosen or typed: a new daily reminder, or a reminder's new time."""
    flow = context.flow
    if flow is not None and flow.at(REMINDER_TIME) and flow.data.get("target") == target:
        await flows.end(context)
    reminder_id = _reminder_of(target)
    if reminder_id is None:
        reminder = await _service(context).add_daily(user, "log_hours", at)
        await _saved(update, context, user, reminder)
        return
    await _service(context).change_time(user, reminder_id, at)
    await send(update, context, _("✅ Time changed."))


async def _saved(
    update: Update, context: BotContext, user: User, reminder: Reminder, *, offer: bool = False
) -> None:
    """'Saved' with what it means; `offer` adds other times, a tap each (payday, rest day)."""
    text = _("✅ Reminder saved: {what}").format(
        what=describe(reminder, _service(context).timezone(user))
    )
    if not offer:
        await send(update, context, text)
        return
    target = _change_target(reminder.id)
    quick = QUICK_TIMES.get(reminder.kind, ())
    rows = [
        [(fmt_time(t), _choose_time(target)(pickers.hhmm(t))) for t in quick],
        [(_("🕒 Another time"), callbacks.encode("rem", "time", reminder.id))],
    ]
    await send(update, context, text + "\n" + _("Another time? Tap it."), inline(rows))


# ---- buttons ------------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    await dispatch(update, context, ACTIONS, RECORDING)


async def _on_pause(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await _service(context).pause(user, data.int_arg(1), True)
    await send(update, context, _("⏸ Paused."))


async def _on_resume(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await _service(context).pause(user, data.int_arg(1), False)
    await send(update, context, _("▶️ Resumed."))


async def _on_delete(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await _service(context).cancel(user, data.int_arg(1))
    await send(update, context, _("🗑 Deleted."))


async def _on_change_time(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await _ask_time(update, context, user, _change_target(data.int_arg(1)))


async def _on_new(update: Update, context: BotContext, user: User, data: Callback) -> None:
    kind = data.arg(1)
    if kind == "log_hours":
        await flows.save(context, REMINDER_TIME, {"step": "time", "target": NEW_DAILY})
        quick = [(fmt_time(t), _choose_time(NEW_DAILY)(pickers.hhmm(t))) for t in QUICK_TIMES[kind]]
        rows = [quick, [(_("Another time"), callbacks.encode("rem", "other", NEW_DAILY))]]
        text = _("At what time should I remind you every day?") + "\n" + _tap_or_write()
        await send(update, context, text, inline(rows))
    elif kind == "payday":
        rows = [
            [(_("Every week"), callbacks.encode("rem", "weekly", "payday"))],
            [(_("Every month"), callbacks.encode("rem", "monthly", "payday"))],
        ]
        await send(update, context, _("When is payday?"), inline(rows))
    elif kind == "rest_day":
        await send(update, context, _("Which day of the week?"), _weekday_grid(kind))
    else:
        raise callbacks.InvalidCallback(f"unknown reminder kind {kind!r}")


async def _on_weekly(update: Update, context: BotContext, user: User, data: Callback) -> None:
    kind = data.arg(1)
    if kind not in WEEKLY_KINDS:
        raise callbacks.InvalidCallback(f"no weekly {kind!r}")
    await send(update, context, _("Which day of the week?"), _weekday_grid(kind))


async def _on_monthly(update: Update, context: BotContext, user: User, data: Callback) -> None:
    kind = data.arg(1)
    if kind not in MONTHLY_KINDS:
        raise callbacks.InvalidCallback(f"no monthly {kind!r}")
    await flows.save(context, MONTH_DAY, {"step": "day", "kind": kind})
    text = _(
        "Which day of the month? Tap it, or write it. If a month is shorter, "
        "I remind you on its last day."
    )
    await send(update, context, text, _day_grid(kind))


async def _on_weekday(update: Update, context: BotContext, user: User, data: Callback) -> None:
    kind, weekday = data.arg(1), data.int_arg(2)
    if kind not in WEEKLY_KINDS or not 0 <= weekday <= 6:
        raise callbacks.InvalidCallback("bad weekday")
    reminder = await _service(context).add_weekly(user, kind, weekday)
    await _saved(update, context, user, reminder, offer=True)


async def _on_month_day(update: Update, context: BotContext, user: User, data: Callback) -> None:
    kind, day = data.arg(1), data.int_arg(2)
    if kind not in MONTHLY_KINDS or not 1 <= day <= 31:
        raise callbacks.InvalidCallback("bad day of the month")
    await _monthly(update, context, user, kind, day)


async def _monthly(update: Update, context: BotContext, user: User, kind: str, day: int) -> None:
    if context.flow is not None and context.flow.at(MONTH_DAY):
        await flows.end(context)
    reminder = await _service(context).add_monthly(user, kind, day)
    await _saved(update, context, user, reminder, offer=True)


async def _on_time(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await _set_time(update, context, user, data.arg(1), pickers.time_from(data.arg(2)))


async def _on_other_time(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await _ask_time(update, context, user, data.arg(1), replace=True)


async def _on_time_page(update: Update, context: BotContext, user: User, data: Callback) -> None:
    target, page = data.arg(1), data.int_arg(2)
    reminder_id = _reminder_of(target)
    if not 0 <= page < len(pickers.GRID_PAGES):
        raise callbacks.InvalidCallback("grid page out of range")
    current = None
    if reminder_id is not None:
        current = (await _service(context).get(user, reminder_id)).schedule.at
    await flows.save(context, REMINDER_TIME, {"step": "time", "target": target})
    await _replace_keyboard(update, context, _tap_or_write(), _time_grid(target, page, current))


async def _on_quiet(update: Update, context: BotContext, user: User, data: Callback) -> None:
    context.worker = await context.services.users.set_quiet_hours(user.user_id, data.arg(1) == "1")
    await show_reminders(update, context)


async def _on_usual(update: Update, context: BotContext, user: User, data: Callback) -> None:
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


ACTIONS: dict[str, Action] = {
    "pause": _on_pause,
    "resume": _on_resume,
    "del": _on_delete,
    "time": _on_change_time,
    "new": _on_new,
    "weekly": _on_weekly,
    "monthly": _on_monthly,
    "wd": _on_weekday,
    "md": _on_month_day,
    "at": _on_time,
    "other": _on_other_time,
    "tp": _on_time_page,
    "quiet": _on_quiet,
    "usual": _on_usual,
}


# ---- typed answers -------------------------------------------------------------------------
async def interpret_text(update: Update, context: BotContext, text: str) -> bool:
    """Text router step: a one-off reminder typed naturally ("remind me tomorrow at 9…")."""
    user = context.worker
    if user is None:
        return False
    reminder = await _service(context).add_from_text(user, text)
    if reminder is None:
        return False
    await _saved(update, context, user, reminder)
    return True


def _time_target(flow: Flow) -> str:
    """The flow's target; flows saved by earlier versions said {"kind"} or {"change": id}."""
    if "target" in flow.data:
        return str(flow.data["target"])
    if "change" in flow.data:
        return _change_target(int(flow.data["change"]))
    return NEW_DAILY


async def _typed_time(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    at = parse_time_of_day(text, user.locale)
    if at is not None:
        await _set_time(update, context, user, _time_target(flow), at)
        return
    # Not a time: she may have written a whole reminder instead ("remind me at 9 to…").
    reminder = await _service(context).add_from_text(user, text)
    if reminder is None:
        raise UserFacingError(N_("Write the time like this: 20:00"))
    await flows.end(context)
    await _saved(update, context, user, reminder)


async def _typed_month_day(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    day = parse_month_day(text, user.locale)
    if day is None:
        raise UserFacingError(N_("Write a day of the month, from 1 to 31."))
    kind = str(flow.data.get("kind"))
    await _monthly(update, context, user, kind if kind in MONTHLY_KINDS else "payday", day)


async def timezone_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    if context.args:
        await _set_timezone(update, context, user, context.args[0])
        return
    await flows.save(context, TIMEZONE, {"step": "name"})
    await onboarding.ask_timezone(update, context, user)  # her country's clocks as buttons


async def _typed_zone(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    await _set_timezone(update, context, user, text)


async def _set_timezone(update: Update, context: BotContext, user: User, text: str) -> None:
    # The service refuses unknown names, folders such as "America" and over-long text.
    context.worker = await context.services.users.set_timezone(user.user_id, text)
    if context.flow is not None and context.flow.at(TIMEZONE):
        await flows.end(context)
    name = context.worker.timezone or ""
    await send(update, context, _("✅ Time zone: {tz}.").format(tz=escape(name)))


# Each flow lists every button that belongs to it: any other button, a command or a menu
# label leaves the flow first. "*": flows saved by earlier versions had no step.
FLOWS: list[FlowSpec] = [
    FlowSpec(
        REMINDER_TIME, text={"*": _typed_time}, buttons=buttons("rem:at", "rem:tp", "rem:other")
    ),
    FlowSpec(MONTH_DAY, text={"*": _typed_month_day}, buttons=buttons("rem:md")),
    # /timezone's zone picker (handlers/onboarding, flow "z") ends the flow when she picks.
    FlowSpec(TIMEZONE, text={"*": _typed_zone}, buttons=buttons("zone:z", "region:z", "country")),
]
