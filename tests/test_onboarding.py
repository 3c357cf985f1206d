"""A worker's first minute, through the real Application, in Spanish and in Arabic."""

from __future__ import annotations

import asyncio
import datetime as dt
import html

import pytest

from bot import callbacks, i18n
from bot.domain import countries
from bot.handlers import onboarding
from bot.handlers.common import INERT_LABEL
from bot.handlers.menu import MENU
from bot.i18n import _
from tests.conftest import Harness
from tests.test_screens import places, rows_of, shape


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


async def test_onboarding_in_spanish(harness: Harness) -> None:
    chat = harness.chat(1, "es-MX")

    replies = await chat.say("/start")
    assert replies[-1].text == tr("es", "Choose your language:")
    # Telegram's es-MX is negotiated to Spanish and preselected.
    assert replies[-1].buttons[0][0] == "✅ Español"

    replies = await chat.press(callbacks.encode("lang", "es", "o"))
    assert replies[-1].text == tr(
        "es", "Which country do you work in? Your rights depend on its laws."
    )
    labels = [label for label, _data in replies[-1].buttons]
    assert labels[0] == "🇲🇽 México" and labels[1] == "🇪🇸 España"
    assert labels[-1] == "🌍 " + tr("es", "Another country")

    replies = await chat.press(callbacks.encode("country", "MX", "o"))
    assert tr("es", "I never share your records with your employer.") in replies[-1].text
    assert [label for label, _d in replies[-1].buttons][:2] == [
        "⬜ " + tr("es", "Keep my records"),
        "⬜ " + tr("es", "Count me in anonymous statistics"),
    ]

    replies = await chat.press(callbacks.encode("consent", "records", 1, "o"))
    assert replies[-1].method == "editMessageReplyMarkup"
    assert replies[-1].buttons[0][0] == "✅ " + tr("es", "Keep my records")

    replies = await chat.press(callbacks.encode("privacy_done", "o"))
    assert tr("es", "Here is the main menu. Tap a button.") in replies[-1].text
    menu = [label for label, _d in replies[-1].buttons]
    assert menu[0] == "📚 " + tr("es", "Rights") and len(menu) == 8

    row = await harness.db.fetchone("SELECT * FROM users WHERE user_id = 1")
    assert (row["locale"], row["country"], row["timezone"], row["onboarded"]) == (
        "es",
        "MX",
        "America/Mexico_City",
        1,
    )
    consents = await harness.db.fetchall(
        "SELECT kind, granted FROM consents WHERE user_id = 1 ORDER BY kind"
    )
    assert [tuple(c) for c in consents] == [("records", 1)]  # statistics never ticked: absent


async def test_onboarding_in_arabic(harness: Harness) -> None:
    chat = harness.chat(2, "ar")
    replies = await chat.say("/start")
    assert replies[-1].buttons[-1][0] == "✅ العربية"
    await chat.press(callbacks.encode("lang", "ar", "o"))
    replies = await chat.press(callbacks.encode("country", "ES", "o"))
    assert tr("ar", "I keep only what I need to help you:") in replies[-1].text
    replies = await chat.press(callbacks.encode("privacy_done", "o"))
    assert replies[-1].text.startswith(tr("ar", "All set! ✅"))
    assert tr("ar", "Your records will not be kept. To log hours later, say yes in /privacy.") in (
        replies[-1].text
    )
    # The menu works when typed as text in Arabic.
    replies = await chat.say(tr("ar", "Settings"))
    assert replies[-1].text == tr("ar", "⚙️ <b>Settings</b>")


async def test_unknown_telegram_language_gets_default(harness: Harness) -> None:
    replies = await harness.say("/start", user_id=3, language_code="zz")
    assert replies[-1].buttons[0][0] == "✅ Español"  # DWBOT_DEFAULT_LOCALE=es


async def test_change_language_and_country_later(harness: Harness) -> None:
    await harness.onboard(user_id=4)
    chat = harness.chat(4)
    replies = await chat.say("/language")
    assert replies[-1].buttons[0][0] == "✅ Español"
    replies = await chat.press(callbacks.encode("lang", "pt", "s"))
    assert replies[-1].text == tr("pt", "Done. I will speak English with you.")
    replies = await chat.say("/country")
    replies = await chat.press(callbacks.encode("country", "AR", "s"))
    assert "Argentina" in replies[-1].text
    row = await harness.db.fetchone("SELECT locale, country, timezone FROM users WHERE user_id = 4")
    assert tuple(row) == ("pt", "AR", "America/Argentina/Buenos_Aires")


