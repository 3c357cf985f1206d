"""Ask a person: a worker's help request reaches her union's helpers and their answer
reaches her, by buttons, voice notes and files, without the helper learning who she is."""

from __future__ import annotations

import json

from bot import callbacks, i18n
from bot.channels.offline_api import Sent
from bot.domain.users import Role
from bot.i18n import _
from tests.conftest import ADMIN_ID, Harness

WORKER, HELPER, OTHER_HELPER, ORGANISER = 501, 601, 602, 701
VOICE = b"OggS\x00\x02" + b"\x01" * 2000  # kept as received: never transcoded


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


def press_label(reply: Sent, label: str) -> str:
    for text, data in reply.buttons:
        if text == label and data:
            return data
    raise AssertionError(f"no button {label!r} in {[t for t, _d in reply.buttons]}")


def data_starting(reply: Sent, prefix: str) -> str:
    for _label, data in reply.buttons:
        if data and data.startswith(prefix):
            return data
    raise AssertionError(f"no button {prefix!r} in {reply.buttons}")


async def make_helper(harness: Harness, user_id: int, locale: str = "es") -> None:
    await harness.onboard(user_id=user_id, locale=locale, language_code=locale, country="ES")
    services = harness.app.bot_data.services  # type: ignore[union-attr]
    await services.roles.grant(user_id, Role.HELPER, by=ADMIN_ID)


def to(harness: Harness, user_id: int) -> list[Sent]:
    return [s for s in harness.api.sent if s.chat_id == user_id]


def assert_anonymous(messages: list[Sent], worker_id: int) -> None:
    """Nothing sent to a helper carries the worker's Telegram id or her Telegram name."""
    for sent in messages:
        blob = json.dumps(
            {"text": sent.text, "markup": sent.reply_markup, "params": sent.params},
            ensure_ascii=False,
        )
        assert str(worker_id) not in blob.replace(f'"chat_id": {sent.chat_id}', ""), blob
        assert "Worker" not in sent.text  # the Telegram first name the fake gives her


async def voice_to_a_helper(harness: Harness, locale: str = "es") -> int:
    """She sends a voice note with no flow waiting; she is offered a helper and sends it."""
    chat = harness.chat(WORKER, locale)
    replies = await chat.send_update(
        harness.api.media_update(WORKER, "voice", VOICE, locale, duration=42, mime_type="audio/ogg")
    )
    offer = replies[-1]
    assert (
        tr(locale, "Send {what} to a helper at your union?").format(
            what=tr(locale, "your voice note")
        )
        in offer.text
    )
    assert tr(locale, "I can only read text messages and buttons here.")[:20] not in offer.text
    replies = await chat.press(press_label(offer, tr(locale, "✅ Send")), offer.message_id)
    assert replies[-1].text.startswith("✅")
    rows = await harness.db.fetchall("SELECT id FROM cases WHERE user_id = ?", (WORKER,))
    assert len(rows) == 1
    return int(rows[0][0])


