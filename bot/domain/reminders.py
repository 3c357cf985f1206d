"""When reminders fall due: pure date arithmetic in the worker's own timezone.

Occurrences are computed on the local calendar and converted to UTC, so a daily 20:00
reminder stays at 20:00 across DST changes. A monthly date missing from a short month moves
to the month's last day. A wall-clock time that does not exist on a spring-forward night is
taken at the same UTC offset as the evening before (it fires an hour "late", never twice).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

KINDS = ("log_hours", "payday", "rest_day", "one_off")
RULES = ("daily", "weekly", "monthly", "once")

# How late a reminder missed while the bot was down is still worth sending (README policy).
GRACE: dict[str, dt.timedelta] = {
    "log_hours": dt.timedelta(hours=3),  # still the same evening: she can log today's hours
    "payday": dt.timedelta(hours=12),  # the same day
    "rest_day": dt.timedelta(hours=6),
    "one_off": dt.timedelta(hours=1),  # an appointment reminder after that is noise
}

QUIET_START, QUIET_END = dt.time(21), dt.time(7)


@dataclass(frozen=True)
class Schedule:
    rule: str  # one of RULES
    at: dt.time  # local wall-clock time
    weekday: int | None = None  # 0 = Monday, for weekly
    month_day: int | None = None  # 1-31, for monthly
    once_at: dt.datetime | None = None  # UTC, for once


def _local(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time.

    fold=0 (PEP 495): a repeated time (clocks went back) is its first occurrence; a skipped
    time (clocks went forward) is read with the old offset, i.e. one hour later in new time.
    """
    return dt.datetime.combine(day, at, tz).astimezone(dt.UTC)


def next_occurrence(schedule: Schedule, tz: ZoneInfo, after: dt.datetime) -> dt.datetime | None:
    """The first occurrence strictly after `after` (UTC), or None for a past one-off."""
    if schedule.rule == "once":
        return schedule.once_at if schedule.once_at and schedule.once_at > after else None
    day = after.astimezone(tz).date()
    for _ in range(400):  # at most a year and a bit of candidate days
        if _matches(schedule, day):
            moment = _local(day, schedule.at, tz)
            if moment > after:
                return moment
        day += dt.timedelta(days=1)
    raise ValueError(f"no occurrence for {schedule}")


def _matches(schedule: Schedule, day: dt.date) -> bool:
    if schedule.rule == "daily":
        return True
    if schedule.rule == "weekly":
        return day.weekday() == schedule.weekday
    if schedule.rule == "monthly":
        wanted = schedule.month_day or 1
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(wanted, last)
    raise ValueError(f"unknown rule {schedule.rule!r}")


def in_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz).time()
    return local >= QUIET_START or local < QUIET_END


def after_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Deferred, never dropped: a message due 21:00-07:00 local time goes at 07:00."""
    if not in_quiet_hours(moment, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date() if local.time() < QUIET_END else local.date() + dt.timedelta(days=1)
    return _local(day, QUIET_END, tz)


def before_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A meeting reminder due 21:00-07:00 goes at 20:59 the evening before: earlier, not later."""
    if not in_quiet_hours(moment, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date() if local.time() >= QUIET_START else local.date() - dt.timedelta(days=1)
    return _local(day, dt.time(20, 59), tz)


def missed_decision(kind: str, due: dt.datetime, now: dt.datetime) -> str:
    """'send' if a reminder due at `due` is still useful at `now`, else 'drop'."""
    return "send" if now - due <= GRACE.get(kind, dt.timedelta(hours=1)) else "drop"


# ---- one-off reminders typed naturally ---------------------------------------------------
_TRIGGER = re.compile(
    r"^\s*(?:por\s+favor\s+)?(?:recu[eé]rdame|recordarme|record[aá]me|remind\s+me|"
    r"lembre-?me|me\s+lembre|rappelle-?moi|rappelez-?moi)\b[\s,:]*",
    re.IGNORECASE,
)
# A time needs a marker ("a las", "at", "às", "à"), minutes, or am/pm/h, so "15 de marzo"
# is never read as 15:00.
_TIME = re.compile(
    r"(?:\b(?:a\s+las?|a\s+la|at|às|as|à|ala[s]?)\s+(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|h)?\b)"
    r"|(?:\b(\d{1,2})[:h](\d{2})\b\s*(am|pm)?)"
    r"|(?:\b(\d{1,2})\s*(am|pm)\b)",
    re.IGNORECASE,
)
# Words left over around the note once the date and time are taken out.
_CONNECTOR = re.compile(
    r"^(?:(?:que|de|para|to|a|pour|el|la|los|las|o|le|the|on)\s+)+|\s+(?:el|la|the|on)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OneOff:
    when: dt.datetime  # UTC
    note: str


def _time_of(match: re.Match[str]) -> dt.time | None:
    g = match.groups()
    if g[0] is not None:  # "a las 9", "at 9:30pm"
        hour_text, minute_text, suffix = g[0], g[1], g[2]
    elif g[3] is not None:  # "18:30", "9h30"
        hour_text, minute_text, suffix = g[3], g[4], g[5]
    else:  # "6pm"
        hour_text, minute_text, suffix = g[6], None, g[7]
    hour, minute = int(hour_text), int(minute_text or 0)
    suffix = (suffix or "").lower()
    if suffix == "pm" and hour < 12:
        hour += 12
    if suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


MAX_REMINDER_CHARS = 300


def parse_one_off(text: str, now: dt.datetime, tz: ZoneInfo, locale: str) -> OneOff | None:
    """'recuérdame el viernes a las 18 llamar al sindicato' -> Friday 18:00 local, the note.

    None if the text is not a reminder request. Raises ValueError('past') for a time that
    has passed and ValueError('no_time') when no time of day is given.
    """
    trigger = _TRIGGER.match(text)
    if trigger is None:
        return None
    if len(text) > MAX_REMINDER_CHARS:
        # Bounded work: dateparser over 4,000 characters costs seconds on the event loop.
        raise ValueError("too_long")
    rest = text[trigger.end() :]
    time_match = _TIME.search(rest)
    if time_match is None:
        raise ValueError("no_time")
    at = _time_of(time_match)
    if at is None:
        raise ValueError("no_time")
    rest = (rest[: time_match.start()] + " " + rest[time_match.end() :]).strip()
    local_now = now.astimezone(tz)
    day, rest = _day_of(rest, local_now, locale)
    if day is None:
        day = local_now.date()
        if dt.datetime.combine(day, at) <= local_now.replace(tzinfo=None):
            day += dt.timedelta(days=1)  # "at 9" said at 15:00 means tomorrow
    when = _local(day, at, tz)
    if when <= now:
        raise ValueError("past")
    note = _CONNECTOR.sub("", " ".join(rest.split())).strip(" ,.;:")
    if note.casefold() in {"el", "la", "the", "on", "o", "a", "de", "que"}:
        note = ""
    return OneOff(when, note[:200])


def _day_of(text: str, local_now: dt.datetime, locale: str) -> tuple[dt.date | None, str]:
    """The date words in the text (via dateparser), and the text without them."""
    if not text.strip():
        return None, text
    from dateparser.search import search_dates  # imported on first use: it is slow to load

    languages = list(dict.fromkeys([locale, "es", "en", "pt", "fr"]))
    languages = [lang for lang in languages if lang in ("es", "en", "pt", "fr")]
    found = search_dates(
        text,
        languages=languages,
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if not found:
        return None, text
    phrase, moment = found[0]
    return moment.date(), text.replace(phrase, " ", 1)
