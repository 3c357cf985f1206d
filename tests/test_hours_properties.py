"""Properties of the record through the real bot: an edit that changes no times changes no
totals, and a second press of the same recording button changes nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import callbacks
from bot.channels.offline_api import OfflineBotAPI
from bot.config import Settings
from tests.conftest import FakeClock, Harness, start_app, stop_app

times = st.tuples(st.integers(5, 12), st.integers(13, 22), st.integers(1, 9))


async def _with_bot(body) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        api, clock = OfflineBotAPI(), FakeClock()
        harness = Harness(await start_app(settings, api, clock), api, settings, clock)
        try:
            await body(harness)
        finally:
            await stop_app(harness.app)


async def _household(harness: Harness, user_id: int, names: tuple[str, ...]) -> None:
    await harness.onboard(user_id=user_id)
    chat = harness.chat(user_id)
    for name in names:
        await chat.say("/hours")
        if name != names[0]:
            await chat.press(callbacks.encode("h", "addemp"))
        await chat.say(name)
        await chat.press(callbacks.encode("h", "unit", "hour"))
        await chat.say("50")
        await chat.press(callbacks.encode("h", "livein", 0))
        await chat.press(callbacks.encode("h", "date", "n", "20260301"))


async def _totals(harness: Harness) -> tuple[object, ...]:
    row = await harness.db.fetchone(
        "SELECT COUNT(*), SUM(worked_minutes), MIN(day) FROM work_entries WHERE deleted_at IS NULL"
    )
    return tuple(row)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(times)
def test_an_edit_with_the_same_times_changes_no_totals(shift: tuple[int, int, int]) -> None:
    start, end, day = shift

    async def body(harness: Harness) -> None:
        await _household(harness, 1, ("Casa",))
        chat = harness.chat(1)
        await chat.say(f"el {day} de marzo de {start} a {end}")
        before = await _totals(harness)
        entry_id = await harness.db.fetchval("SELECT id FROM work_entries")
        await chat.press(callbacks.encode("h", "edit", entry_id))
        await chat.say(f"{start}-{end}")
        assert await _totals(harness) == before

    asyncio.run(_with_bot(body))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(times, st.sampled_from(["emp", "ok"]))
def test_a_second_press_of_a_recording_button_changes_nothing(
    shift: tuple[int, int, int], action: str
) -> None:
    start, end, day = shift

    async def body(harness: Harness) -> None:
        await _household(harness, 2, ("Casa A", "Casa B"))
        chat = harness.chat(2)
        # "ok" confirms an overnight range; "emp" picks the household of a plain entry.
        text = f"el {day} de marzo de {end} a {start}" if action == "ok" else f"{start}-{end}"
        replies = await chat.say(text)
        asking = replies[-1]
        data = asking.buttons[0][1]
        assert data is not None
        # A double tap: both presses reach the bot before either is answered.
        await asyncio.gather(
            chat.press(data, message_id=asking.message_id),
            chat.press(data, message_id=asking.message_id),
        )
        if action == "ok":  # then the household question, tapped twice too
            question = chat.keyboard
            assert question is not None
            household = question.buttons[0][1]
            assert household is not None
            await asyncio.gather(
                chat.press(household, message_id=question.message_id),
                chat.press(household, message_id=question.message_id),
            )
        once = await _totals(harness)
        assert once[0] == 1
        await chat.press(data, message_id=asking.message_id)  # and a third, later
        assert await _totals(harness) == once

    asyncio.run(_with_bot(body))


def test_the_fake_clock_day_is_a_tuesday() -> None:
    # The property tests write March dates: 10 March 2026 (the fake clock) is a Tuesday.
    assert FakeClock().now().date() == dt.date(2026, 3, 10)
