"""Hours & pay through the real bot: households, typed entries, the clock, payments,
summaries, editing and deleting, and the export, in Spanish and Portuguese."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import shutil
import subprocess
from decimal import Decimal as D

from bot import callbacks, i18n
from bot.i18n import _
from tests.conftest import FakeClock, Harness


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


async def add_household(
    harness: Harness,
    user_id: int,
    name: str,
    unit: str,
    amount: str,
    locale: str = "es",
    since: str = "20260301",
) -> list:
    chat = harness.chat(user_id)
    await chat.say(name)
    await chat.press(callbacks.encode("h", "unit", unit))
    await chat.say(amount)
    await chat.press(callbacks.encode("h", "livein", 0))
    return await chat.press(callbacks.encode("h", "date", "n", since))


async def test_first_visit_asks_for_consent_then_a_household(harness: Harness) -> None:
    await harness.onboard(user_id=51, records=False)
    chat = harness.chat(51)
    replies = await chat.say("🕒 " + tr("es", "Hours & pay"))
    assert replies[-1].buttons == [
        ("✅ " + tr("es", "Keep my records").lstrip("✅ "), callbacks.encode("h", "consent"))
    ] or replies[-1].buttons[0][1] == callbacks.encode("h", "consent")
    replies = await chat.press(callbacks.encode("h", "consent"))
    assert replies[-1].text.startswith("🏠")
    replies = await chat.say("Casa Azul")
    assert [d for _l, d in replies[-1].buttons] == [
        callbacks.encode("h", "unit", u) for u in ("hour", "day", "week", "month")
    ]
    await chat.press(callbacks.encode("h", "unit", "day"))
    await chat.say("400")
    await chat.press(callbacks.encode("h", "livein", 0))
    replies = await chat.press(callbacks.encode("h", "date", "n", "20260301"))
    assert "Casa Azul" in replies[0].text and "400" in replies[0].text
    row = await harness.db.fetchone("SELECT nickname, pay_minor, pay_unit, currency FROM employers")
    assert tuple(row) == ("Casa Azul", 40000, "day", "MXN")


async def test_typed_entries_payments_and_summary_in_spanish(
    harness: Harness, clock: FakeClock
) -> None:
    await harness.onboard(user_id=52)
    chat = harness.chat(52)
    await chat.say("/hours")
    await add_household(harness, 52, "Casa Azul", "day", "400")
    # Tuesday 10 March 2026, 15:00 UTC (09:00 in Mexico City).
    replies = await chat.say("ayer de 8 a 14")
    assert replies[-1].text.startswith(tr("es", "✅ Saved for {name}: {entry}").split("{")[0])
    await chat.say("9:00-17:30")
    replies = await chat.say("me pagaron 500 ayer")
    assert "500" in replies[-1].text
    replies = await chat.press(callbacks.encode("h", "sum", "week"))
    text = replies[-1].text
    assert tr("es", "Hours worked: {hours}").format(hours=i18n.fmt_duration(14 * 60 + 30)) in text
    with i18n.using("es"):
        assert (
            _("Earned as agreed: {amount}").format(
                amount=i18n.fmt_money(__import__("decimal").Decimal("800.00"), "MXN")
            )
            in text
        )
    rows = await harness.db.fetchall("SELECT day, worked_minutes, source FROM work_entries")
    assert [tuple(r) for r in rows] == [("2026-03-09", 360, "typed"), ("2026-03-10", 510, "typed")]


async def test_impossible_and_ambiguous_entries(harness: Harness) -> None:
    await harness.onboard(user_id=53)
    chat = harness.chat(53)
    await chat.say("/hours")
    await add_household(harness, 53, "Casa", "hour", "50")
    replies = await chat.say("25h")
    assert replies[-1].text == tr("es", "That is more than 24 hours. Please check the hours.")
    replies = await chat.say("mañana 8h")
    assert replies[-1].text == tr("es", "That date is in the future. You can log only work done.")
    replies = await chat.say("de 9 a 5")  # 09:00-17:00? the bot asks
    assert replies[-1].text.startswith(tr("es", "Did you mean: {entry}?").split("{")[0])
    replies = await chat.press(callbacks.encode("h", "ok"))
    assert await harness.db.fetchval("SELECT worked_minutes FROM work_entries") == 480
    replies = await chat.say("10:00-12:00")  # overlaps the 9-17 just saved: she chooses
    assert [d for _l, d in replies[-1].buttons] == [
        callbacks.encode("h", "ovl", 1),
        callbacks.encode("h", "no"),
    ]
    assert await harness.db.fetchval("SELECT COUNT(*) FROM work_entries") == 1
    await chat.press(callbacks.encode("h", "ovl", 1))  # replace the 9-17 with 10-12
    await chat.press(callbacks.encode("h", "ovl", 1))  # a double tap changes nothing
    live = await harness.db.fetchall(
        "SELECT worked_minutes FROM work_entries WHERE deleted_at IS NULL"
    )
    assert [r[0] for r in live] == [120]


async def test_clock_in_and_out_survives_a_restart(harness: Harness, clock: FakeClock) -> None:
    await harness.onboard(user_id=54)
    chat = harness.chat(54)
    await chat.say("/hours")
    await add_household(harness, 54, "Casa", "hour", "50")
    started = await chat.press(callbacks.encode("h", "start"))
    await harness.restart()
    clock.advance(hours=3, minutes=15)
    replies = await chat.press(callbacks.encode("h", "stop"), started[-1].message_id)
    assert replies[-1].text.startswith(
        tr("es", "⏹ Stopped. Saved: {hours} on {day}.").split("{")[0]
    )
    row = await harness.db.fetchone("SELECT worked_minutes, source FROM work_entries")
    assert tuple(row) == (195, "clock")


async def test_edit_and_delete_keep_history(harness: Harness) -> None:
    await harness.onboard(user_id=55)
    chat = harness.chat(55)
    await chat.say("/hours")
    await add_household(harness, 55, "Casa", "hour", "50")
    await chat.say("9:00-17:00")
    entry_id = await harness.db.fetchval("SELECT id FROM work_entries")
    await chat.press(callbacks.encode("h", "edit", entry_id))
    replies = await chat.say("9:00-15:00")
    assert replies[-1].text.startswith(tr("es", "✅ Entry changed: {entry}").split("{")[0])
    assert await harness.db.fetchval("SELECT worked_minutes FROM work_entries") == 360
    await chat.press(callbacks.encode("h", "del", "work", entry_id))
    actions = [
        r[0] for r in await harness.db.fetchall("SELECT action FROM entry_history ORDER BY id")
    ]
    assert actions == ["create", "edit", "delete"]
    replies = await chat.press(callbacks.encode("h", "del", "work", entry_id))
    assert replies[-1].text == tr("es", "That entry no longer exists.")


async def test_two_households_ask_which(harness: Harness) -> None:
    await harness.onboard(user_id=56, locale="pt", country="ES", language_code="pt")
    chat = harness.chat(56, "pt")
    await chat.say("/hours")
    await add_household(harness, 56, "Casa A", "hour", "10")
    await chat.press(callbacks.encode("h", "addemp"))
    await add_household(harness, 56, "Casa B", "hour", "12")
    replies = await chat.say("trabalhei 5 horas ontem")
    assert replies[-1].text == tr("pt", "For which household?")
    second = replies[-1].buttons[1][1]
    await chat.press(second)
    row = await harness.db.fetchone(
        "SELECT e.nickname, w.worked_minutes FROM work_entries w JOIN employers e"
        " ON e.id = w.employer_id"
    )
    assert tuple(row) == ("Casa B", 300)


async def test_export_sends_csv_and_pdf(harness: Harness) -> None:
    await harness.onboard(user_id=57)
    chat = harness.chat(57)
    await chat.say("/hours")
    await add_household(harness, 57, "Casa Azul", "day", "400")
    await chat.say("ayer de 8 a 14")
    await chat.say("me pagaron 500 ayer")
    replies = await chat.say("/export")
    ((csv_name, csv_bytes),) = replies[-2].files.values()
    ((pdf_name, pdf_bytes),) = replies[-1].files.values()
    assert csv_name.endswith(".csv") and pdf_name.endswith(".pdf")
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    columns = [tr("es", c) for c in ("Type", "Household", "Worked (hours)", "Amount")]
    assert [tuple(r[c] for c in columns) for r in rows] == [
        (tr("es", "Work"), "Casa Azul", "6.00", ""),
        (tr("es", "Payment"), "Casa Azul", "", "500.00"),
    ]
    assert pdf_bytes.startswith(b"%PDF-")
    if shutil.which("pdftotext"):  # the statement prints the CSV's SHA-256
        done = await asyncio.to_thread(
            subprocess.run, ["pdftotext", "-", "-"], input=pdf_bytes, capture_output=True
        )
        text = done.stdout.decode()
        assert hashlib.sha256(csv_bytes).hexdigest() in text
    for bad in ("2026-03-31 2026-03-01", "9999-12-25 9999-12-31", "0001-01-01 0001-01-05"):
        replies = await chat.say(f"/export {bad}")
        assert replies[-1].text == tr(
            "es", "Write the period as two dates, for example: /export 2026-03-01 2026-03-31"
        )


async def test_records_need_consent(harness: Harness) -> None:
    await harness.onboard(user_id=58, records=False)
    replies = await harness.say("8h", user_id=58)
    # Without consent nothing is stored; the text is not taken as an entry.
    assert await harness.db.fetchval("SELECT COUNT(*) FROM work_entries") == 0
    assert replies


async def test_started_last_month_statement_and_end_of_job_by_taps(
    harness: Harness, clock: FakeClock
) -> None:
    # Spain, monthly 1,200 EUR since 1 February 2026; today is 10 March 2026 (Madrid).
    for user_id, locale in ((71, "es"), (72, "ar")):
        await harness.onboard(user_id=user_id, locale=locale, country="ES")
        chat = harness.chat(user_id)
        await chat.say("/hours")
        await chat.say("Casa")
        await chat.press(callbacks.encode("h", "unit", "month"))
        await chat.say("1200")
        await chat.press(callbacks.encode("h", "livein", 1))
        replies = await chat.press(callbacks.encode("h", "date", "n", "20260201"))
        again = await chat.press(callbacks.encode("h", "date", "n", "20260201"))  # double tap
        count = await harness.db.fetchval(
            "SELECT COUNT(*) FROM employers WHERE user_id = ?", (user_id,)
        )
        assert count == 1 and again  # a polite answer, and still one household
        await chat.say("me pagaron 1200 el 28 de febrero" if locale == "es" else "paid 1200")
        replies = await chat.say("/hours")
        with i18n.using(locale):
            # February whole (1,200) + 10 of March's 31 days (387.10) = 1,587.10 earned.
            earned = i18n.fmt_money(D("1587.10"), "EUR")
            assert earned in replies[-1].text, replies[-1].text
            assert "-" not in i18n.fmt_money(D("387.10"), "EUR")
        replies = await chat.press(callbacks.encode("h", "end"))
        replies = await chat.press(
            callbacks.encode("h", "endr", 1 if locale == "es" else 2, "desist")
        )
        replies = await chat.press(callbacks.encode("h", "date", "e", "20260310"))
        with i18n.using(locale):
            assert (
                "RD 1620/2011, art. 11.2" in replies[-1].text
                or "Real Decreto 1620/2011, art. 11.2" in replies[-1].text
            )
            assert _("Not included here:") in replies[-1].text


async def test_work_before_the_start_date_offers_to_move_the_start(harness: Harness) -> None:
    await harness.onboard(user_id=91)
    chat = harness.chat(91)
    await chat.say("/hours")
    await add_household(harness, 91, "Casa", "day", "400", since="20260301")
    replies = await chat.say("el 20 de febrero de 8 a 14")
    assert callbacks.encode("h", "mvs", 1) in [d for _l, d in replies[-1].buttons]
    assert await harness.db.fetchval("SELECT COUNT(*) FROM work_entries") == 0
    await chat.press(callbacks.encode("h", "mvs", 1))
    assert await harness.db.fetchval("SELECT started_on FROM employers") == "2026-02-20"
    assert await harness.db.fetchval("SELECT day FROM work_entries") == "2026-02-20"


async def test_double_tap_on_which_household_stores_once(harness: Harness) -> None:
    await harness.onboard(user_id=92)
    chat = harness.chat(92)
    await chat.say("/hours")
    await add_household(harness, 92, "Casa A", "day", "400")
    await chat.say("/hours")
    await chat.press(callbacks.encode("h", "addemp"))
    await add_household(harness, 92, "Casa B", "day", "400")
    replies = await chat.say("8h")
    asking = replies[-1]
    first = asking.buttons[0][1]
    assert first is not None
    await chat.press(first, message_id=asking.message_id)
    again = await chat.press(first, message_id=asking.message_id)  # the same button again
    assert await harness.db.fetchval("SELECT SUM(worked_minutes) FROM work_entries") == 480
    assert [r.text for r in again] == [tr("es", "✅ Already saved.")]


async def test_an_edit_keeps_the_entry_day(harness: Harness) -> None:
    await harness.onboard(user_id=93)
    chat = harness.chat(93)
    await chat.say("/hours")
    await add_household(harness, 93, "Casa", "day", "400")
    await chat.say("el 2 de marzo de 9 a 13")
    entry_id = await harness.db.fetchval("SELECT id FROM work_entries")
    await chat.press(callbacks.encode("h", "edit", entry_id))
    await chat.say("8-20")
    row = await harness.db.fetchone("SELECT day, worked_minutes FROM work_entries")
    assert tuple(row) == ("2026-03-02", 720)


async def test_forged_date_buttons_get_a_polite_answer(harness: Harness) -> None:
    await harness.onboard(user_id=94)
    chat = harness.chat(94)
    await chat.say("/hours")
    await add_household(harness, 94, "Casa", "month", "1000")
    for data in (
        callbacks.encode("h", "date", "e", "99991231"),
        callbacks.encode("h", "date", "n", "20261341"),
        callbacks.encode("h", "date", "zz", "20260301"),
        callbacks.encode("h", "months", "n", 99),
        callbacks.encode("h", "month", "n", "999912"),
        callbacks.encode("h", "endr", 1, "bogus"),
        callbacks.encode("h", "vac", 999),
    ):
        replies = await chat.press(data)
        assert replies and "Traceback" not in replies[-1].text, data
        assert replies[-1].text != tr(
            "es", "Sorry, something went wrong on my side. Your data is safe. Please try again."
        ), data
    assert await harness.db.fetchval("SELECT COUNT(*) FROM employers") == 1
