"""Fuzzing through the real Application: Hypothesis draws sequences of random but
well-formed updates from seven users (see tests/fuzzing.py for the actions and what must
hold). In CI: 50 sequences of 51 actions, over 2,000 updates. bench/fuzz.py runs 100,000."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.offline_api import OfflineBotAPI
from bot.config import Settings
from tests.conftest import ADMIN_ID, FakeClock, start_app, stop_app
from tests.fuzzing import Fuzzer

SEQUENCES, LENGTH = 50, 48
RUN: dict[str, int] = {"updates": 0}

# The kind of each action, weighted like a busy day (presses most, time passing least).
KINDS = (
    *["press"] * 8,
    *["text"] * 4,
    *["command"] * 4,
    *["menu"] * 2,
    "edit",
    "media",
    "location",
    "group",
    "channel",
    "inline_query",
    "inline_button",
    "blocked",
    "clock",
)
number = st.integers(min_value=0, max_value=10**6)
action = st.builds(
    lambda k, a, b, c, d, e: (KINDS[k % len(KINDS)], a, b, c, d, e),
    number,
    number,
    number,
    number,
    number,
    number,
)
# Each sequence starts with /start and two taps so later presses reach deeper screens.
START = [("command", 0, 0, 0, 0, 0), ("press", 0, 0, 0, 0, 1), ("press", 0, 0, 0, 0, 2)]


async def run(actions: list[tuple[object, ...]]) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        settings_ = Settings(data_dir=Path(tmp) / "data", admin_ids=frozenset({ADMIN_ID}))
        api, clock = OfflineBotAPI(), FakeClock()
        app = await start_app(settings_, api, clock)
        fuzzer = Fuzzer(app, api, clock)
        try:
            for step in actions:
                await fuzzer.apply(step)
            RUN["updates"] += fuzzer.updates
            return fuzzer.problems
        finally:
            fuzzer.close()
            await stop_app(app)


@settings(
    max_examples=SEQUENCES,
    deadline=None,
    derandomize=True,  # the same sequences in every CI run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(action, min_size=LENGTH, max_size=LENGTH))
def test_random_updates_get_answers_and_raise_nothing(actions: list[tuple[object, ...]]) -> None:
    problems = asyncio.run(run(START + actions))
    assert problems == []


def test_the_fuzz_run_was_big_enough() -> None:
    """Runs after the property (file order): at least 2,000 updates went through."""
    assert RUN["updates"] >= 2000
