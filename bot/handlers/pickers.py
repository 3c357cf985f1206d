"""Screens she answers by tapping: a digit keypad, half-hour grids, a duration grid, the
last days, letters. Each button carries the value it stands for, so a second press of the
same button gives the same value and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from babel.numbers import get_decimal_symbol

from bot import callbacks, i18n
from bot.handlers.common import Button
from bot.i18n import _, fmt_duration, fmt_time

MAX_DIGITS = 9
Encode = Callable[[str], str]  # value -> callback data


def compact(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def hhmm(moment: dt.time) -> str:
    return moment.strftime("%H%M")


def time_from(raw: str) -> dt.time:
    """'0930' from a button -> 09:30; anything else is a forged button."""
    if len(raw) != 4 or not raw.isdecimal() or int(raw[:2]) > 23 or raw[2:] not in ("00", "30"):
        raise callbacks.InvalidCallback("bad time in button")
    return dt.time(int(raw[:2]), int(raw[2:]))


# ---- an amount on a keypad ---------------------------------------------------------------
def keypad_value(raw: str) -> Decimal | None:
    """The keypad's typed digits ('', '12', '12.5'), checked: a forged value is refused."""
    if raw == "":
        return None
    if len(raw) > MAX_DIGITS + 3 or raw.count(".") > 1 or not raw.replace(".", "").isdecimal():
        raise callbacks.InvalidCallback("bad keypad value")
    whole, _dot, cents = raw.partition(".")
    if len(whole) > MAX_DIGITS or len(cents) > 2:
        raise callbacks.InvalidCallback("bad keypad value")
    try:
        return Decimal(raw.rstrip(".") or "0")
    except InvalidOperation:
        raise callbacks.InvalidCallback("bad keypad value") from None


def keypad(raw: str, press: Encode, done: Encode) -> list[list[Button]]:
    """1 2 3 / 4 5 6 / 7 8 9 / , 0 ⌫ / ✅: every key's data is the value after the press."""

    def key(label: str, value: str) -> Button:
        return (label, press(value))

    whole, dot, cents = raw.partition(".")
    can_digit = len(whole) < MAX_DIGITS if not dot else len(cents) < 2

    def digit(d: str) -> Button:
        if not can_digit or (raw == "0" and d == "0"):
            return key(d, raw)  # full: the key repeats the current value
        return key(d, d if raw == "0" else raw + d)

    symbol = get_decimal_symbol(i18n.babel_locale(i18n.current_locale()))
    rows = [[digit(str(n)) for n in range(r, r + 3)] for r in (1, 4, 7)]
    rows.append(
        [
            key(symbol, raw if dot or not raw else raw + "."),
            digit("0"),
            key("⌫", raw[:-1]),
        ]
    )
    rows.append([(_("✅ Done"), done(raw))])
    return rows


def keypad_display(raw: str) -> str:
    """What she has typed so far, with her language's decimal sign."""
    if not raw:
        return "…"
    symbol = get_decimal_symbol(i18n.babel_locale(i18n.current_locale()))
    whole, dot, cents = raw.partition(".")
    return i18n.isolate(whole + (symbol + cents if dot else ""))


# ---- days ------------------------------------------------------------------------------------
def short_day(day: dt.date) -> str:
    """'mar 3', 'Tue 3': short enough for three buttons in a row."""
    return i18n.isolate(format_date(day, "EEE d", locale=i18n.babel_locale(i18n.current_locale())))


def recent_days(today: dt.date, choose: Encode, older: str, count: int = 14) -> list[list[Button]]:
    """Today and yesterday, then the rest of the last `count` days, then older days."""
    rows: list[list[Button]] = [
        [
            (_("Today"), choose(compact(today))),
            (_("Yesterday"), choose(compact(today - dt.timedelta(days=1)))),
        ]
    ]
    days = [today - dt.timedelta(days=n) for n in range(2, count)]
    rows += [
        [(short_day(d), choose(compact(d))) for d in days[i : i + 3]]
        for i in range(0, len(days), 3)
    ]
    rows.append([(_("📅 An older day"), older)])
    return rows


# ---- times of day ------------------------------------------------------------------------------
GRID_PAGES = (0, 6, 12)  # first hour of each page of 12 hours: 00:00-11:30, 06:00-17:30, …


def half_hours(first_hour: int) -> list[dt.time]:
    return [dt.time((first_hour + n // 2) % 24, 30 * (n % 2)) for n in range(24)]


def time_grid(
    times: list[dt.time], choose: Encode, mark: Callable[[dt.time], str] | None = None
) -> list[list[Button]]:
    """Half hours four to a row; `mark` may add a sign (🌙 for the next day)."""
    buttons = [((mark(t) if mark else "") + fmt_time(t), choose(hhmm(t))) for t in times]
    return [buttons[i : i + 4] for i in range(0, len(buttons), 4)]


def page_row(page: int, turn: Callable[[int], str]) -> list[Button]:
    """Earlier and Later in fixed places; at an end the button stays and shows the same page."""
    last = len(GRID_PAGES) - 1
    return [
        (_("⬅️ Earlier"), turn(max(page - 1, 0))),
        (_("Later ➡️"), turn(min(page + 1, last))),
    ]


def durations(choose: Callable[[int], str]) -> list[list[Button]]:
    """30 min to 12 h in half hours, four to a row."""
    minutes = list(range(30, 12 * 60 + 1, 30))
    buttons = [(fmt_duration(m), choose(m)) for m in minutes]
    return [buttons[i : i + 4] for i in range(0, len(buttons), 4)]


# First letters of family names, by script; a button carries the letter's index.
ALPHABETS = {
    "latin": "ABCDEFGHIJKLMNOPRSTUVZ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
}


def default_script(locale: str) -> str:
    return "arabic" if locale == "ar" else "latin"


def letter(script: str, raw: str) -> str:
    """The letter a button stands for; a forged one is refused."""
    alphabet = ALPHABETS.get(script)
    if alphabet is None or not raw.isdecimal() or not 0 <= int(raw) < len(alphabet):
        raise callbacks.InvalidCallback("not a letter of the picker")
    return alphabet[int(raw)]


def letters(
    script: str, choose: Callable[[int], str], switch: Callable[[str], str]
) -> list[list[Button]]:
    """The script's letters, six to a row, and a button to the other script."""
    alphabet = ALPHABETS[script]
    rows = [
        [(c, choose(i + n)) for n, c in enumerate(alphabet[i : i + 6])]
        for i in range(0, len(alphabet), 6)
    ]
    other = "latin" if script == "arabic" else "arabic"
    rows.append([("🔤 " + " ".join(ALPHABETS[other][:3]), switch(other))])
    return rows
