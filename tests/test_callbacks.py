"""The callback codec refuses what it did not make, before any handler sees it."""

from __future__ import annotations

import pytest

from bot import callbacks
from tests.conftest import Harness


@pytest.mark.parametrize("raw", ["--5", "²", "1e3", "", "9" * 20, str(2**63), "٣", "+-1"])
def test_number_arguments_out_of_range_or_not_numbers_are_refused(raw: str) -> None:
    with pytest.raises(callbacks.InvalidCallback):  # from the decoder or from int_arg
        callbacks.decode(f"v1:h:edit:{raw}").int_arg(1)


@pytest.mark.parametrize(("raw", "value"), [("0", 0), ("-7", -7), (str(2**63 - 1), 2**63 - 1)])
def test_number_arguments(raw: str, value: int) -> None:
    assert callbacks.decode(f"v1:h:edit:{raw}").int_arg(1) == value


async def test_forged_numbers_get_the_polite_answer(harness: Harness) -> None:
    await harness.onboard(user_id=896)
    chat = harness.chat(896)
    for data in ("v1:h:edit:--5", f"v1:h:edit:{2**64}", "v1:h:del:work:--1", "v1:rsvp:--5:going"):
        replies = await chat.press(data)
        assert replies, data
        assert "wrong on my side" not in replies[-1].text, data
