"""Declared flows of Hours & pay: every exit leaves a flow with nothing stored, an idle flow
times out, and each task can be done by tapping alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

import pytest

from bot import callbacks, i18n
from tests.conftest import Harness
from tests.test_hours import add_household


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return i18n._(message)


def h(*args: object) -> str:
    return callbacks.encode("h", *args)


async def count(harness: Harness, table: str) -> int:
    return int(await harness.db.fetchval(f"SELECT COUNT(*) FROM {table}"))


async def in_flow(harness: Harness, user_id: int) -> str | None:
    row = await harness.db.fetchone(
        "SELECT flow FROM conversation_state WHERE user_id = ?", (user_id,)
    )
    return row[0] if row else None


async def ready(harness: Harness, user_id: int, households: int = 1) -> None:
    await harness.onboard(user_id=user_id, country="ES")
    chat = harness.chat(user_id)
    await chat.say("/hours")
    await add_household(harness, user_id, "Casa A", "day", "60")
    for n in range(1, households):
        await chat.press(h("addemp"))
        await add_household(harness, user_id, f"Casa {chr(65 + n)}", "day", "60")


# Each flow: how to get into it (mid-way), and the tables that must not change.
Enter = Callable[[Harness, int], Awaitable[None]]


async def enter_household_name(harness: Harness, uid: int) -> None:
    await harness.chat(uid).press(h("addemp"))


async def enter_household_amount(harness: Harness, uid: int) -> None:
    chat = harness.chat(uid)
    await chat.press(h("addemp"))
    await chat.press(h("nick", 2))
    await chat.press(h("unit", "month"))


async def enter_household_start(harness: Harness, uid: int) -> None:
    await enter_household_amount(harness, uid)
    chat = harness.chat(uid)
    await chat.say("900")
    await chat.press(h("livein", 0))


async def enter_pay_change(harness: Harness, uid: int) -> None:
    chat = harness.chat(uid)
    employer = await harness.db.fetchval("SELECT MIN(id) FROM employers WHERE user_id = ?", (uid,))
    await chat.press(h("terms", employer))
    await chat.press(h("tu", "hour"))


async def enter_log_hours(harness: Harness, uid: int) -> None:
    chat = harness.chat(uid)
    await chat.press(h("log"))
    await chat.press(h("date", "l", "20260309"))


async def enter_payment(harness: Harness, uid: int) -> None:
    await harness.chat(uid).press(h("pay"))


async def enter_payment_day(harness: Harness, uid: int) -> None:
    chat = harness.chat(uid)
    await chat.press(h("pay"))
    await chat.press(h("amt", "60"))


async def enter_confirm(harness: Harness, uid: int) -> None:
    await harness.chat(uid).say("de 9 a 5")  # 17:00 assumed: she must confirm


async def enter_ending(harness: Harness, uid: int) -> None:
    chat = harness.chat(uid)
    employer = await harness.db.fetchval("SELECT MIN(id) FROM employers WHERE user_id = ?", (uid,))
    await chat.press(h("endr", employer, "resigned"))


FLOWS: dict[str, tuple[Enter, tuple[str, ...]]] = {
    "household name": (enter_household_name, ("employers",)),
    "household pay": (enter_household_amount, ("employers",)),
    "household start": (enter_household_start, ("employers",)),
    "pay change": (enter_pay_change, ("pay_terms",)),
    "log hours": (enter_log_hours, ("work_entries",)),
    "payment": (enter_payment, ("payments",)),
    "payment day": (enter_payment_day, ("payments",)),
    "confirm entry": (enter_confirm, ("work_entries",)),
    "job ending": (enter_ending, ("job_endings",)),
}
EXITS = ["/start", "/menu", "/cancel", "menu button", "/help", "timeout"]


async def leave(harness: Harness, uid: int, how: str) -> None:
    chat = harness.chat(uid)
    if how == "timeout":
        harness.clock.advance(minutes=31)
    elif how == "menu button":
        await chat.say("📚 " + tr("es", "Rights"))
    else:
        await chat.say(how)


@pytest.mark.parametrize("how", EXITS)
@pytest.mark.parametrize("name", list(FLOWS))
async def test_every_exit_leaves_the_flow_with_nothing_stored(
    harness: Harness, name: str, how: str
) -> None:
    uid = 700
    await ready(harness, uid)
    enter, tables = FLOWS[name]
    before = {t: await count(harness, t) for t in tables}
    await enter(harness, uid)
    assert await in_flow(harness, uid) is not None
    await leave(harness, uid, how)
    if how != "timeout":
        assert await in_flow(harness, uid) is None
    # What she types next is new input, not the flow's answer.
    replies = await harness.chat(uid).say("Casa Verde 900")
    if how == "timeout":  # the timed-out flow's half-typed data is gone as well
        assert await in_flow(harness, uid) is None
    assert {t: await count(harness, t) for t in tables} == before
    assert not any("Casa Verde" in r.text for r in replies)
    for code in ("30", "hoy"):
        await harness.chat(uid).say(code)
    assert {t: await count(harness, t) for t in tables} == before


async def test_cancel_says_whether_there_was_anything_to_stop(harness: Harness) -> None:
    await ready(harness, 701)
    chat = harness.chat(701)
    await chat.press(h("addemp"))
    replies = await chat.say("/cancel")
    assert replies[-1].text == tr("es", "Stopped. Nothing was saved.")
    replies = await chat.say("/cancel")
    assert replies[-1].text == tr("es", "There is nothing to stop. Here is the menu.")


async def test_a_button_of_another_feature_leaves_the_flow(harness: Harness) -> None:
    await ready(harness, 702)
    chat = harness.chat(702)
    await chat.press(h("pay"))
    await chat.press(callbacks.encode("topics", 0))
    assert await in_flow(harness, 702) is None
    await chat.say("500")
    assert await count(harness, "payments") == 0


async def test_the_flow_survives_a_restart_and_its_own_buttons(harness: Harness) -> None:
    await ready(harness, 703)
    chat = harness.chat(703)
    await chat.press(h("pay"))
    await harness.restart()
    await chat.press(h("kp", ""))
    await chat.press(h("kp", "4"))
    await chat.press(h("kp", "45"))
    await chat.press(h("kpok", "45"))
    await chat.press(h("date", "p", "20260308"))
    row = await harness.db.fetchone("SELECT amount_minor, day FROM payments")
    assert tuple(row) == (4500, "2026-03-08")


# ---- by taps alone ---------------------------------------------------------------------------
async def test_a_household_by_taps_alone(harness: Harness) -> None:
    await harness.onboard(user_id=710, country="ES")
    chat = harness.chat(710)
    replies = await chat.say("/hours")
    assert h("nick", 1) in [d for _l, d in replies[-1].buttons]
    replies = await chat.press(h("letters", "latin"))
    assert (
        "M",
        h("letter", "latin", 12),
    ) in replies[-1].buttons  # and a button to Arabic letters
    await chat.press(h("letter", "latin", 12))
    replies = await chat.press(h("unit", "month"))
    presets = [d for _l, d in replies[-1].buttons]
    assert h("kp", "") in presets
    await chat.press(h("kp", ""))
    for value in ("1", "12", "120", "1200", "1200."):
        await chat.press(h("kp", value))
    await chat.press(h("kp", "1200.5"))
    await chat.press(h("kpok", "1200.5"))
    await chat.press(h("livein", 0))
    await chat.press(h("months", "n", 0))
    await chat.press(h("month", "n", "202601"))
    await chat.press(h("date", "n", "20260115"))
    row = await harness.db.fetchone(
        "SELECT nickname, pay_minor, pay_unit, started_on FROM employers"
    )
    assert tuple(row) == (
        tr("es", "Family {letter}").format(letter="M"),  # the 13th letter offered
        120050,
        "month",
        "2026-01-15",
    )


async def test_hours_by_taps_grid_duration_and_usual(harness: Harness) -> None:
    await ready(harness, 711)
    chat = harness.chat(711)
    # Yesterday, from 8:30 to 14:00 on the grid.
    await chat.press(h("log"))
    replies = await chat.press(h("date", "l", "20260309"))
    assert h("lu", "0830", "1400") not in [d for _l, d in replies[-1].buttons]
    await chat.press(h("lg", 1))
    await chat.press(h("lg", 0))
    await chat.press(h("ls", "0830"))
    await chat.press(h("le", "1400"))
    # Today: "as usual" is now 8:30-14:00.
    await chat.press(h("log"))
    replies = await chat.press(h("date", "l", "20260310"))
    usual = h("lu", "0830", "1400")
    assert usual in [d for _l, d in replies[-1].buttons]
    await chat.press(usual)
    # A day of last week, by duration.
    await chat.press(h("log"))
    await chat.press(h("date", "l", "20260303"))
    await chat.press(h("lw"))
    await chat.press(h("lm", 450))
    rows = await harness.db.fetchall("SELECT day, worked_minutes FROM work_entries ORDER BY day")
    assert [tuple(r) for r in rows] == [
        ("2026-03-03", 450),
        ("2026-03-09", 330),
        ("2026-03-10", 330),
    ]


async def test_a_night_shift_by_taps(harness: Harness) -> None:
    await ready(harness, 712)
    chat = harness.chat(712)
    await chat.press(h("log"))
    await chat.press(h("date", "l", "20260309"))
    await chat.press(h("lg", 2))
    replies = await chat.press(h("ls", "2200"))
    labels = [label for label, data in replies[-1].buttons if data == h("le", "0600")]
    assert labels and labels[0].startswith("🌙")
    await chat.press(h("le", "0600"))
    assert await harness.db.fetchval("SELECT worked_minutes FROM work_entries") == 480


async def test_a_payment_by_taps_with_two_households(harness: Harness) -> None:
    await ready(harness, 713, households=2)
    chat = harness.chat(713)
    await chat.press(h("pay"))
    second = await harness.db.fetchval("SELECT MAX(id) FROM employers")
    replies = await chat.press(h("ph", second))
    amounts = [d for _l, d in replies[-1].buttons]
    assert amounts[:2] == [h("amt", "60"), h("amt", "30")]
    await chat.press(h("amt", "30"))
    replies = await chat.press(h("date", "p", "20260310"))
    assert replies[-1].text.startswith("✅")
    row = await harness.db.fetchone("SELECT employer_id, amount_minor, day FROM payments")
    assert tuple(row) == (second, 3000, "2026-03-10")


async def test_forged_flow_buttons_are_refused(harness: Harness) -> None:
    await ready(harness, 714)
    chat = harness.chat(714)
    await chat.press(h("pay"))
    for forged in (h("kp", "1e9"), h("kp", "1.2.3"), h("kp", "9999999999"), h("amt", "NaN")):
        replies = await chat.press(forged)
        assert replies and "Traceback" not in replies[-1].text
    await chat.press(h("le", "0600"))  # a button of another flow: it leaves this one
    assert await count(harness, "payments") == 0 and await count(harness, "work_entries") == 0


async def test_export_last_month_or_any_month_by_taps(harness: Harness) -> None:
    await ready(harness, 715)
    chat = harness.chat(715)
    replies = await chat.press(h("export", "pick"))
    assert h("export", "lastmonth") in [d for _l, d in replies[-1].buttons]
    replies = await chat.press(h("export", "lastmonth"))
    names = [name for r in replies for name, _c in r.files.values()]
    assert names and names[0].endswith("2026-02-01-2026-02-28.csv")
    await chat.press(h("months", "x", 0))
    replies = await chat.press(h("month", "x", "202601"))
    names = [name for r in replies for name, _c in r.files.values()]
    assert names and names[0].endswith("2026-01-01-2026-01-31.csv")


@pytest.mark.parametrize("locale", i18n.AVAILABLE_LOCALES)
def test_the_examples_shown_are_entries_the_parser_reads(locale: str) -> None:
    """The prompt's examples are in her language and number style, and each one works."""
    from bot.domain.entry_parser import parse_shift
    from bot.handlers.hours import EXAMPLES

    today = dt.date(2026, 3, 10)
    examples = tr(locale, EXAMPLES).split("·")
    assert len(examples) == 3
    for example in examples:
        assert parse_shift(example.strip(), today, locale) is not None, (locale, example)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("📣 Reuniones y noticias", "news"),
        ("📣 الاجتماعات والأخبار", "news"),
        ("Heures et salaire", "hours"),
    ],
)
def test_a_menu_keyboard_from_before_the_labels_were_shortened_still_works(
    text: str, key: str
) -> None:
    from bot.handlers.menu import menu_key

    assert menu_key(text) == key


async def test_an_arabic_speaker_can_name_the_household_by_an_arabic_letter(
    harness: Harness,
) -> None:
    await harness.onboard(user_id=716, locale="ar", language_code="ar", country="AR")
    chat = harness.chat(716, "ar")
    replies = await chat.say("/hours")
    assert h("letters", "arabic") in [d for _l, d in replies[-1].buttons]
    replies = await chat.press(h("letters", "arabic"))
    assert replies[-1].buttons[0][0] == "ا"
    await chat.press(h("letter", "arabic", 27))
    replies = await chat.press(h("letter", "arabic", 99))  # forged: refused
    nickname = await harness.db.fetchval("SELECT nickname FROM employers")
    assert nickname is None  # still choosing the pay: nothing stored yet
    row = await harness.db.fetchone("SELECT data FROM conversation_state WHERE user_id = 716")
    assert tr("ar", "Family {letter}").format(letter="ي") in row[0]
