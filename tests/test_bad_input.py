"""Untrusted input always gets a clear answer in the user's language; nothing crashes."""

from __future__ import annotations

import logging

import pytest

from bot import i18n
from bot.domain.text import split_message
from bot.handlers.menu import main_menu_markup
from bot.i18n import _
from tests.conftest import Harness
from tests.test_hours import add_household


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


@pytest.fixture(autouse=True)
def no_errors_logged(caplog: pytest.LogCaptureFixture):
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], "a handler crashed"


async def test_unknown_command(harness: Harness) -> None:
    await harness.onboard(user_id=21)
    replies = await harness.say("/frobnicate now", user_id=21)
    assert replies[-1].text == tr(
        "es", "I don't know that command. Send /help to see what I can do."
    )


async def test_a_sticker_is_answered(harness: Harness) -> None:
    await harness.onboard(user_id=22)
    chat = harness.chat(22)
    replies = await chat.send_update(harness.api.media_update(22, "sticker", b"x", "es"))
    assert replies[-1].text == tr(
        "es",
        "I can't use this kind of message. You can write, send a voice note, a photo or a "
        "document, or tap a button.",
    )


@pytest.mark.parametrize(
    ("kind", "what"),
    [("photo", "your photo"), ("voice", "your voice note"), ("document", "your document")],
)
async def test_a_voice_note_photo_or_document_is_offered_to_a_helper(
    harness: Harness, kind: str, what: str
) -> None:
    """Never "only text": what she sends can go to a person at her union."""
    await harness.onboard(user_id=22)
    chat = harness.chat(22)
    replies = await chat.send_update(harness.api.media_update(22, kind, b"x", "es"))
    assert (
        tr("es", "Send {what} to a helper at your union?").format(what=tr("es", what))
        in replies[-1].text
    )


async def test_edited_message_is_answered(harness: Harness) -> None:
    await harness.onboard(user_id=23)
    chat = harness.chat(23)
    replies = await chat.send_update(harness.api.edited_update(23, "8h", "es"))
    assert replies[-1].text == tr(
        "es", "I only read new messages, not edits. Please send it again as a new message."
    )


@pytest.mark.parametrize(
    "data",
    [
        "garbage",
        "v0:lang:es:o",  # an older codec version
        "v1:lang:xx:o",  # a language that does not exist
        "v1:lang:es:zz",  # an unknown flow
        "v1:lang",  # missing arguments
        "v1:country:XX:o",
        "v1:consent:records:7:o",
        "v1:erase:maybe",
        "v1:settings:root",
        "v1:nothing:at:all",
        "v1:lang:es:o:" + "x" * 60,  # oversized
    ],
)
async def test_forged_or_stale_buttons(harness: Harness, data: str) -> None:
    await harness.onboard(user_id=24)
    chat = harness.chat(24)
    replies = await chat.press(data)
    assert replies, "a forged button must get an answer"
    assert replies[-1].text in {
        tr("es", "That button is old. Here is the menu again."),
        tr("es", "That language is not available yet."),
        tr("es", "Please choose a country from the buttons."),
    }
    row = await harness.db.fetchone("SELECT locale, country FROM users WHERE user_id = 24")
    assert tuple(row) == ("es", "MX")  # nothing stored was changed


async def test_very_long_text(harness: Harness) -> None:
    await harness.onboard(user_id=25)
    replies = await harness.say("a " * 2500, user_id=25)
    assert replies[-1].text == tr(
        "es", "That message is very long. Please send a short message or question."
    )


@pytest.mark.parametrize("text", ["😀😀😀", "🙏", "...", "   ."])
async def test_emoji_only_or_punctuation(harness: Harness, text: str) -> None:
    await harness.onboard(user_id=26)
    replies = await harness.say(text, user_id=26)
    assert replies[-1].text == tr(
        "es", "Tap a button below, or write a question in words. Send /help for help."
    )


async def test_first_contact_with_random_text_still_answers(harness: Harness) -> None:
    replies = await harness.say("hola??", user_id=27, language_code="ar")
    assert replies[-1].text == tr("ar", "👋 Hello! Tap Start to begin.")
    assert await harness.db.fetchval("SELECT COUNT(*) FROM users") == 0  # nothing stored


async def test_group_chats_are_ignored(harness: Harness) -> None:
    update = harness.api.text_update(28, "/start", "es")
    update["message"]["chat"] = {"id": -500, "type": "group", "title": "union"}
    replies = await harness.chat(28).send_update(update)
    assert replies == [] and harness.api.sent_to(-500) == []