async def test_a_voice_note_reaches_a_helper_and_her_answer_comes_back(
    harness: Harness,
) -> None:
    await make_helper(harness, HELPER)
    await harness.onboard(user_id=WORKER, country="ES")
    case_id = await voice_to_a_helper(harness)
    # Kept as received, under a name the bot made, in the case folder.
    stored = list((harness.settings.data_dir / "cases" / str(case_id)).iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == VOICE
    assert stored[0].suffix == ".ogg" and stored[0].name.startswith("voice-")
    # The helper on duty is told, through the outbox.
    await harness.deliver()
    notice = to(harness, HELPER)[-1]
    assert (
        tr("es", "🙋 New help request #{number}. Send /cases to see it.").format(number=case_id)
        == notice.text
    )
    helper = harness.chat(HELPER)
    home = (await helper.say("/cases"))[-1]
    queue = (await helper.press(press_label(home, tr("es", "🆕 New ({count})").format(count=1))))[
        -1
    ]
    card = (await helper.press(data_starting(queue, callbacks.encode("case", "view"))))[-1]
    assert tr("es", "📂 <b>Help request #{number}</b>").format(number=case_id) in card.text
    assert "Español" in card.text and "ES" in card.text
    assert tr("es", "🎤 Voice note ({seconds} s)").format(seconds=42) in card.text
    card = (await helper.press(press_label(card, tr("es", "🙋 Take this case"))))[-1]
    files = await helper.press(press_label(card, tr("es", "▶️ Play and open her files")))
    assert files[-1].method == "sendVoice"
    # Her answer: a voice note of the helper's own, delivered as a message from the bot.
    await helper.press(press_label(card, tr("es", "✍️ Answer her")))
    await helper.send_update(
        harness.api.media_update(HELPER, "voice", b"OggS-answer", "es", duration=5)
    )
    await harness.deliver()
    answer = to(harness, WORKER)[-1]
    assert answer.method == "sendVoice"
    assert (
        tr("es", "💬 Answer from your union's helper (help request #{number}):").format(
            number=case_id
        )
        in answer.text
    )
    status = await harness.db.fetchval("SELECT status FROM cases WHERE id = ?", (case_id,))
    assert status == "waiting"
    assert_anonymous(to(harness, HELPER), WORKER)
    # Every helper action is in the audit log.
    actions = [
        r[0]
        for r in await harness.db.fetchall(
            "SELECT action FROM audit_log WHERE user_id = ? ORDER BY id", (HELPER,)
        )
    ]
    assert {"case_view", "case_take", "case_answer"} <= set(actions)


async def test_a_text_request_in_arabic_with_her_summary_and_a_text_answer(
    harness: Harness,
) -> None:
    await make_helper(harness, HELPER)
    await harness.onboard(user_id=WORKER, locale="ar", language_code="ar", country="ES")
    chat = harness.chat(WORKER, "ar")
    intro = (await chat.say("/ask"))[-1]
    from bot.handlers.cases import privacy_lines

    with i18n.using("ar"):
        assert privacy_lines(90) in intro.text  # who sees it, what, and for how long
    await chat.press(press_label(intro, tr("ar", "✍️ Write or record")))
    confirm = (await chat.say("لم تدفع لي المشغلة أجري هذا الشهر، ماذا أفعل؟"))[-1]
    await chat.press(press_label(confirm, tr("ar", "✅ Send")), confirm.message_id)
    again = await chat.press(press_label(confirm, tr("ar", "✅ Send")), confirm.message_id)
    assert tr("ar", "✅ Already saved.") in again[-1].text  # a double tap sends nothing more
    assert await harness.db.fetchval("SELECT COUNT(*) FROM case_messages") == 1
    case_id = int(await harness.db.fetchval("SELECT id FROM cases"))
    helper = harness.chat(HELPER)
    card = (await helper.press(callbacks.encode("case", "view", case_id)))[-1]
    assert "لم تدفع لي المشغلة" in card.text and "العربية" in card.text
    await helper.press(callbacks.encode("case", "take", case_id))
    await helper.press(callbacks.encode("case", "ans", case_id))
    await helper.say("Hola, <b>te ayudamos</b>. Ven el martes al sindicato.")
    await harness.deliver()
    answer = to(harness, WORKER)[-1]
    assert "&lt;b&gt;te ayudamos&lt;/b&gt;" in answer.text  # her text is escaped, never markup
    assert_anonymous(to(harness, HELPER), WORKER)


async def test_roles_and_ownership_are_checked_on_every_button(harness: Harness) -> None:
    await make_helper(harness, HELPER)
    await make_helper(harness, OTHER_HELPER)
    await harness.onboard(user_id=ORGANISER, country="ES")
    services = harness.app.bot_data.services  # type: ignore[union-attr]
    await services.roles.grant(ORGANISER, Role.ORGANISER, by=ADMIN_ID)
    await harness.onboard(user_id=WORKER, country="ES")
    case_id = await voice_to_a_helper(harness)
    refused = tr("es", "Sorry, this is only for your union's helpers.")
    for outsider in (WORKER, ORGANISER):
        for data in (
            callbacks.encode("case", "view", case_id),
            callbacks.encode("case", "take", case_id),
            callbacks.encode("case", "files", case_id),
        ):
            replies = await harness.chat(outsider).press(data)
            assert replies[-1].text == refused, (outsider, data)
        assert (await harness.say("/cases", user_id=outsider))[-1].text == refused
    await harness.chat(HELPER).press(callbacks.encode("case", "take", case_id))
    other = harness.chat(OTHER_HELPER)
    replies = await other.press(callbacks.encode("case", "take", case_id))
    assert replies[-1].text == tr("es", "Another helper has taken this case.")
    replies = await other.press(callbacks.encode("case", "ans", case_id))
    assert replies[-1].text.startswith(tr("es", "This case is not yours.")[:15])
    # Forged: a case that does not exist, a queue that does not exist, a number that is not.
    replies = await other.press(callbacks.encode("case", "view", 9999))
    assert replies[-1].text == tr("es", "That case does not exist any more.")
    for forged in ("v1:case:q:all", "v1:case:view:abc", "v1:ask:view:-1"):
        replies = await other.press(forged)
        assert "Traceback" not in replies[-1].text and replies[-1].text
    # Another worker cannot open her case.
    await harness.onboard(user_id=502, country="ES")
    replies = await harness.chat(502).press(callbacks.encode("ask", "view", case_id))
    assert replies[-1].text == tr("es", "That case does not exist any more.")


async def test_she_deletes_her_case_and_its_files_go_too(harness: Harness) -> None:
    await make_helper(harness, HELPER)
    await harness.onboard(user_id=WORKER, country="ES")
    case_id = await voice_to_a_helper(harness)
    folder = harness.settings.data_dir / "cases" / str(case_id)
    assert folder.is_dir()
    exported = await harness.app.bot_data.services.users.export(WORKER)  # type: ignore[union-attr]
    assert b'"cases"' in exported and b'"case_messages"' in exported
    chat = harness.chat(WORKER)
    view = (await chat.press(callbacks.encode("ask", "view", case_id)))[-1]
    confirm = (await chat.press(press_label(view, tr("es", "🗑 Delete it all"))))[-1]
    done = await chat.press(press_label(confirm, tr("es", "🗑 Yes, delete it")))
    assert done[-1].text == tr("es", "🗑 Deleted. Nothing of it is kept.")
    assert not folder.exists()
    assert await harness.db.fetchval("SELECT COUNT(*) FROM case_messages") == 0
    replies = await harness.chat(HELPER).press(callbacks.encode("case", "view", case_id))
    assert replies[-1].text == tr("es", "That case does not exist any more.")


async def test_delete_all_my_data_removes_case_files(harness: Harness) -> None:
    await harness.onboard(user_id=WORKER, country="ES")
    case_id = await voice_to_a_helper(harness)
    folder = harness.settings.data_dir / "cases" / str(case_id)
    chat = harness.chat(WORKER)
    await chat.say("/delete")
    await chat.press(callbacks.encode("erase", "yes"))
    assert not folder.exists()
    assert await harness.db.fetchval("SELECT COUNT(*) FROM cases") == 0


async def test_closed_cases_are_purged_after_the_retention_period(harness: Harness) -> None:
    await make_helper(harness, HELPER)
    await harness.onboard(user_id=WORKER, country="ES")
    case_id = await voice_to_a_helper(harness)
    chat = harness.chat(WORKER)
    view = (await chat.press(callbacks.encode("ask", "view", case_id)))[-1]
    closed = (await chat.press(press_label(view, tr("es", "✅ Close: I have my answer"))))[-1]
    assert tr("es", "🔁 Open it again") in [label for label, _d in closed.buttons]
    services = harness.app.bot_data.services  # type: ignore[union-attr]
    harness.clock.advance(days=89)
    assert await services.cases.purge() == 0
    harness.clock.advance(days=2)
    assert await services.cases.purge() == 1
    assert not (harness.settings.data_dir / "cases" / str(case_id)).exists()


async def test_too_long_a_voice_note_is_refused_before_download(harness: Harness) -> None:
    await harness.onboard(user_id=WORKER, country="ES")
    chat = harness.chat(WORKER)
    replies = await chat.send_update(
        harness.api.media_update(WORKER, "voice", VOICE, "es", duration=3600)
    )
    assert replies[-1].text == tr(
        "es", "That voice note is longer than 10 minutes. Please send a shorter one."
    )
    assert not any(method == "getFile" for method, _p in harness.api.calls)
    assert await harness.db.fetchval("SELECT COUNT(*) FROM cases") == 0


async def test_the_daily_summary_tells_helpers_on_duty_only(harness: Harness) -> None:
    await make_helper(harness, HELPER)
    await make_helper(harness, OTHER_HELPER)
    await harness.chat(OTHER_HELPER).press(callbacks.encode("case", "duty", 0))
    await harness.onboard(user_id=WORKER, country="ES")
    await voice_to_a_helper(harness)
    services = harness.app.bot_data.services  # type: ignore[union-attr]
    assert await services.cases.daily_summary() == 1
    assert await services.cases.daily_summary() == 1  # queued once a day (dedupe key)
    await harness.deliver()
    summaries = [s for s in harness.api.sent if s.text.startswith("📋") and "/cases" in s.text]
    assert [s.chat_id for s in summaries] == [HELPER]


async def test_the_helper_role_is_given_by_an_admins_invite_code(harness: Harness) -> None:
    await harness.onboard(user_id=ADMIN_ID)
    replies = await harness.say("/invite helper", user_id=ADMIN_ID)
    code = replies[-1].text.split("<code>")[1].split("</code>")[0]
    await harness.onboard(user_id=HELPER, country="ES")
    before = await harness.say("/cases", user_id=HELPER)
    assert before[-1].text == tr("es", "Sorry, this is only for your union's helpers.")
    await harness.say(f"/join {code}", user_id=HELPER)
    services = harness.app.bot_data.services  # type: ignore[union-attr]
    assert Role.HELPER in await services.users.roles(HELPER)
    home = (await harness.say("/cases", user_id=HELPER))[-1]
    assert home.text.startswith(tr("es", "📋 <b>Help requests</b>"))
    helps = (await harness.say("/help", user_id=HELPER))[-1]
    assert "/cases" in helps.text
    assert "/cases" not in (await harness.say("/help", user_id=WORKER))[-1].text


async def test_a_helpers_cancel_or_another_case_ends_the_answer(harness: Harness) -> None:
    await make_helper(harness, HELPER)
    await harness.onboard(user_id=WORKER, country="ES")
    first = await voice_to_a_helper(harness)
    helper = harness.chat(HELPER)
    await helper.press(callbacks.encode("case", "take", first))
    prompt = (await helper.press(callbacks.encode("case", "ans", first)))[-1]
    await helper.press(press_label(prompt, tr("es", "✖️ Cancel")), prompt.message_id)
    await helper.say("esto no es una respuesta")
    assert (
        await harness.db.fetchval("SELECT COUNT(*) FROM case_messages WHERE author = 'helper'") == 0
    )


async def test_a_voice_note_in_the_middle_of_a_task_is_told_what_the_task_waits_for(
    harness: Harness,
) -> None:
    await harness.onboard(user_id=WORKER, country="ES")
    chat = harness.chat(WORKER)
    await chat.say("/hours")  # adding a household: it waits for its name
    flow_before = await harness.db.fetchval(
        "SELECT flow FROM conversation_state WHERE user_id = ?", (WORKER,)
    )
    replies = await chat.send_update(harness.api.media_update(WORKER, "voice", VOICE, "es"))
    assert replies[-1].text == tr(
        "es", "Please tap one of the buttons above, or send /cancel to stop."
    )
    flow_after = await harness.db.fetchval(
        "SELECT flow FROM conversation_state WHERE user_id = ?", (WORKER,)
    )
    assert flow_before == flow_after and flow_before is not None  # the task goes on
    assert await harness.db.fetchval("SELECT COUNT(*) FROM cases") == 0
