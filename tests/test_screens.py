"""Screens that hold still and labels that fit a small phone, in every language.

Every button of the main menu, the rights screens and the onboarding pickers is rendered in
each locale and measured in display columns (an emoji or a flag counts 2, accents and
direction marks 0). The limit depends on how many buttons share the row: on a 360 px-wide
phone a button in a row of three shows about 12 columns, in a row of two about 18, alone
about 30; past that Telegram cuts the label to "Sigu…".

`python -m tests.test_screens` prints the longest label of each language in each kind of row.
The helpers for where a button is (`rows_of`, `places`, `shape`) serve the paging tests too.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import i18n
from bot.domain import countries
from bot.domain.content import JURISDICTIONS
from bot.domain.users import User
from bot.handlers import menu, onboarding, rights
from bot.handlers.common import INERT_LABEL
from bot.i18n import _
from bot.services.content import Library

# Display columns a button shows on a 360 px-wide phone, by the number of buttons in its row.
LIMITS = {1: 30, 2: 18, 3: 12}
NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # the test clock's time

# The bot's labels that are longer than their slot today (width > limit). The words are in
# the catalogs, and the English msgids in menu.py and onboarding.privacy_markup, which other
# changes own; when one is shortened, delete its line (a test below says which).
TOO_LONG: set[tuple[str, str]] = {
    # 20 > 18, main menu: kept, because the audio episodes and the other texts say it.
    ("pt", "🕒 Horas e pagamento"),
}


def display_width(text: str) -> int:
    """Columns `text` takes: a wide character, an emoji or a flag 2, a mark or joiner 0."""
    width, index, in_flag = 0, 0, False
    while index < len(text):
        char = text[index]
        following = text[index + 1] if index + 1 < len(text) else ""
        index += 1
        code = ord(char)
        if unicodedata.category(char) in ("Mn", "Me", "Cf") or 0x1F3FB <= code <= 0x1F3FF:
            if char == "\u200d":  # a joiner: the next emoji is part of this one
                index += 1
            continue  # accents, variation selectors, skin tones, direction isolates
        if 0x1F1E6 <= code <= 0x1F1FF:  # two regional indicators draw one flag
            width += 0 if in_flag else 2
            in_flag = not in_flag
            continue
        in_flag = False
        wide = unicodedata.east_asian_width(char) in ("W", "F") or following == "\ufe0f"
        width += 2 if wide else 1
    return width


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Siguiente ▶️", 12),  # ▶ + VS16 is drawn as an emoji
        ("☰ Menú", 6),  # ☰ without VS16 is a text symbol; ú may be u + a combining mark
        ("☰ Menu\u0301", 6),
        ("🇭🇰 Hong Kong", 12),
        ("👩\u200d👩\u200d👧 ok", 5),
        ("👍🏽", 2),
        ("\u2068(1/3)\u2069", 5),
        ("📣 الاجتماعات", 13),
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


# ---- keyboards as a user sees them --------------------------------------------------------


def rows_of(markup: Any) -> list[list[tuple[str, str | None]]]:
    """(label, callback data) by row, from a markup object or a Sent message."""
    if isinstance(markup, InlineKeyboardMarkup):
        return [
            [(b.text, b.callback_data if isinstance(b.callback_data, str) else None) for b in row]
            for row in markup.inline_keyboard
        ]
    if isinstance(markup, ReplyKeyboardMarkup):
        return [[(b.text, None) for b in row] for row in markup.keyboard]
    if isinstance(markup, list):  # rows of Buttons from a handler's *_markup()
        return [list(row) for row in markup]
    keyboard = (markup.reply_markup or {}).get("inline_keyboard", [])
    return [[(b["text"], b.get("callback_data")) for b in row] for row in keyboard]


def places(markup: Any) -> dict[str, list[tuple[int, int, int]]]:
    """Where each label is: (row from the top, index in its row, the console's number)."""
    found: dict[str, list[tuple[int, int, int]]] = {}
    number = 0
    for row_index, row in enumerate(rows_of(markup)):
        for index, (text, _data) in enumerate(row):
            number += 1  # the console numbers every button in order (channels/console.py)
            found.setdefault(text, []).append((row_index, index, number))
    return found


def shape(markup: Any) -> list[int]:
    """The number of buttons in each row."""
    return [len(row) for row in rows_of(markup)]


# ---- every screen we can render --------------------------------------------------------------

Screen = tuple[str, list[list[tuple[str, str | None]]]]


def _pickers(locale: str) -> Iterator[Screen]:
    # The language picker is built in onboarding.ask_language: a tick and an endonym.
    yield "language", [[("✅ " + i18n.NATIVE_NAMES[c], None)] for c in i18n.AVAILABLE_LOCALES]
    for code in [None, *(c.code for c in countries.NATIONAL), "HK"]:
        yield (
            "country question",
            rows_of(onboarding._country_question(User(1, locale, code), "o")[1]),
        )
    yield "regions", rows_of(onboarding._regions_screen("o")[1])
    for region in countries.REGIONS:
        codes = countries.listing(region.code, i18n.country_name)
        for index, code in enumerate(codes):  # each page with each of its countries ticked
            screen = onboarding._countries_screen(
                User(1, locale, code), "o", region.code, index // onboarding.PAGE_SIZE
            )
            yield f"countries {region.code}", rows_of(screen[1])
    for code in sorted(countries.REGION_OF):
        choices = countries.zone_choices(code, NOW.date())
        if len(choices) > 1:
            for zone in choices:
                user = User(1, locale, code, zone)
                yield (
                    f"zones {code}",
                    rows_of(onboarding._zones_screen(user, "z", code, choices, NOW)[1]),
                )
    for consent in (False, True):
        user = User(1, locale, "MX", records_consent=consent, statistics_consent=consent)
        yield "privacy", rows_of(onboarding.privacy_markup(user, "o"))


def _rights(locale: str, library: Library) -> Iterator[Screen]:
    for jurisdiction in JURISDICTIONS:
        found = library.topics_for(jurisdiction, locale)
        yield f"topics {jurisdiction}", rows_of(rights.topics_markup(found))
        yield f"search {jurisdiction}", rows_of(rights.search_markup(found[0], found[1:3]))
        for item in found:
            for page in range(len(item.topic.pages)):
                name = f"topic {jurisdiction}/{item.topic.topic}"
                yield name, rows_of(rights.topic_markup(item, page, library, locale))
                yield (
                    f"sources {jurisdiction}",
                    rows_of(rights.sources_markup(item.topic.topic, page)),
                )


def _cases_and_discreet() -> Iterator[Screen]:
    from bot.domain.cases import CLOSED, NEW, OPEN, Case
    from bot.handlers import cases, discreet

    for current, earlier in ((None, False), (12, False), (None, True)):
        yield "ask intro", cases.intro_rows(current, earlier)
    for attach in (False, True):
        yield "ask confirm", cases.confirm_rows(attach)
    for status in (NEW, OPEN, CLOSED):
        case = Case(12, 1, status, 7, False, "es", "ES", None, NOW, NOW)
        yield "her case", cases.her_case_rows(case)
        yield "case (helper)", cases.case_rows(case, 7, files=True)
    counts = {"new": 12, "mine": 3, "waiting": 5, "closed": 120, "urgent": 2}
    for on in (False, True):
        yield "cases home", cases.queues_rows(counts, on)
        yield "discreet", discreet.discreet_rows(on)


def screens(locale: str, library: Library) -> list[Screen]:
    """Every screen of the main menu, the pickers and rights, rendered in `locale`."""
    with i18n.using(locale):
        return [
            ("main menu", rows_of(menu.main_menu_markup())),
            *_pickers(locale),
            *_rights(locale, library),
            *_cases_and_discreet(),
        ]


@dataclass(frozen=True)
class Label:
    text: str
    width: int
    limit: int  # the columns its row leaves it
    screen: str
    named: bool  # a name from CLDR or a topic title from content/, not a string of the bot


@functools.cache
def _library() -> Library:
    return Library.load()


def _names(locale: str) -> tuple[str, ...]:
    """What labels quote from data in `locale`: CLDR's countries, regions and cities, and the
    topic titles in content/ (a label that ends with one of them is named from data)."""
    with i18n.using(locale):
        territories = i18n.babel_locale(locale).territories
        zones = {z for code in countries.REGION_OF for z in countries.zones(code)}
        titles = {
            found.topic.title
            for jurisdiction in JURISDICTIONS
            for found in _library().topics_for(jurisdiction, locale)
        }
        return tuple(
            {*(i18n.country_name(c) for c in countries.REGION_OF)}
            | {territories[r.code] for r in countries.REGIONS}
            | {onboarding.zone_city(z) for z in zones}
            | titles
        )


@functools.cache
def measured(locale: str) -> tuple[Label, ...]:
    """Each distinct label of `locale`, measured against the tightest row it appears in."""
    names = _names(locale)
    found: dict[str, Label] = {}
    for screen, rows in screens(locale, _library()):
        for row in rows:
            for text, _data in row:
                label = Label(
                    text,
                    display_width(text),
                    LIMITS[len(row)],
                    screen,
                    named=text.endswith(names),
                )
                if text not in found or label.limit < found[text].limit:
                    found[text] = label
    return tuple(found.values())


@pytest.mark.parametrize("locale", i18n.AVAILABLE_LOCALES)
def test_every_label_of_the_bot_fits_its_row(locale: str) -> None:
    """The bot's own words (menu, Back/Next, pickers, privacy): shorten a msgid or a
    translation rather than let Telegram cut it. Names from data are reported, not checked:
    CLDR's names cannot be shortened here, and topic titles belong to content/."""
    too_long = [
        (label.text, label.width, label.limit)
        for label in measured(locale)
        if not label.named and label.width > label.limit and (locale, label.text) not in TOO_LONG
    ]
    assert too_long == []


def test_the_list_of_labels_known_to_be_too_long_is_current() -> None:
    """An entry of TOO_LONG that has been shortened (or is no longer shown) must go."""
    current = {
        (locale, label.text)
        for locale in i18n.AVAILABLE_LOCALES
        for label in measured(locale)
        if label.width > label.limit
    }
    assert TOO_LONG - current == set()


def test_the_bot_s_own_labels_are_among_those_checked() -> None:
    """The menu and the navigation are measured as the bot's words (not as names), the
    navigation in a row of three; else the check above would pass by missing them."""
    for locale in i18n.AVAILABLE_LOCALES:
        with i18n.using(locale):
            nav = {_("◀️ Back"), _("☰ Menu"), _("📚 Topics"), _("Next ▶️"), INERT_LABEL}
            main_menu = {menu.label(item) for item in menu.MENU}
        own = {label.text: label for label in measured(locale) if not label.named}
        assert main_menu | nav <= set(own), locale
        assert {text for text, label in own.items() if label.limit == LIMITS[3]} == nav, locale


def report() -> str:
    """The longest label of each language in each kind of row, own words and names apart,
    and how many names Telegram will cut."""
    lines = ["locale  row  kind   width  label"]
    for locale in i18n.AVAILABLE_LOCALES:
        labels = measured(locale)
        for buttons, limit in sorted(LIMITS.items(), reverse=True):
            for named in (False, True):
                group = [la for la in labels if la.limit == limit and la.named == named]
                if not group:
                    continue
                longest = max(group, key=lambda la: la.width)
                over = sum(la.width > limit for la in group)
                kind = "names" if named else "bot"
                lines.append(
                    f"{locale:6}  {buttons}/{limit:<2} {kind:5}  {longest.width:5}  "
                    f"{longest.text!r} [{longest.screen}]  ({over}/{len(group)} over)"
                )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