async def test_long_replies_are_split_not_rejected(harness: Harness) -> None:
    from telegram import Update

    from bot.handlers.common import send

    long_text = "\n\n".join(f"Párrafo {n}: " + "palabra " * 60 for n in range(40))
    update = Update.de_json(harness.api.text_update(29, "x", "es"), harness.app.bot)
    context = harness.app.context_types.context.from_update(update, harness.app)
    before = len(harness.api.sent)
    await send(update, context, long_text, main_menu_markup())
    parts = harness.api.sent[before:]
    assert len(parts) > 1 and all(len(p.text) <= 4096 for p in parts)
    assert " ".join(p.text for p in parts).split() == long_text.split()  # nothing lost
    assert parts[-1].reply_markup is not None and parts[0].reply_markup is None


def test_split_message_never_exceeds_limit() -> None:
    text = "x" * 10_000
    assert [len(p) for p in split_message(text, 4096)] == [4096, 4096, 1808]


async def test_handler_crash_gets_apology_and_no_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.handlers import fallback

    await harness.onboard(user_id=30)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret text the user typed")

    monkeypatch.setattr(fallback, "send", broken)
    replies = await harness.say("zzzz qqqq", user_id=30)
    assert replies[-1].text == tr(
        "es", "Sorry, something went wrong on my side. Your data is safe. Please try again."
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "hola" not in logged and "secret text" not in caplog.text.split("Traceback")[0]
    caplog.clear()  # the crash was logged on purpose


async def test_a_bot_api_400_is_an_error_and_she_still_gets_an_answer(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """L1: python-telegram-bot's BadRequest subclasses NetworkError; a 400 must not be logged
    as a network warning and leave the user with nothing."""
    await harness.onboard(user_id=880)
    calls = {"n": 0}

    def refuse_first_send(method: str, params: dict) -> tuple[int, dict] | None:
        if method == "sendMessage" and calls["n"] == 0:
            calls["n"] += 1
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: test"}
        return None

    harness.api.fault = refuse_first_send
    with caplog.at_level(logging.WARNING):
        replies = await harness.say("/help", user_id=880)
    harness.api.fault = None
    assert [r.text for r in replies] == [
        tr("es", "Sorry, something went wrong on my side. Your data is safe. Please try again.")
    ]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any("Bot API refused a request" in r.getMessage() for r in errors)
    assert not any("network error" in r.getMessage() for r in caplog.records)


async def test_a_huge_reminder_is_refused_quickly(harness: Harness) -> None:
    """M3: "remind me" + "9pm " x 997 used to cost 4.4 s of dateparser on the event loop."""
    await harness.onboard(user_id=881)
    replies = await harness.say("remind me " + "9pm " * 997, user_id=881)
    assert replies[-1].text == tr(
        "es", "That reminder is too long. Please write it in one short sentence."
    )


async def test_a_flood_of_exports_gets_please_wait(harness: Harness) -> None:
    """L5: five exports a minute per worker; the sixth is asked to wait, and nothing breaks."""
    await harness.onboard(user_id=882)
    chat = harness.chat(882)
    await chat.say("/hours")
    await add_household(harness, 882, "Casa", "hour", "10")
    for _attempt in range(5):
        replies = await chat.say("/export")
        assert [r.method for r in replies] == ["sendDocument", "sendDocument"]
    replies = await chat.say("/export")
    assert [r.text for r in replies] == [
        tr("es", "I am still preparing your last file. Please wait a minute and try again.")
    ]
    harness.clock.advance(minutes=1, seconds=1)
    replies = await chat.say("/export")
    assert [r.method for r in replies] == ["sendDocument", "sendDocument"]


async def test_a_button_on_an_inline_message_gets_a_short_no(harness: Harness) -> None:
    """The bot makes no inline messages; such a press (forged or forwarded) has no chat to
    answer in. It used to end in an AssertionError and an apology nobody could receive."""
    await harness.onboard(user_id=27)
    before = len(harness.api.calls)
    update = {
        "update_id": 99_001,
        "callback_query": {
            "id": "q1",
            "from": harness.api.user(27, "es"),
            "chat_instance": "1",
            "inline_message_id": "AAA",
            "data": "v1:handbook",
        },
    }
    await harness.chat(27).send_update(update)
    calls = harness.api.calls[before:]
    assert [method for method, _p in calls] == ["answerCallbackQuery"]
    assert calls[0][1]["text"] == tr("es", "This button no longer works.")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\recibo.pdf", "recibo.pdf"),
        (".bashrc", "bashrc"),
        ("aviso $(rm -rf).pdf", "aviso_rm_-rf_.pdf"),
        ("", "document"),
        ("...", "document"),
        ("ملف الاجتماع.pdf", "ملف_الاجتماع.pdf"),
        ("a" * 200 + ".pdf", "a" * 76 + ".pdf"),
    ],
)
def test_a_file_name_from_outside_is_made_safe(given: str, kept: str) -> None:
    from bot.domain.text import safe_file_name

    assert safe_file_name(given) == kept
