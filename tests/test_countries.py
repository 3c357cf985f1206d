"""Every ISO country is a real place: its region, name, time zones and currency from CLDR,
picked by buttons in onboarding, /country and /timezone; forged buttons get a polite answer."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from importlib import resources

import pytest
from babel.numbers import is_currency

from bot import callbacks, i18n
from bot.domain import countries
from bot.domain.countries import ILO, LEGACY_OTHER, OTHER, country
from bot.handlers import onboarding, reminders
from bot.handlers.common import INERT_LABEL
from tests.conftest import Harness
from tests.test_onboarding import tap, tr

TODAY = dt.date(2026, 3, 10)  # the test clock's day


def iso_codes() -> set[str]:
    """ISO 3166-1 alpha-2, as tzdata ships it."""
    text = resources.files("tzdata").joinpath("zoneinfo", "iso3166.tab").read_text("utf-8")
    return {line.split("\t")[0] for line in text.splitlines() if line and line[0] != "#"}


@pytest.fixture(autouse=True)
def no_errors_logged(caplog: pytest.LogCaptureFixture):
    yield
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == [], "a handler crashed"


# ---- the domain ----------------------------------------------------------------------------


def test_every_iso_country_is_in_exactly_one_region() -> None:
    members = [code for region in countries.REGIONS for code in region.members]
    assert sorted(members) == sorted(iso_codes())
    for region in countries.REGIONS:
        assert set(region.first) <= region.members
        for locale in i18n.AVAILABLE_LOCALES:  # CLDR names each region in every language
            assert region.code in i18n.babel_locale(locale).territories


@pytest.mark.parametrize(
    ("code", "jurisdiction", "timezone", "currency", "flag"),
    [
        ("HK", ILO, "Asia/Hong_Kong", "HKD", "🇭🇰"),
        ("SG", ILO, "Asia/Singapore", "SGD", "🇸🇬"),
        ("SA", ILO, "Asia/Riyadh", "SAR", "🇸🇦"),
        ("AE", ILO, "Asia/Dubai", "AED", "🇦🇪"),
        ("LB", ILO, "Asia/Beirut", "LBP", "🇱🇧"),
        ("US", ILO, "America/New_York", "USD", "🇺🇸"),
        ("BR", ILO, "America/Sao_Paulo", "BRL", "🇧🇷"),
        ("IT", ILO, "Europe/Rome", "EUR", "🇮🇹"),
        ("GB", ILO, "Europe/London", "GBP", "🇬🇧"),
        ("KE", ILO, "Africa/Nairobi", "KES", "🇰🇪"),
        ("PH", ILO, "Asia/Manila", "PHP", "🇵🇭"),
        ("BV", ILO, "UTC", "NOK", "🇧🇻"),  # uninhabited: CLDR lists no zone
        ("MX", "mexico", "America/Mexico_City", "MXN", "🇲🇽"),
        ("PA", "panama", "America/Panama", "USD", "🇵🇦"),
    ],
)
def test_country_for_any_code(
    code: str, jurisdiction: str, timezone: str, currency: str, flag: str
) -> None:
    assert country(code) == countries.Country(code, jurisdiction, timezone, flag, currency)


@pytest.mark.parametrize("code", [OTHER, None, "ZZ", "XK", "hk", "001"])
def test_legacy_and_unknown_codes_keep_the_old_baseline(code: str | None) -> None:
    assert country(code) == LEGACY_OTHER
    assert (LEGACY_OTHER.jurisdiction, LEGACY_OTHER.timezone, LEGACY_OTHER.currency) == (
        ILO,
        "UTC",
        "USD",
    )
    assert not countries.is_country(code)


def test_every_country_has_a_zone_a_currency_and_buttons_the_codec_accepts() -> None:
    for code in sorted(iso_codes()):
        place = country(code)
        assert place.code == code and countries.has_zone(code, place.timezone)
        assert is_currency(place.currency), code
        assert [ord(c) - 0x1F1E6 + ord("A") for c in place.flag] == [ord(c) for c in code]
        choices = countries.zone_choices(code, TODAY)
        # Zone lists are not paged: every country's clocks must fit one keyboard.
        assert choices[0] == place.timezone and len(choices) <= 12, code
        for flow in onboarding.PLACE_FLOWS:
            callbacks.encode("country", code, flow)
            for zone in countries.zones(code):
                zoneinfo.ZoneInfo(zone)
                data = callbacks.decode(
                    callbacks.encode("zone", flow, code, countries.zone_arg(zone))
                )
                assert countries.zone_from_arg(data.arg(2)) == zone


def test_zone_choices_keep_one_zone_per_clock() -> None:
    assert countries.zone_choices("US", TODAY) == (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",  # no daylight saving time: not the same clock as Denver
        "America/Los_Angeles",
        "America/Anchorage",
        "America/Adak",
        "Pacific/Honolulu",
    )
    assert countries.zone_choices("HK", TODAY) == ("Asia/Hong_Kong",)
    assert countries.zone_choices("AR", TODAY) == ("America/Argentina/Buenos_Aires",)
    assert countries.zone_choices("ES", TODAY) == ("Europe/Madrid", "Atlantic/Canary")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Asia/Hong_Kong", "Asia/Hong_Kong"),
        ("  asia/hong_kong ", "Asia/Hong_Kong"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("UTC", "UTC"),
        ("America", None),  # a folder of zones, not a zone
        ("Asia/", None),
        ("../../etc/passwd", None),
        ("A" * 300, None),
        ("localtime", None),
        ("Mars/Olympus", None),
        ("", None),
    ],
)
def test_typed_timezone_names(typed: str, expected: str | None) -> None:
    assert countries.timezone_named(typed) == expected


def test_listing_puts_destinations_first_then_sorts_by_name() -> None:
    names = {"FI": "Ea", "IS": "Éi", "NO": "Ez", "ES": "Zeta"}
    listed = countries.listing("150", lambda c: names.get(c, "M" + c))
    assert listed[:12] == countries.REGION_BY_CODE["150"].first
    rest = listed[12:]
    assert rest[:3] == ("FI", "IS", "NO") and rest[-1] == "ES"  # "É" sorts with the E's


def test_the_zone_conversation_is_the_one_reminders_reads() -> None:
    assert onboarding.ZONE_CONVERSATION == reminders.TIMEZONE


# ---- the picker, through the real bot ------------------------------------------------------


async def test_a_multi_zone_country_asks_for_the_zone(harness: Harness) -> None:
    chat = harness.chat(31, "es")
    await chat.say("/start")
    await chat.press(callbacks.encode("lang", "es", "o"))
    replies = await chat.press(callbacks.encode("region", "o"))
    with i18n.using("es"):
        americas, usa = i18n.babel_locale("es").territories["019"], i18n.country_name("US")
    replies = await tap(chat, replies, f"🌎 {americas}")
    replies = await tap(chat, replies, f"🇺🇸 {usa}")
    assert replies[-1].text == tr(
        "es", "{country} has more than one time zone. What time is it where you work?"
    ).format(country=f"🇺🇸 <b>{usa}</b>")
    labels = [label for label, _d in replies[-1].buttons]
    with i18n.using("es"):
        # 15:00 UTC on 10 March 2026: daylight saving time began on the 8th.
        expected = [
            f"🕒 {i18n.fmt_time(dt.time(hour))} · {onboarding.zone_city(zone)}"
            for hour, zone in [
                (11, "America/New_York"),
                (10, "America/Chicago"),
                (9, "America/Denver"),
                (8, "America/Phoenix"),
                (8, "America/Los_Angeles"),
                (7, "America/Anchorage"),
                (6, "America/Adak"),
                (5, "Pacific/Honolulu"),
            ]
        ]
    assert labels == [*expected, tr("es", "◀️ Back"), tr("es", "☰ Menu"), INERT_LABEL]
    replies = await tap(chat, replies, expected[4])  # Los Angeles
    your_time = tr("es", "Your time now: {time} ({place}).").format(
        time="8:00", place="Los Ángeles"
    )
    assert your_time in replies[-2].text.split("\n")
    row = await harness.db.fetchone("SELECT country, timezone FROM users WHERE user_id = 31")
    assert tuple(row) == ("US", "America/Los_Angeles")
    # Back from the zones goes to the page she picked the country on.
    replies = await chat.press(callbacks.encode("region", "o", "019", 0))
    assert replies[-1].text.startswith(f"🌎 <b>{americas}</b> (1/5)")


def _region_code(label: str) -> str:
    """The M49 code behind a Spanish region button."""
    names = i18n.babel_locale("es").territories
    return next(r.code for r in countries.REGIONS if f"{r.icon} {names[r.code]}" == label)


async def test_pages_have_stable_buttons_and_reach_every_country(harness: Harness) -> None:
    await harness.onboard(user_id=32)
    chat = harness.chat(32)
    replies = await chat.say("/country")
    replies = await tap(chat, replies, "🌍 " + tr("es", "Another country"))
    picker_id = replies[-1].message_id
    regions = [label for label, _d in replies[-1].buttons][:-3]  # then Back, Menu, a blank
    assert len(regions) == len(countries.REGIONS)
    reached: set[str] = set()
    for region in regions:
        replies = await tap(chat, replies, region)
        first_page = replies[-1].text
        pages = 0
        while True:
            pages += 1
            screen = replies[-1]
            assert screen.message_id == picker_id  # paging edits one message, adds none
            *choices, back, menu, following = screen.buttons
            assert [back[0], menu[0], following[0]] == [
                tr("es", "◀️ Back"),
                tr("es", "☰ Menu"),
                tr("es", "Next ▶️"),
            ]
            assert 1 <= len(choices) <= onboarding.PAGE_SIZE
            reached |= {callbacks.decode(data).arg(0) for lb, data in choices if lb != INERT_LABEL}
            replies = await chat.press(following[1] or "")
            if replies[-1].text == first_page:  # Next on the last page goes round to the first
                break
        members = countries.REGION_BY_CODE[_region_code(region)].members
        assert pages == -(-len(members) // onboarding.PAGE_SIZE)
        replies = await tap(chat, replies, tr("es", "◀️ Back"))  # page 1 -> the regions
        assert replies[-1].text == tr("es", "In which part of the world do you work?")
    assert reached == iso_codes()
    replies = await tap(chat, replies, tr("es", "◀️ Back"))
    assert replies[-1].text == tr(
        "es", "Which country do you work in? Your rights depend on its laws."
    )


async def test_change_to_another_country_later(harness: Harness) -> None:
    await harness.onboard(user_id=33)
    chat = harness.chat(33)
    await chat.say("/country")
    await chat.press(callbacks.encode("region", "s"))
    await chat.press(callbacks.encode("region", "s", "150", 0))
    replies = await chat.press(callbacks.encode("country", "IT", "s"))
    with i18n.using("es"):
        italy, four_pm = i18n.country_name("IT"), i18n.fmt_time(dt.time(16))
    assert replies[-1].text.split("\n") == [
        tr("es", "Done. Country: {country}.").format(country=italy),
        tr(
            "es",
            "Your rights: the international standard, ILO Convention 189. "
            "I do not have this country's own law yet.",
        ),
        tr("es", "Your time now: {time} ({place}).").format(time=four_pm, place="Roma"),
        tr("es", "Your money: {currency}.").format(currency="euro (€)"),
    ]
    row = await harness.db.fetchone("SELECT country, timezone FROM users WHERE user_id = 33")
    assert tuple(row) == ("IT", "Europe/Rome")
    # Menu leaves the picker for the main menu once she is onboarded.
    await chat.press(callbacks.encode("region", "s"))
    replies = await chat.press(callbacks.encode("region", "s", "menu"))
    assert replies[-1].text == tr("es", "Main menu. Tap a button.")


async def test_a_worker_who_chose_another_country_before(harness: Harness) -> None:
    await harness.onboard(user_id=34)
    await harness.db.execute("UPDATE users SET country = 'INT', timezone = NULL")
    chat = harness.chat(34)
    replies = await chat.say("/country")
    assert replies[-1].buttons[-1][0] == "✅ 🌍 " + tr("es", "Another country")
    # Her old "Another country" button now opens the regions instead of storing INT again.
    replies = await chat.press(callbacks.encode("country", OTHER, "s"))
    assert replies[-1].text == tr("es", "In which part of the world do you work?")
    assert await harness.db.fetchval("SELECT country FROM users WHERE user_id = 34") == OTHER


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        ("v1:country:ZZ:o", "Please choose a country from the buttons."),
        ("v1:country:XK:s", "Please choose a country from the buttons."),
        ("v1:country:HK:q", "That button is old. Here is the menu again."),
        ("v1:zone:o:HK:Europe.Madrid", "Please choose a time zone from the buttons."),
        ("v1:zone:s:US:America", "Please choose a time zone from the buttons."),
        ("v1:zone:s:US:..", "Please choose a time zone from the buttons."),
        ("v1:zone:z:US:Asia.Hong_Kong", "Please choose a time zone from the buttons."),
        ("v1:zone:z:XX:UTC", "Please choose a country from the buttons."),
        ("v1:zone:o:US", "That button is old. Here is the menu again."),
        ("v1:zone:o:US:America/Chicago", "That button is old. Here is the menu again."),
        ("v1:region:o:999:0", "That button is old. Here is the menu again."),
        ("v1:region:o:142:x", "That button is old. Here is the menu again."),
        ("v1:region:o:142", "That button is old. Here is the menu again."),
        ("v1:region:q", "That button is old. Here is the menu again."),
    ],
)
async def test_forged_country_and_zone_buttons(harness: Harness, data: str, answer: str) -> None:
    await harness.onboard(user_id=35, country="PE")
    replies = await harness.chat(35).press(data)
    assert replies[-1].text == tr("es", answer)
    row = await harness.db.fetchone("SELECT country, timezone FROM users WHERE user_id = 35")
    assert tuple(row) == ("PE", "America/Lima")


async def test_a_stale_page_number_still_shows_a_page(harness: Harness) -> None:
    await harness.onboard(user_id=36)
    replies = await harness.chat(36).press(callbacks.encode("region", "s", "142", 99))
    assert replies[-1].text.endswith(tr("es", "Choose the country where you work."))


# ---- /timezone -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["America", "A" * 200, "Asia/", "../../etc/passwd"])
async def test_timezone_refuses_what_is_no_zone_politely(harness: Harness, typed: str) -> None:
    await harness.onboard(user_id=37)
    replies = await harness.say(f"/timezone {typed}", user_id=37)
    assert replies[-1].text == tr(
        "es", "I don't know that time zone. Write it like this: Europe/Madrid"
    )
    tz = await harness.db.fetchval("SELECT timezone FROM users WHERE user_id = 37")
    assert tz == "America/Mexico_City"


async def test_timezone_typed_keeps_working(harness: Harness) -> None:
    await harness.onboard(user_id=38)
    chat = harness.chat(38)
    replies = await chat.say("/timezone asia/hong_kong")
    assert replies[-1].text == tr("es", "✅ Time zone: {tz}.").format(tz="Asia/Hong_Kong")
    await chat.say("/timezone")
    replies = await chat.say("America")  # the typed answer to /timezone's question
    assert replies[-1].text == tr(
        "es", "I don't know that time zone. Write it like this: Europe/Madrid"
    )
    await chat.say("Europe/Madrid")
    tz = await harness.db.fetchval("SELECT timezone FROM users WHERE user_id = 38")
    assert tz == "Europe/Madrid"


async def test_timezone_by_buttons_for_her_country(harness: Harness) -> None:
    await harness.onboard(user_id=39)  # Mexico keeps six clocks
    chat = harness.chat(39)
    replies = await chat.say("/timezone")
    labels = [label for label, _d in replies[-1].buttons]
    with i18n.using("es"):
        cancun = f"🕒 {i18n.fmt_time(dt.time(10))} · {onboarding.zone_city('America/Cancun')}"
    assert len(labels) == 7 and labels[0].startswith("✅ 🕒 ") and cancun in labels
    assert labels[-1] == "🌍 " + tr("es", "Another country")
    replies = await tap(chat, replies, cancun)
    assert replies[-1].text.split("\n")[0] == tr("es", "✅ Time zone: {tz}.").format(
        tz="America/Cancun"
    )
    row = await harness.db.fetchone("SELECT country, timezone FROM users WHERE user_id = 39")
    assert tuple(row) == ("MX", "America/Cancun")
    # The button answered /timezone's question: her next message is not read as a zone name.
    services = harness.app.bot_data.services
    assert services is not None and await services.flows.current(39) is None


async def test_timezone_of_another_country_by_buttons(harness: Harness) -> None:
    await harness.onboard(user_id=40, country="ES")
    chat = harness.chat(40)
    replies = await chat.say("/timezone")
    replies = await tap(chat, replies, "🌍 " + tr("es", "Another country"))
    with i18n.using("es"):
        asia, hong_kong = i18n.babel_locale("es").territories["142"], i18n.country_name("HK")
    replies = await tap(chat, replies, f"🌏 {asia}")
    replies = await tap(chat, replies, f"🇭🇰 {hong_kong}")
    assert replies[-1].text.split("\n") == [
        tr("es", "✅ Time zone: {tz}.").format(tz="Asia/Hong_Kong"),
        tr("es", "Your time now: {time} ({place}).").format(time="23:00", place="Hong Kong"),
    ]
    row = await harness.db.fetchone("SELECT country, timezone FROM users WHERE user_id = 40")
    assert tuple(row) == ("ES", "Asia/Hong_Kong")  # only the clock changed, not the law
