"""Reminders with a controllable clock: restarts, missed occurrences, DST, short months,
quiet hours, cancelling, and the whole flow through the bot in Spanish and English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot import callbacks, i18n
from bot.app import due_work
from bot.domain.reminders import Schedule, next_occurrence, parse_one_off
from bot.i18n import _
from tests.conftest import Harness

MADRID, SANTIAGO, MEXICO = (
    ZoneInfo("Europe/Madrid"),
    ZoneInfo("America/Santiago"),
    ZoneInfo("America/Mexico_City"),
)
UTC = dt.UTC


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


def services(harness: Harness):
    assert harness.app.bot_data.services is not None
    return harness.app.bot_data.services


async def daily_reminder(harness: Harness, user_id: int, at: str = "2000") -> None:
    chat = harness.chat(user_id)
    await chat.say("⏰ " + tr("es", "Reminders"))
    await chat.press(callbacks.encode("rem", "new", "log_hours"))
    replies = await chat.press(callbacks.encode("rem", "at", "log_hours", at))
    assert replies[-1].text.startswith(tr("es", "✅ Reminder saved: {what}").split("{")[0])


def reminders_sent(harness: Harness, user_id: int) -> list[str]:
    return [
        s.text
        for s in harness.api.sent_to(user_id)
        if s.text.startswith(tr("es", "⏰ Time to write down today's hours."))
    ]


# ---- pure scheduling --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "before", "after"),
    [
        # Madrid: clocks go forward on 29 March 2026; 20:00 local is 19:00 UTC, then 18:00.
        (
            MADRID,
            dt.datetime(2026, 3, 28, 19, 0, tzinfo=UTC),
            dt.datetime(2026, 3, 29, 18, 0, tzinfo=UTC),
        ),
        # Santiago: clocks go back on 5 April 2026; 20:00 local is 23:00 UTC, then 00:00.
        (
            SANTIAGO,
            dt.datetime(2026, 4, 4, 23, 0, tzinfo=UTC),
            dt.datetime(2026, 4, 6, 0, 0, tzinfo=UTC),
        ),
    ],
)
def test_daily_time_stays_local_across_dst(
    tz: ZoneInfo, before: dt.datetime, after: dt.datetime
) -> None:
    schedule = Schedule("daily", dt.time(20))
    first = next_occurrence(schedule, tz, before - dt.timedelta(minutes=1))
    assert first == before
    assert next_occurrence(schedule, tz, first) == after
    assert after.astimezone(tz).time() == dt.time(20)


def test_a_time_skipped_by_dst_fires_once_an_hour_late() -> None:
    schedule = Schedule("daily", dt.time(2, 30))  # does not exist in Madrid on 29 March 2026
    moment = next_occurrence(schedule, MADRID, dt.datetime(2026, 3, 28, 12, tzinfo=UTC))
    assert moment == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time
    following = next_occurrence(schedule, MADRID, moment)
    assert following == dt.datetime(2026, 3, 30, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),  # 31 -> last day of February
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        (dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # leap year
    ],
)
def test_monthly_day_31_moves_to_the_end_of_short_months(after: dt.date, expected: dt.date) -> None:
    schedule = Schedule("monthly", dt.time(9), month_day=31)
    start = dt.datetime.combine(after, dt.time(12), MEXICO)
    assert next_occurrence(schedule, MEXICO, start).astimezone(MEXICO).date() == expected


@pytest.mark.parametrize(
    ("text", "locale", "local", "note"),
    [
        ("remind me tomorrow at 9 to call the union", "en", "2026-03-11 09:00", "call the union"),
        ("recuérdame el viernes a las 18", "es", "2026-03-13 18:00", ""),
        (
            "recuérdame mañana a las 9 llamar al sindicato",
            "es",
            "2026-03-11 09:00",
            "llamar al sindicato",
        ),
        (
            "rappelle-moi demain à 9h appeler le syndicat",
            "fr",
            "2026-03-11 09:00",
            "appeler le syndicat",
        ),
        ("recuérdame a las 8pm tomar la pastilla", "es", "2026-03-10 20:00", "tomar la pastilla"),
    ],
)
def test_one_off_reminders_typed_naturally(text: str, locale: str, local: str, note: str) -> None:
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Mexico City
    parsed = parse_one_off(text, now, MEXICO, locale)
    assert parsed is not None
    assert parsed.when.astimezone(MEXICO).strftime("%Y-%m-%d %H:%M") == local
    assert parsed.note == note


def test_not_a_reminder_and_bad_ones() -> None:
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert parse_one_off("¿cuántas horas puedo trabajar?", now, MEXICO, "es") is None
    with pytest.raises(ValueError, match="no_time"):
        parse_one_off("recuérdame llamar al sindicato", now, MEXICO, "es")


# ---- through the bot ----------------------------------------------------------------------


async def test_due_reminder_is_sent_once_even_across_a_restart(harness: Harness) -> None:
    await harness.onboard(user_id=801)  # Mexico City; test clock: 09:00 local
    await daily_reminder(harness, 801)
    harness.clock.advance(hours=11, seconds=5)  # 20:00:05 local
    await due_work(services(harness))
    await harness.restart()  # crash after queueing, before sending
    await due_work(services(harness))  # the same occurrence again: a no-op
    await harness.deliver()
    assert len(reminders_sent(harness, 801)) == 1


async def test_reminder_due_while_the_bot_was_stopped(harness: Harness) -> None:
    await harness.onboard(user_id=802)
    await daily_reminder(harness, 802)
    from tests.conftest import start_app, stop_app

    await stop_app(harness.app)  # the bot is down at 20:00…
    harness.clock.advance(hours=13)  # …and back at 22:00 local: inside the 3 h grace window
    harness.app = await start_app(harness.settings, harness.api, harness.clock)
    for chat in harness._chats.values():
        chat.app = harness.app
    await due_work(services(harness))
    await harness.deliver()
    # Quiet hours (21-07) defer it to 07:00: not lost, not yet sent.
    assert reminders_sent(harness, 802) == []
    harness.clock.advance(hours=9)  # 07:00 next day
    await harness.deliver()
    assert len(reminders_sent(harness, 802)) == 1
    log = await harness.db.fetchall("SELECT outcome FROM reminder_log WHERE user_id = 802")
    assert [r[0] for r in log] == ["sent"]


async def test_reminder_found_too_late_is_dropped_and_recorded(harness: Harness) -> None:
    await harness.onboard(user_id=803)
    await daily_reminder(harness, 803, "1800")
    harness.clock.advance(hours=9 + 3, minutes=30)  # 21:30 local: 3.5 h after 18:00
    await due_work(services(harness))
    harness.clock.advance(hours=10)
    await harness.deliver()
    assert reminders_sent(harness, 803) == []
    log = await harness.db.fetchall("SELECT outcome FROM reminder_log WHERE user_id = 803")
    assert [r[0] for r in log] == ["dropped"]
    next_at = await harness.db.fetchval("SELECT next_at FROM reminders WHERE user_id = 803")
    assert next_at == "2026-03-12T00:00:00+00:00"  # tomorrow 18:00 in Mexico City


async def test_quiet_hours_off_sends_at_night(harness: Harness) -> None:
    await harness.onboard(user_id=804)
    chat = harness.chat(804)
    await chat.say("⏰ " + tr("es", "Reminders"))
    await chat.press(callbacks.encode("rem", "quiet", 0))
    await chat.press(callbacks.encode("rem", "other", "log_hours"))
    await chat.say("22:30")
    harness.clock.advance(hours=13, minutes=30, seconds=1)  # 22:30 local
    await due_work(services(harness))
    await harness.deliver()
    assert len(reminders_sent(harness, 804)) == 1


async def test_cancelling_while_due_sends_nothing(harness: Harness) -> None:
    await harness.onboard(user_id=805)
    await daily_reminder(harness, 805, "2000")
    harness.clock.advance(hours=12)  # 21:00: due, queued for 07:00 because of quiet hours
    await due_work(services(harness))
    reminder_id = await harness.db.fetchval("SELECT id FROM reminders WHERE user_id = 805")
    await harness.chat(805).press(callbacks.encode("rem", "del", reminder_id))
    harness.clock.advance(hours=11)
    await harness.deliver()
    assert reminders_sent(harness, 805) == []


async def test_one_off_list_pause_change_in_english(harness: Harness) -> None:
    await harness.onboard(user_id=806, locale="en", language_code="en")
    chat = harness.chat(806, "en")
    replies = await chat.say("remind me tomorrow at 9 to call the union")
    assert replies[-1].text.startswith(tr("en", "✅ Reminder saved: {what}").split("{")[0])
    assert "call the union" in replies[-1].text
    replies = await chat.say("⏰ " + tr("en", "Reminders"))
    assert "call the union" in replies[-1].text
    reminder_id = await harness.db.fetchval("SELECT id FROM reminders WHERE user_id = 806")
    await chat.press(callbacks.encode("rem", "pause", reminder_id))
    assert await harness.db.fetchval("SELECT paused FROM reminders WHERE id = ?", (reminder_id,))
    await chat.press(callbacks.encode("rem", "resume", reminder_id))
    await chat.press(callbacks.encode("rem", "time", reminder_id))
    replies = await chat.say("10:15")
    assert replies[-1].text == tr("en", "✅ Time changed.")
    replies = await chat.say("remind me to call")
    assert replies[-1].text == tr(
        "en", "Tell me the time too, for example: remind me tomorrow at 9 to call the union"
    )


async def test_log_usual_hours_from_the_reminder(harness: Harness) -> None:
    await harness.onboard(user_id=807)
    chat = harness.chat(807)
    await chat.say("/hours")
    await chat.say("Casa")
    await chat.press(callbacks.encode("h", "unit", "hour"))
    await chat.say("50")
    await chat.press(callbacks.encode("h", "livein", 0))
    await chat.press(callbacks.encode("h", "date", "n", "20260301"))
    await chat.say("ayer de 8 a 14")  # the first shift with times becomes the usual schedule
    replies = await chat.press(callbacks.encode("rem", "usual"))
    assert "6 h" in replies[-1].text
    rows = await harness.db.fetchall("SELECT day, source FROM work_entries ORDER BY id")
    assert [tuple(r) for r in rows][-1] == ("2026-03-10", "reminder")


async def test_payday_on_day_31_and_timezone_change(harness: Harness) -> None:
    await harness.onboard(user_id=808)
    chat = harness.chat(808)
    await chat.press(callbacks.encode("rem", "monthly", "payday"))
    await chat.say("31")
    next_at = await harness.db.fetchval("SELECT next_at FROM reminders WHERE user_id = 808")
    assert next_at == "2026-03-31T15:00:00+00:00"  # 09:00 in Mexico City
    replies = await chat.say("/timezone Mars/Olympus")
    assert replies[-1].text == tr(
        "es", "I don't know that time zone. Write it like this: Europe/Madrid"
    )
    await chat.say("/timezone Asia/Hong_Kong")
    assert await harness.db.fetchval("SELECT timezone FROM users WHERE user_id = 808") == (
        "Asia/Hong_Kong"
    )
