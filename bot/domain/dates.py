"""A date typed by a worker ("15/03/2026", "3 de marzo", "desde marzo"): one reader."""

from __future__ import annotations

import datetime as dt
import re

_NUMERIC = re.compile(r"^\s*([0-9]{1,2})[/.\-]([0-9]{1,2})(?:[/.\-]([0-9]{2}|[0-9]{4}))?\s*$")
_ISO = re.compile(r"^\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*$")
MAX_CHARS = 60
_SINCE = re.compile(
    r"^(?:desde(?:\s+el)?|since|from|depuis(?:\s+le)?|a\s+partir\s+del?|mula|tangu)\s+", re.I
)


def parse_date(text: str, today: dt.date, locale: str) -> dt.date | None:
    """A past (or today's) date from `text`, or None; day before month except in English."""
    text = _SINCE.sub("", text.strip()[: MAX_CHARS + 1])
    if not text or len(text) > MAX_CHARS or text.isdecimal():
        return None  # a bare number ("5") is not a date: a button number, a day, a month?
    try:
        if match := _ISO.match(text):
            return _past(dt.date(int(match[1]), int(match[2]), int(match[3])), today)
        if match := _NUMERIC.match(text):
            first, second = int(match[1]), int(match[2])
            day, month = (second, first) if locale == "en" and first <= 12 else (first, second)
            year = today.year if match[3] is None else int(match[3])
            year += 2000 if year < 100 else 0
            candidate = dt.date(year, month, day)
            if match[3] is None and candidate > today:
                candidate = candidate.replace(year=year - 1)
            return _past(candidate, today)
    except ValueError:
        return None
    from dateparser import parse  # slow to import: only when a date is typed in words

    languages = [lang for lang in dict.fromkeys([locale, "es", "en"]) if lang]
    try:
        found = parse(
            text,
            languages=languages,
            settings={
                "PREFER_DATES_FROM": "past",
                "PREFER_DAY_OF_MONTH": "first",
                "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)),
            },
        )
    except (ValueError, OverflowError):
        return None
    return _past(found.date(), today) if found else None


def _past(day: dt.date, today: dt.date) -> dt.date | None:
    return day if day <= today else None