async def test_start_again_after_onboarding_shows_menu(harness: Harness) -> None:
    await harness.onboard(user_id=5)
    replies = await harness.say("/start", user_id=5)
    assert replies[-1].text == tr("es", "Welcome back! Here is the menu.")


@pytest.mark.parametrize("key", [item.key for item in MENU])
async def test_every_menu_button_answers(harness: Harness, key: str) -> None:
    await harness.onboard(user_id=6)
    item = next(i for i in MENU if i.key == key)
    with i18n.using("es"):
        label = f"{item.icon} {_(item.label)}"
    replies = await harness.say(label, user_id=6)
    assert replies and replies[-1].text.strip()


async def test_help_lists_every_command_in_user_language(harness: Harness) -> None:
    from bot.commands import COMMANDS, visible_commands

    await harness.onboard(user_id=7, locale="fr")
    replies = await harness.say("/help", user_id=7)
    shown = html.unescape(replies[-1].text)  # "C'est" is sent as "C&#x27;est"
    for command in visible_commands(set()):
        assert f"/{command.name} — {tr('fr', command.description)}" in shown
    for command in COMMANDS:
        if command.role is not None:  # organiser commands are not shown to workers
            assert f"/{command.name} " not in replies[-1].text


async def test_commands_registered_with_telegram_in_each_language(settings) -> None:
    from bot.app import build_application
    from bot.channels.offline_api import OfflineBotAPI, OfflineRequest

    api = OfflineBotAPI()
    app = build_application(settings, request=OfflineRequest(api))
    await app.initialize()
    await app.post_init(app)  # type: ignore[misc]
    try:
        import bot.app

        await asyncio.gather(*list(bot.app._BACKGROUND))  # registered beside the first poll
        languages = [p.get("language_code") for m, p in api.calls if m == "setMyCommands"]
        assert sorted(filter(None, languages)) == sorted(i18n.AVAILABLE_LOCALES)
        assert None in languages  # and a default list
    finally:
        await app.post_shutdown(app)  # type: ignore[misc]
        await app.shutdown()


# ---- "Another country" is a real place -----------------------------------------------------


def tap_label(replies: list, label: str) -> str:
    """The callback data of the button labelled `label` on the last keyboard shown."""
    keyboard = next(r for r in reversed(replies) if r.buttons)
    found = [data for text, data in keyboard.buttons if text == label]
    assert len(found) == 1, f"no single button {label!r} in {[t for t, _d in keyboard.buttons]}"
    assert found[0] is not None
    return found[0]


async def tap(chat, replies: list, label: str) -> list:
    """Press the button a worker sees as `label`, as she would."""
    return await chat.press(tap_label(replies, label))


def in_locale(locale: str, render, *args):
    with i18n.using(locale):
        return render(*args)


@pytest.mark.parametrize(("user_id", "locale"), [(11, "tl"), (12, "ar")])
async def test_another_country_hong_kong_by_taps(
    harness: Harness, user_id: int, locale: str
) -> None:
    """Hong Kong, reached by buttons only: her clock is Hong Kong's, her money Hong Kong's."""
    chat = harness.chat(user_id, locale)  # Telegram's language_code
    replies = await chat.say("/start")
    replies = await tap(chat, replies, "✅ " + i18n.NATIVE_NAMES[locale])
    assert replies[-1].text == tr(
        locale, "Which country do you work in? Your rights depend on its laws."
    )
    replies = await tap(chat, replies, "🌍 " + tr(locale, "Another country"))
    assert replies[-1].text == tr(locale, "In which part of the world do you work?")
    asia = i18n.babel_locale(locale).territories["142"]  # CLDR's name for UN M49 region 142
    replies = await tap(chat, replies, f"🌏 {asia}")
    hong_kong = in_locale(locale, i18n.country_name, "HK")
    replies = await tap(chat, replies, f"🇭🇰 {hong_kong}")

    # 15:00 UTC on the test clock is 23:00 in Hong Kong.
    eleven_pm = in_locale(locale, i18n.fmt_time, dt.time(23, 0))
    summary, privacy = replies[-2], replies[-1]
    city = in_locale(locale, onboarding.zone_city, "Asia/Hong_Kong")
    assert summary.text.split("\n") == [
        f"🇭🇰 <b>{hong_kong}</b>",
        tr(
            locale,
            "Your rights: the international standard, ILO Convention 189. "
            "I do not have this country's own law yet.",
        ),
        tr(locale, "Your time now: {time} ({place}).").format(time=eleven_pm, place=city),
        tr(locale, "Your money: {currency}.").format(
            currency=in_locale(locale, onboarding.money_label, "HKD")
        ),
    ]
    assert tr(locale, "I keep only what I need to help you:") in privacy.text
    await tap(chat, replies, "⬜ " + tr(locale, "Keep my records"))
    await chat.press(callbacks.encode("privacy_done", "o"))

    row = await harness.db.fetchone(
        f"SELECT country, timezone, onboarded FROM users WHERE user_id = {user_id}"
    )
    assert tuple(row) == ("HK", "Asia/Hong_Kong", 1)
    # What she records is in Hong Kong dollars unless she writes another currency.
    services = harness.app.bot_data.services
    assert services is not None
    user = await services.users.get(user_id)
    assert user is not None and services.hours.currency(user) == "HKD"


