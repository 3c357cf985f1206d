"""Translations and locale-aware formatting.

The active locale lives in a ContextVar, set once per update, so `_()` needs no argument.
Catalogs are read from `locales/<lang>/LC_MESSAGES/messages.po` through Babel (a compiled
`.mo` is used instead when it is at least as new), so a fresh checkout needs no compile step.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path

from babel import Locale, negotiate_locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SOURCE_LOCALE = "en"
# Order is the order of the language picker.
AVAILABLE_LOCALES: tuple[str, ...] = ("es", "en", "pt", "fr", "tl", "sw", "ar")
# Endonyms for the language picker; Babel calls Tagalog "Filipino (Pilipinas)".
NATIVE_NAMES = {
    "es": "Español",
    "en": "English",
    "pt": "Português",
    "fr": "Français",
    "tl": "Tagalog",
    "sw": "Kiswahili",
    "ar": "العربية",
}
# Unicode first-strong isolate / pop directional isolate: keep numbers and dates intact in RTL.
FSI, PDI = "\u2068", "\u2069"

_current: ContextVar[str] = ContextVar("locale", default=SOURCE_LOCALE)


@functools.cache
def translations(locale: str) -> gettext.NullTranslations:
    """The catalog for `locale` (cached); the source language falls back to the msgids."""
    po = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def negotiate(language_code: str | None, default: str) -> str:
    """Map a Telegram `language_code` such as `es-MX` to an available locale, else `default`."""
    if not language_code:
        return default
    code = language_code.replace("-", "_")
    if code.lower().startswith("fil"):
        code = "tl"
    found = negotiate_locale([code], list(AVAILABLE_LOCALES), sep="_")
    return found or default


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    _current.set(locale if locale in AVAILABLE_LOCALES else SOURCE_LOCALE)


@contextmanager
def using(locale: str) -> Iterator[None]:
    """Temporarily render in `locale` (e.g. a message to another user)."""
    token = _current.set(locale if locale in AVAILABLE_LOCALES else SOURCE_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (module-level constants)."""
    return message


def is_rtl(locale: str | None = None) -> bool:
    return babel_locale(locale or _current.get()).text_direction == "rtl"


@functools.cache
def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def isolate(text: str) -> str:
    """Wrap a number, date or name so it keeps its own direction inside RTL text."""
    return f"{FSI}{text}{PDI}" if is_rtl() else text


def fmt_number(value: int | float | Decimal) -> str:
    return isolate(babel_numbers.format_decimal(value, locale=_current.get()))


def fmt_percent(value: int | float) -> str:
    """A whole percent (57 -> '57 %' in Spanish, '57%' in English)."""
    return isolate(babel_numbers.format_percent(value / 100, locale=_current.get()))


def fmt_money(amount: Decimal, currency: str) -> str:
    return isolate(babel_numbers.format_currency(amount, currency, locale=_current.get()))


def fmt_date(value: dt.date, fmt: str = "medium") -> str:
    return isolate(babel_dates.format_date(value, format=fmt, locale=_current.get()))


def fmt_list(items: list[str]) -> str:
    """'1 year, 2 months and 3 days' with the language's own separators (CLDR via Babel)."""
    from babel.lists import format_list

    try:
        return format_list(items, style="standard", locale=_current.get())
    except KeyError:  # a locale whose CLDR data lacks list patterns
        return ", ".join(items)


def fmt_month(value: dt.date) -> str:
    """'marzo de 2026', 'March 2026': a month and its year, in the current language."""
    return isolate(babel_dates.format_skeleton("yMMM", value, locale=_current.get()))


def fmt_time(value: dt.time | dt.datetime, fmt: str = "short") -> str:
    return isolate(babel_dates.format_time(value, format=fmt, locale=_current.get()))


def fmt_datetime(value: dt.datetime, fmt: str = "medium") -> str:
    return isolate(babel_dates.format_datetime(value, format=fmt, locale=_current.get()))


def country_name(code: str) -> str:
    """A country's name in the current language, from CLDR via Babel."""
    return babel_locale(_current.get()).territories.get(code, code)


def fmt_duration(minutes: int) -> str:
    """'7 h 30 min' in the user's language."""
    hours, rest = divmod(int(minutes), 60)
    if rest == 0:
        return isolate(_("{hours} h").format(hours=hours))
    if hours == 0:
        return isolate(_("{minutes} min").format(minutes=rest))
    return isolate(_("{hours} h {minutes} min").format(hours=hours, minutes=rest))
