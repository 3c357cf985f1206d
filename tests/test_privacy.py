"""A worker can take all her data away, or erase every row about her."""

from __future__ import annotations

import json

from bot import callbacks, i18n
from bot.i18n import _
from tests.conftest import Harness


async def rows_about(harness: Harness, user_id: int) -> dict[str, int]:
    counts = {}
    for table in await harness.db.tables_with_column("user_id"):
        counts[table] = await harness.db.fetchval(
            f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,)
        )
    return counts


async def test_mydata_sends_every_stored_row(harness: Harness) -> None:
    await harness.onboard(user_id=11)
    replies = await harness.say("/mydata", user_id=11)
    name, content = replies[-1].files["document"]
    assert name == "my-data.json"
    data = json.loads(content)
    assert data["user_id"] == 11
    assert data["tables"]["users"][0]["country"] == "MX"
    assert data["tables"]["consents"][0]["kind"] == "records"
    assert "first_name" not in json.dumps(data)  # names are never stored


async def test_delete_erases_every_row_and_says_so(harness: Harness) -> None:
    await harness.onboard(user_id=12)
    await harness.onboard(user_id=13)  # another worker, who must keep her data
    chat = harness.chat(12)
    replies = await chat.say("/delete")
    assert [d for _l, d in replies[-1].buttons] == [
        callbacks.encode("erase", "yes"),
        callbacks.encode("erase", "no"),
    ]
    replies = await chat.press(callbacks.encode("erase", "yes"))
    with i18n.using("es"):
        assert [r.text for r in replies[-2:]] == [
            _("All your data has been deleted. Goodbye!"),
            _("If you come back, tap Start."),
        ]
    assert set((await rows_about(harness, 12)).values()) == {0}
    # The next step is a tap: Start begins again, with nothing of the old data.
    replies = await chat.press(callbacks.encode("begin"))
    assert replies[-1].buttons[0][1] == callbacks.encode("lang", "es", "o")
    assert (await rows_about(harness, 13))["users"] == 1


async def test_delete_cancelled_keeps_everything(harness: Harness) -> None:
    await harness.onboard(user_id=14)
    chat = harness.chat(14)
    await chat.say("/delete")
    await chat.press(callbacks.encode("erase", "no"))
    assert (await rows_about(harness, 14))["users"] == 1


async def test_old_button_after_delete_gets_polite_answer(harness: Harness) -> None:
    await harness.onboard(user_id=15)
    chat = harness.chat(15)
    await chat.say("/privacy")
    old_privacy_message = chat.keyboard
    await chat.say("/delete")
    await chat.press(callbacks.encode("erase", "yes"))
    replies = await chat.press(
        callbacks.encode("consent", "records", 0, "s"), old_privacy_message.message_id
    )
    with i18n.using("es"):
        assert replies[-1].text == _(
            "I don't have your details any more. Tap Start to begin again."
        )
    assert replies[-1].buttons == [(_("▶️ Start"), callbacks.encode("begin"))]
    assert (await rows_about(harness, 15))["users"] == 0


async def test_statistics_consent_is_off_by_default_and_revocable(harness: Harness) -> None:
    await harness.onboard(user_id=16)
    chat = harness.chat(16)
    await chat.say("/privacy")
    await chat.press(callbacks.encode("consent", "statistics", 1, "s"))
    assert (
        await harness.db.fetchval(
            "SELECT granted FROM consents WHERE user_id = 16 AND kind = 'statistics'"
        )
        == 1
    )
    await chat.press(callbacks.encode("consent", "statistics", 0, "s"))
    assert (
        await harness.db.fetchval(
            "SELECT granted FROM consents WHERE user_id = 16 AND kind = 'statistics'"
        )
        == 0
    )