# ---- the picker's pages hold still ---------------------------------------------------------


async def test_country_pages_keep_back_menu_and_next_in_place(harness: Harness) -> None:
    """Every page of a region has the same grid and the same last row, so Back, Menu and Next
    keep their row, their index and their console number, the last page too."""
    await harness.onboard(user_id=13)
    chat = harness.chat(13)
    await chat.press(callbacks.encode("region", "s"))
    codes = in_locale("es", countries.listing, "142", i18n.country_name)
    count = -(-len(codes) // onboarding.PAGE_SIZE)
    assert count >= 3
    pages = []
    replies = await chat.press(callbacks.encode("region", "s", "142", 0))
    for _page in range(count):
        pages.append(replies[-1])
        replies = await chat.press(rows_of(replies[-1])[-1][2][1] or "")  # Next
    assert replies[-1].text == pages[0].text  # Next on the last page goes round to the first
    first, second, last = pages[0], pages[1], pages[-1]
    back, menu, following = tr("es", "◀️ Back"), tr("es", "☰ Menu"), tr("es", "Next ▶️")
    grid = [2] * (onboarding.PAGE_SIZE // 2)
    assert shape(first) == shape(second) == shape(last) == [*grid, 3]
    row, number = len(grid), onboarding.PAGE_SIZE + 3
    for page in (first, second, last):
        where = places(page)
        assert (where[back], where[menu], where[following]) == (
            [(row, 0, number - 2)],
            [(row, 1, number - 1)],
            [(row, 2, number)],
        )
        shown = chat.render([page])
        assert f"[{number - 2}] {back}  [{number - 1}] {menu}  [{number}] {following}" in shown
    # The short last page is filled with blank buttons that show the same page again.
    on_last = len(codes) - (count - 1) * onboarding.PAGE_SIZE
    blanks = [data for label, data in last.buttons[:-3] if label == INERT_LABEL]
    assert len(blanks) == onboarding.PAGE_SIZE - on_last
    assert set(blanks) == {callbacks.encode("region", "s", "142", count - 1)}
    replies = await chat.press(blanks[0] or "")
    assert replies[-1].text == last.text and replies[-1].buttons == last.buttons
    row_ = await harness.db.fetchone("SELECT country, timezone FROM users WHERE user_id = 13")
    assert tuple(row_) == ("MX", "America/Mexico_City")  # a blank press chose nothing


async def test_regions_and_zones_keep_the_same_last_row(harness: Harness) -> None:
    """Screens that do not page still have three slots: Back and Menu where the country pages
    have them, and a blank where Next is, which shows the same screen again."""
    await harness.onboard(user_id=14)
    chat = harness.chat(14)
    back, menu = tr("es", "◀️ Back"), tr("es", "☰ Menu")
    replies = await chat.press(callbacks.encode("region", "s"))
    regions = replies[-1]
    assert [label for label, _d in rows_of(regions)[-1]] == [back, menu, INERT_LABEL]
    replies = await chat.press(rows_of(regions)[-1][2][1] or "")
    assert (replies[-1].text, replies[-1].buttons) == (regions.text, regions.buttons)
    await chat.press(callbacks.encode("region", "s", "019", 0))
    replies = await chat.press(callbacks.encode("country", "US", "s"))
    zones = replies[-1]
    assert [label for label, _d in rows_of(zones)[-1]] == [back, menu, INERT_LABEL]
    replies = await chat.press(rows_of(zones)[-1][2][1] or "")
    assert (replies[-1].text, replies[-1].buttons) == (zones.text, zones.buttons)
    row = await harness.db.fetchone("SELECT country, timezone FROM users WHERE user_id = 14")
    assert tuple(row) == ("MX", "America/Mexico_City")  # the blank chose no zone
