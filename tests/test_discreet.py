"""Discreet mode for a worker whose phone is not private: clear this chat, neutral
notifications that show their text only on Read, neutral file names, and Hide."""

from __future__ import annotations

from typing import Any

from bot import callbacks, i18n
from bot.i18n import _
from bot.storage.organisers import Recipient
from tests.conftest import Harness

WORKER = 801


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


def deleted(harness: Harness, chat_id: int) -> set[int]:
    return {
        int(p["message_id"])
        for method, p in harness.api.calls
        if method == "deleteMessage" and int(p["chat_id"]) == chat_id
    }


async def test_clear_deletes_her_and_the_bots_messages_of_the_last_48_hours(
    harness: Harness,
) -> None:
    await harness.onboard(user_id=WORKER, country="ES")
    old = {s.message_id for s in harness.api.sent if s.chat_id == WORKER}
    harness.clock.advance(hours=49)  # onboarding is now too old to delete
    chat = harness.chat(WORKER)
    replies = await chat.say("¿cuántas horas puedo trabajar?")
    recent = {s.message_id for s in replies} | {replies[0].message_id - 1}  # hers, before
    # One message the Bot API refuses to delete (already gone, say).
    refused = max(recent)

    def fault(method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if method == "deleteMessage" and int(params["message_id"]) == refused:
            return 400, {"ok": False, "error_code": 400, "description": "message can't be deleted"}
        return None

    harness.api.fault = fault
    result = (await chat.say("/clear"))[-1]
    gone = deleted(harness, WORKER)
    assert recent <= gone and not (old & gone)
    # Her message, the bot's answer and her /clear went; one was refused, and she is told.
    with i18n.using("es"):
        cleared = i18n.ngettext(
            "🧹 Chat cleared: {count} message deleted.",
            "🧹 Chat cleared: {count} messages deleted.",
            len(recent),
        )
        refusal = i18n.ngettext(
            "{count} message could not be deleted. To delete it, press and hold it, then "
            "tap Delete, or delete the whole chat from your chat list.",
            "{count} messages could not be deleted. To delete them, press and hold each, "
            "then tap Delete, or delete the whole chat from your chat list.",
            1,
        )
    assert cleared.format(count=len(recent)) in result.text
    assert refusal.format(count=1) in result.text
    # Nothing of what she wrote was stored to do it: only message ids.
    rows = await harness.db.fetchall("SELECT * FROM chat_messages WHERE user_id = ?", (WORKER,))
    assert all(set(dict(r)) == {"user_id", "message_id", "sent_at"} for r in rows)


async def test_neutral_notifications_show_their_text_only_on_read(harness: Harness) -> None:
    await harness.onboard(user_id=WORKER, locale="ar", language_code="ar", country="ES")
    chat = harness.chat(WORKER, "ar")
    settings = (await chat.press(callbacks.encode("settings", "discreet")))[-1]
    await chat.press(settings.buttons[0][1] or "")
    services = harness.app.bot_data.services  # type: ignore[union-attr]
    recipient = Recipient(WORKER, "ar", None, "ES", quiet=False)
    secret = "تذكير: اجتماع النقابة يوم الثلاثاء"
    await services.broadcasts.posting.post(
        [
            services.broadcasts.posting.message(
                recipient, "reminder", "sendMessage", {"chat_id": WORKER, "text": secret}, "t1"
            )
        ]
    )
    await harness.deliver()
    line = [s for s in harness.api.sent if s.chat_id == WORKER][-1]
    assert secret not in line.text
    assert line.text == tr("ar", "🔔 You have a new message. Tap Read to see it.")
    read = await chat.press(line.buttons[0][1] or "", line.message_id)
    assert read[-1].text == secret
    # A Read button of another worker's message shows nothing.
    await harness.onboard(user_id=802, country="ES")
    other = await harness.chat(802).press(line.buttons[0][1] or "")
    assert secret not in other[-1].text
    # Files get neutral names.
    files = (await chat.say("/mydata"))[-1].files
    assert files["document"][0].startswith("document-")


async def test_hide_on_a_rights_page_deletes_the_last_messages(harness: Harness) -> None:
    await harness.onboard(user_id=WORKER, country="ES")
    chat = harness.chat(WORKER)
    page = (await chat.press(callbacks.encode("topic", "harassment", 0)))[-1]
    hide = [d for label, d in page.buttons if label == tr("es", "🙈 Hide")]
    assert hide
    before = len(harness.api.sent)
    await chat.press(hide[0] or "", page.message_id)
    assert page.message_id in deleted(harness, WORKER)
    assert len(harness.api.sent) == before  # no message is left saying it was hidden


async def test_the_privacy_notice_tells_of_discreet_mode(harness: Harness) -> None:
    await harness.onboard(user_id=WORKER, country="ES")
    replies = await harness.say("/privacy", user_id=WORKER)
    assert "/clear" in replies[-1].text
