"""The reminder flows as declared flows: every way out of each leaves nothing stored and the
next text is new input; every reminder can be set by taps only; a second press of a button
that creates a reminder creates nothing; a typed answer is read in the flow."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import callbacks, i18n
from bot.channels.offline_api import Sent
from bot.i18n import _
from tests.conftest import Harness

USER = 901
MEXICO = "America/Mexico_City"  # her zone after onboarding in MX


def tr(message: str, locale: str = "es") -> str:
    with i18n.using(locale):
        return _(message)


def at(hour: int, minute: int = 0) -> str:
    """A time as the buttons show it in Spanish ("9:00")."""
    with i18n.using("es"):
        return i18n.fmt_time(dt.time(hour, minute))


async def typed(harness: Harness, text: str) -> list[Sent]:
    """Text she types (the console would press a button whose label is the same text)."""
    return await harness.chat(USER).send_update(harness.api.text_update(USER, text, "es"))


def button(reply: Sent, label: str) -> str:
    """The callback data of the button labelled `label` on `reply` (fails if there is none)."""
    found = [data for text, data in reply.buttons if text == label]
    assert len(found) == 1, f"{label!r} not among {[text for text, _data in reply.buttons]}"
    assert found[0] is not None
    return found[0]


async def reminders_of(harness: Harness, user_id: int = USER) -> list[tuple[object, ...]]:
    rows = await harness.db.fetchall(
        "SELECT kind, rule, at_time, weekday, month_day FROM reminders WHERE user_id = ?"
        " ORDER BY id",
        (user_id,),
    )
    return [tuple(r) for r in rows]


def saved(text: str) -> bool:
    return text.startswith(tr("✅ Reminder saved: {what}").split("{")[0])


# ---- the four flows, each begun the way she begins it ---------------------------------------
async def begin_new_daily(harness: Harness) -> None:
    chat = harness.chat(USER)
    await chat.press(callbacks.encode("rem", "new", "log_hours"))
    replies = await chat.press(callbacks.encode("rem", "other", "log_hours"))
    assert replies[-1].method == "editMessageReplyMarkup"  # the grid, in the same message
    assert (at(20, 30), callbacks.encode("rem", "at", "log_hours", "2030")) in replies[-1].buttons


async def begin_change_time(harness: Harness) -> None:
    chat = harness.chat(USER)
    await chat.press(callbacks.encode("rem", "new", "log_hours"))
    replies = await chat.press(callbacks.encode("rem", "at", "log_hours", "2000"))
    assert saved(replies[-1].text)
    reminder_id = await harness.db.fetchval("SELECT id FROM reminders WHERE user_id = ?", (USER,))
    replies = await chat.press(callbacks.encode("rem", "time", reminder_id))
    assert replies[-1].text.startswith(tr("🕒 New time for: {what}").split("{")[0])


async def begin_month_day(harness: Harness) -> None:
    chat = harness.chat(USER)
    await chat.press(callbacks.encode("rem", "new", "payday"))
    replies = await chat.press(callbacks.encode("rem", "monthly", "payday"))
    assert [label for label, _data in replies[-1].buttons] == [str(d) for d in range(1, 32)]


async def begin_timezone(harness: Harness) -> None:
    replies = await harness.chat(USER).say("/timezone")
    question = tr(
        "Your time zone is {tz}. To change it, write its name, for example: "
        "Europe/Madrid, America/Lima, Asia/Hong_Kong"
    )
    assert replies[-1].text == question.format(tz=MEXICO)


# What each flow would take as its answer, and what is stored once it has been answered.
FLOWS = {
    "new daily time": (begin_new_daily, "20:30"),
    "change time": (begin_change_time, "10:15"),
    "payday day of the month": (begin_month_day, "15"),
    "typed time zone": (begin_timezone, "Asia/Manila"),
}


async def stored(harness: Harness) -> tuple[object, ...]:
    zone = await harness.db.fetchval("SELECT timezone FROM users WHERE user_id = ?", (USER,))
    return (tuple(await reminders_of(harness)), zone)


async def leave(harness: Harness, way: str) -> list[Sent]:
    chat = harness.chat(USER)
    if way == "timeout":
        harness.clock.advance(minutes=31)  # DWBOT_FLOW_TIMEOUT_MINUTES is 30
        return []
    if way == "menu button":
        return await chat.say("📚 " + tr("Rights"))
    return await chat.say(way)


EXITS = ["/start", "/menu", "/cancel", "menu button", "/help", "timeout"]


@pytest.mark.parametrize("way", EXITS)
@pytest.mark.parametrize("flow", list(FLOWS))
async def test_every_way_out_of_every_flow_stores_nothing(
    harness: Harness, flow: str, way: str
) -> None:
    await harness.onboard(user_id=USER)
    begin, answer = FLOWS[flow]
    await begin(harness)
    before = await stored(harness)
    replies = await leave(harness, way)
    if way == "/cancel":
        assert replies[-1].text == tr("Stopped. Nothing was saved.")
    if way == "menu button":  # the rights screen, not the flow's "write the time"
        assert replies[-1].text.endswith(
            tr("Choose a topic, or write your question in your own words.")
        )
    replies = await typed(harness, answer)  # no longer the flow's answer
    assert await stored(harness) == before
    assert not any(
        saved(r.text)
        or r.text in (tr("✅ Time changed."), tr("✅ Time zone: {tz}.").format(tz=answer))
        for r in replies
    )


@pytest.mark.parametrize("flow", list(FLOWS))
async def test_the_answer_typed_in_the_flow_is_taken(harness: Harness, flow: str) -> None:
    await harness.onboard(user_id=USER)
    begin, answer = FLOWS[flow]
    await begin(harness)
    before = await stored(harness)
    replies = await typed(harness, answer)
    after = await stored(harness)
    expected = {
        "new daily time": ((("log_hours", "daily", "20:30", None, None),), MEXICO),
        "change time": ((("log_hours", "daily", "10:15", None, None),), MEXICO),
        "payday day of the month": ((("payday", "monthly", "09:00", None, 15),), MEXICO),
        "typed time zone": ((), "Asia/Manila"),
    }[flow]
    assert after == expected != before
    assert replies[0].text != tr("Write the time like this: 20:00")
    # Answered: the same text again is not read as the flow's answer a second time.
    await typed(harness, answer)
    assert await stored(harness) == expected


async def test_a_wrong_answer_keeps_the_flow(harness: Harness) -> None:
    await harness.onboard(user_id=USER)
    await begin_month_day(harness)
    replies = await typed(harness, "cuarenta")
    assert replies[-1].text == tr("Write a day of the month, from 1 to 31.")
    await typed(harness, "el 31")
    assert await reminders_of(harness) == [("payday", "monthly", "09:00", None, 31)]


async def test_a_daily_reminder_and_a_monthly_payday_by_taps_only(harness: Harness) -> None:
    await harness.onboard(user_id=USER)
    chat = harness.chat(USER)
    screen = (await chat.say("⏰ " + tr("Reminders")))[-1]
    # Every day at 19:00: one tap on the common choice.
    question = (await chat.press(button(screen, tr("➕ Every day: log hours"))))[-1]
    reply = (await chat.press(button(question, at(19)), message_id=question.message_id))[-1]
    assert saved(reply.text)
    # Payday on the 31st: every month, the day grid, then 12:00 instead of 09:00.
    screen = (await chat.say("⏰ " + tr("Reminders")))[-1]
    choice = (await chat.press(button(screen, tr("➕ Payday"))))[-1]
    days = (await chat.press(button(choice, tr("Every month"))))[-1]
    made = (await chat.press(button(days, "31"), message_id=days.message_id))[-1]
    assert saved(made.text)
    changed = (await chat.press(button(made, at(12)), message_id=made.message_id))[-1]
    assert changed.text == tr("✅ Time changed.")
    assert await reminders_of(harness) == [
        ("log_hours", "daily", "19:00", None, None),
        ("payday", "monthly", "12:00", None, 31),
    ]
    next_at = await harness.db.fetchval(
        "SELECT next_at FROM reminders WHERE user_id = ? AND kind = 'payday'", (USER,)
    )
    assert next_at == "2026-03-31T18:00:00+00:00"  # 12:00 in Mexico City


async def test_any_half_hour_by_taps_weekly_payday_and_grid_pages(harness: Harness) -> None:
    await harness.onboard(user_id=USER)
    chat = harness.chat(USER)
    await chat.press(callbacks.encode("rem", "new", "payday"))
    week = (await chat.press(callbacks.encode("rem", "weekly", "payday")))[-1]
    friday, data = week.buttons[4]
    assert friday == "viernes"
    made = (await chat.press(data or "", message_id=week.message_id))[-1]
    assert saved(made.text)
    grid = (await chat.press(button(made, tr("🕒 Another time"))))[-1]
    # 09:00 (its time now) is marked on the page of the day; Earlier shows the night.
    assert "✅ " + at(9) in [label for label, _data in grid.buttons]
    earlier = (await chat.press(button(grid, tr("⬅️ Earlier")), message_id=grid.message_id))[-1]
    assert earlier.method == "editMessageReplyMarkup"
    assert earlier.buttons[0][0] == at(0)
    later = (await chat.press(button(earlier, tr("Later ➡️")), message_id=grid.message_id))[-1]
    later = (await chat.press(button(later, tr("Later ➡️")), message_id=grid.message_id))[-1]
    assert later.buttons[0][0] == at(12)
    reply = (await chat.press(button(later, at(21, 30)), message_id=grid.message_id))[-1]
    assert reply.text == tr("✅ Time changed.")
    assert await reminders_of(harness) == [("payday", "weekly", "21:30", 4, None)]


async def test_a_second_press_of_a_creating_button_creates_nothing(harness: Harness) -> None:
    await harness.onboard(user_id=USER)
    chat = harness.chat(USER)
    question = (await chat.press(callbacks.encode("rem", "new", "log_hours")))[-1]
    tap = button(question, at(18))
    await chat.press(tap, message_id=question.message_id)
    again = await chat.press(tap, message_id=question.message_id)
    assert again[-1].text == tr("✅ Already saved.")
    days = (await chat.press(callbacks.encode("rem", "monthly", "payday")))[-1]
    for _press in range(2):
        await chat.press(button(days, "15"), message_id=days.message_id)
    week = (await chat.press(callbacks.encode("rem", "new", "rest_day")))[-1]
    for _press in range(2):
        await chat.press(week.buttons[6][1] or "", message_id=week.message_id)
    assert await reminders_of(harness) == [
        ("log_hours", "daily", "18:00", None, None),
        ("payday", "monthly", "09:00", None, 15),
        ("rest_day", "weekly", "08:00", 6, None),
    ]


async def test_a_whole_reminder_typed_at_the_time_question(harness: Harness) -> None:
    await harness.onboard(user_id=USER)
    chat = harness.chat(USER)
    await chat.press(callbacks.encode("rem", "new", "log_hours"))
    replies = await typed(harness, "recuérdame mañana a las 9 llamar al sindicato")
    assert saved(replies[-1].text)
    assert "llamar al sindicato" in replies[-1].text
    assert await reminders_of(harness) == [("one_off", "once", "09:00", None, None)]
    await typed(harness, "20:00")  # the flow ended: not a daily reminder now
    assert await reminders_of(harness) == [("one_off", "once", "09:00", None, None)]


async def test_the_timezone_picker_buttons_belong_to_the_flow(harness: Harness) -> None:
    await harness.onboard(user_id=USER)
    chat = harness.chat(USER)
    await chat.say("/timezone")
    regions = (await chat.press(callbacks.encode("region", "z")))[-1]
    assert regions.buttons  # the picker answered; the flow is still on
    replies = await typed(harness, "Asia/Manila")
    assert replies[-1].text == tr("✅ Time zone: {tz}.").format(tz="Asia/Manila")


async def test_a_stale_grid_after_the_flow_still_does_what_it_says(harness: Harness) -> None:
    await harness.onboard(user_id=USER)
    chat = harness.chat(USER)
    question = (await chat.press(callbacks.encode("rem", "new", "log_hours")))[-1]
    await chat.say("/cancel")
    harness.clock.advance(hours=2)
    reply = (await chat.press(button(question, at(20)), message_id=question.message_id))[-1]
    assert saved(reply.text)
    assert await reminders_of(harness) == [("log_hours", "daily", "20:00", None, None)]


@pytest.mark.parametrize("locale", i18n.AVAILABLE_LOCALES)
def test_the_reminder_example_shown_is_one_her_language_understands(locale: str) -> None:
    """The example on the reminders screen is in her language (it was English in tl, sw and
    ar), and typing it as shown sets the reminder."""
    import zoneinfo

    from bot.domain.reminders import parse_one_off

    with i18n.using(locale):
        shown = i18n._(
            "For a one-off reminder, write for example: remind me tomorrow at 9 to call the union"
        )
    example = shown.split(":", 1)[1].strip()
    if locale != "en":
        assert "remind me" not in example
    now = dt.datetime(2026, 3, 10, 15, tzinfo=dt.UTC)
    found = parse_one_off(example, now, zoneinfo.ZoneInfo("Europe/Madrid"), locale)
    assert found is not None and found.when == dt.datetime(2026, 3, 11, 8, tzinfo=dt.UTC)


async def test_a_made_up_reminder_kind_in_button_data_is_refused(harness: Harness) -> None:
    """Before, only the database's CHECK stopped it; now the button is answered as old and
    nothing is stored (so no scheduler tick can trip on it)."""
    await harness.onboard(user_id=880)
    chat = harness.chat(880)
    for data in (
        callbacks.encode("rem", "new", "nope"),
        callbacks.encode("rem", "wd", "nope", 1),
        callbacks.encode("rem", "md", "one_off", 5),
        callbacks.encode("rem", "weekly", "log_hours"),
        callbacks.encode("rem", "at", "nope", "0900"),
    ):
        replies = await chat.press(data)
        assert replies[-1].text == _old_button(), data
    assert await harness.db.fetchval("SELECT COUNT(*) FROM reminders") == 0


def _old_button() -> str:
    with i18n.using("es"):
        return _("That button is old. Here is the menu again.")
