"""The same bot on WhatsApp: the real Application and handlers behind the WhatsApp bridge,
against a fake Cloud API on 127.0.0.1, with webhooks over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot import callbacks, i18n
from bot.channels.whatsapp.run import WhatsAppChannel
from bot.config import Settings
from bot.i18n import _
from tests.conftest import FakeClock
from tests.fake_whatsapp import FakeCloudAPI, Sent, serving

SECRET, VERIFY = "app-secret-for-tests", "verify-me"
MARIA, AMINA = "5215512345678", "212600000001"


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


class WhatsAppHarness:
    def __init__(self, fake: FakeCloudAPI, channel: WhatsAppChannel) -> None:
        self.fake = fake
        self.channel = channel

    async def say(self, wa_id: str, text: str) -> list[Sent]:
        return await self._send(wa_id, self.fake.text(wa_id, text))

    async def tap(self, wa_id: str, title: str) -> list[Sent]:
        """Tap the button or list row titled `title` of the last message she got with one."""
        for sent in reversed(self.fake.to(wa_id)):
            for label, choice_id in sent.choices:
                if label in (title, "✅ " + title):  # the picker ticks her current choice
                    return await self._send(wa_id, self.fake.press(wa_id, choice_id, sent.id))
        raise AssertionError(f"no choice {title!r} in {[s.choices for s in self.fake.to(wa_id)]}")

    async def _send(self, wa_id: str, payload: dict[str, object]) -> list[Sent]:
        before = len(self.fake.to(wa_id))
        answer = await self.fake.deliver(payload)
        assert answer.status_code == 200
        assert self.channel.inbox is not None
        await self.channel.inbox.drain()
        return self.fake.to(wa_id)[before:]

    async def onboard(self, wa_id: str, language: str, country: str) -> list[Sent]:
        locale = {"Español": "es", "العربية": "ar"}[language]
        if not self.fake.to(wa_id):
            await self.say(wa_id, "hola" if locale == "es" else "السلام عليكم")
        await self.tap(wa_id, tr(locale, "▶️ Start"))
        await self.tap(wa_id, language)
        await self.tap(wa_id, country)
        return await self.tap(wa_id, tr(locale, "Continue ➡️"))


@pytest.fixture
async def wa(tmp_path: Path) -> AsyncIterator[WhatsAppHarness]:
    fake = FakeCloudAPI(app_secret=SECRET)
    async with serving(fake.app()) as fake_port:
        fake.port = fake_port
        settings = Settings(
            data_dir=tmp_path / "data",
            whatsapp_token="test-token",
            whatsapp_phone_id=fake.phone_id,
            whatsapp_app_secret=SECRET,
            whatsapp_verify_token=VERIFY,
            whatsapp_api_base_url=f"http://127.0.0.1:{fake_port}",
        )
        channel = WhatsAppChannel(settings, clock=FakeClock(), start_background=False)
        await channel.start()
        try:
            async with serving(channel.server()) as bot_port:
                fake.bot_url = f"http://127.0.0.1:{bot_port}"
                yield WhatsAppHarness(fake, channel)
        finally:
            await channel.stop()


async def test_the_verification_handshake_and_health(wa: WhatsAppHarness) -> None:
    async with httpx.AsyncClient(base_url=wa.fake.bot_url) as client:
        ok = await client.get(
            "/whatsapp",
            params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "4711"},
        )
        assert (ok.status_code, ok.text) == (200, "4711")
        wrong = await client.get(
            "/whatsapp",
            params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        )
        assert wrong.status_code == 403
        assert (await client.get("/healthz")).json() == {"ok": True}


async def test_a_webhook_with_a_bad_or_no_signature_is_refused_and_does_nothing(
    wa: WhatsAppHarness,
) -> None:
    payload = wa.fake.text(MARIA, "hola")
    assert (await wa.fake.deliver(payload, signature="sha256=" + "0" * 64)).status_code == 403
    assert (await wa.fake.deliver(payload, signature=None)).status_code == 403
    services = wa.channel.app.bot_data.services
    assert services is not None
    assert await services.db.fetchval("SELECT COUNT(*) FROM whatsapp_inbound") == 0
    assert wa.fake.sent == []


async def test_onboarding_in_spanish_then_a_rights_question_and_an_hours_entry(
    wa: WhatsAppHarness,
) -> None:
    menu = await wa.onboard(MARIA, "Español", "🇲🇽 México")
    assert tr("es", "Here is the main menu. Tap a button.") in menu[-1].text
    titles = [title for title, _id in menu[-1].choices]
    assert "📚 " + tr("es", "Rights") in titles and len(titles) == 8  # the menu, as a list
    answer = await wa.say(MARIA, "cuantas horas puedo trabajar al dia")
    assert "8 horas" in answer[-1].text and "*" in answer[-1].text  # bold as WhatsApp's *
    topics = await wa.tap(MARIA, "📚 " + tr("es", "Rights"))
    assert topics[-1].type == "interactive"
    # Every message the bot sent passed the fake's rules (3 buttons of 20, lists of 10 of 24).
    assert all(s.type in ("text", "interactive") for s in wa.fake.to(MARIA))


async def test_onboarding_in_arabic(wa: WhatsAppHarness) -> None:
    await wa.say(AMINA, "السلام عليكم")
    first = wa.fake.to(AMINA)[0]
    assert first.text == tr("ar", "👋 Hello! Tap Start to begin.")  # her language, guessed
    menu = await wa.onboard(AMINA, "العربية", "🇪🇸 " + "إسبانيا")
    assert tr("ar", "Here is the main menu. Tap a button.") in menu[-1].text


async def test_a_webhook_delivered_twice_is_handled_once(wa: WhatsAppHarness) -> None:
    payload = wa.fake.text(MARIA, "hola")
    for _time in range(2):
        assert (await wa.fake.deliver(payload)).status_code == 200
    assert wa.channel.inbox is not None
    await wa.channel.inbox.drain()
    assert len(wa.fake.to(MARIA)) == 1


async def test_delete_erases_her_whatsapp_number_too(wa: WhatsAppHarness) -> None:
    await wa.onboard(MARIA, "Español", "🇲🇽 México")
    services = wa.channel.app.bot_data.services
    assert services is not None
    assert await services.db.fetchval("SELECT COUNT(*) FROM channel_identities") == 1
    await wa.say(MARIA, "/delete")
    await wa.tap(MARIA, tr("es", "🗑 Yes, delete everything"))
    assert await services.db.fetchval("SELECT COUNT(*) FROM channel_identities") == 0
    assert await services.db.fetchval("SELECT COUNT(*) FROM users") == 0


async def test_a_voice_note_reaches_a_helper_from_whatsapp(wa: WhatsAppHarness) -> None:
    await wa.onboard(MARIA, "Español", "🇲🇽 México")
    voice = b"OggS" + b"\x00" * 3000
    offer = await wa._send(MARIA, wa.fake.voice(MARIA, voice))
    assert (
        tr("es", "Send {what} to a helper at your union?").format(what=tr("es", "your voice note"))
        in offer[-1].text
    )
    await wa.tap(MARIA, tr("es", "✅ Send"))
    services = wa.channel.app.bot_data.services
    assert services is not None
    case_id = await services.db.fetchval("SELECT id FROM cases")
    stored = list((services.settings.data_dir / "cases" / str(case_id)).iterdir())
    assert [p.read_bytes() for p in stored] == [voice]  # downloaded from the Cloud API


def test_callback_data_fits_whatsapp_ids() -> None:
    """Every callback the codec makes fits a reply button's id (256) and a list row's (200)."""
    assert callbacks.MAX_BYTES <= 200


async def test_an_episode_is_uploaded_once_and_sent_by_media_id_to_two_users(
    wa: WhatsAppHarness,
) -> None:
    for wa_id in (MARIA, "5215500000002"):
        await wa.onboard(wa_id, "Español", "🇲🇽 México")
        listing = await wa.tap(wa_id, "🎧 " + tr("es", "Listen"))
        first_title = listing[-1].choices[0][0]
        await wa.tap(wa_id, first_title)
    audio = [s for s in wa.fake.sent if s.type == "audio"]
    assert len(audio) == 2
    assert wa.fake.uploads == 1  # the second worker got it by its media id
    assert audio[0].body["audio"]["id"] == audio[1].body["audio"]["id"]


@pytest.mark.parametrize("locale", i18n.AVAILABLE_LOCALES)
def test_every_label_fits_a_whatsapp_list_row(locale: str) -> None:
    """On WhatsApp a screen's buttons become reply buttons (titles of 20 characters) or list
    rows (24). The bot's own labels are written to fit a row in every language, so nothing
    is cut; names from data (countries, topic titles) get the row's description for the
    rest (bot/channels/whatsapp/convert.fit)."""
    from bot.channels.whatsapp.convert import ROW_TITLE
    from tests.test_screens import _library, _names, screens

    names = _names(locale)
    too_long = sorted(
        {
            text
            for _screen, rows in screens(locale, _library())
            for row in rows
            for text, _data in row
            if len(text) > ROW_TITLE and not text.endswith(names)
        }
    )
    assert too_long == []


async def _announce(wa: WhatsAppHarness, user_id: int, key: str, text: str) -> None:
    from bot.storage.organisers import Recipient

    services = wa.channel.app.bot_data.services
    assert services is not None
    posting = services.broadcasts.posting
    await posting.post(
        [
            posting.message(
                Recipient(user_id, "es", None, "MX", quiet=False),
                "announcement",
                "sendMessage",
                {"chat_id": user_id, "text": text},
                key,
            )
        ]
    )
    await services.delivery.drain(limit_seconds=10)


async def _her_id(wa: WhatsAppHarness, wa_id: str) -> int:
    services = wa.channel.app.bot_data.services
    assert services is not None
    return int(
        await services.db.fetchval(
            "SELECT user_id FROM channel_identities WHERE external_id = ?", (wa_id,)
        )
    )


async def _statuses(wa: WhatsAppHarness) -> dict[str, tuple[str, str | None]]:
    services = wa.channel.app.bot_data.services
    assert services is not None
    rows = await services.db.fetchall(
        "SELECT dedupe_key, status, last_error FROM outbox WHERE dedupe_key LIKE 'w%'"
    )
    return {r[0]: (r[1], r[2]) for r in rows}


async def test_outside_her_window_messages_wait_she_gets_one_notice_and_they_go_when_she_taps(
    wa: WhatsAppHarness,
) -> None:
    """24 hours after her last message WhatsApp takes no free-form message. The bot does not
    try: each message waits ('held'), one registered template tells her something waits (it
    says nothing of what), and when she taps its button everything waiting goes out."""
    wa.fake.templates = {"dwbot_notice": {"es"}}
    await wa.onboard(MARIA, "Español", "🇲🇽 México")
    services = wa.channel.app.bot_data.services
    assert services is not None
    user_id = await _her_id(wa, MARIA)
    wa.channel.clock.advance(hours=25)  # type: ignore[attr-defined]
    wa.fake.last_from[MARIA] = 0
    before = len(wa.fake.to(MARIA))
    await _announce(wa, user_id, "w1", "Asamblea el martes")
    await _announce(wa, user_id, "w2", "Taller el jueves")
    assert await _statuses(wa) == {
        "w1": ("held", "waiting for her to write"),
        "w2": ("held", "waiting for her to write"),
    }
    sent = wa.fake.to(MARIA)[before:]
    assert [(s.type, s.body["template"]["name"]) for s in sent] == [("template", "dwbot_notice")]
    assert sent[0].body["template"]["language"] == {"code": "es"}
    # She is not taken for someone who blocked the bot.
    assert await services.db.fetchval("SELECT active FROM users WHERE user_id = ?", (user_id,)) == 1
    # She taps "Leer": her window opens, both messages go, and nothing else is said.
    answer = await wa.fake.deliver(wa.fake.quick_reply(MARIA, "Leer", sent[0].id))
    assert answer.status_code == 200
    assert wa.channel.inbox is not None
    await wa.channel.inbox.drain()
    await services.delivery.drain(limit_seconds=20)
    after = wa.fake.to(MARIA)[before + 1 :]
    assert sorted(s.text for s in after) == ["Asamblea el martes", "Taller el jueves"]
    assert {k: v[0] for k, v in (await _statuses(wa)).items()} == {"w1": "sent", "w2": "sent"}


async def test_when_whatsapp_says_her_window_closed_the_message_waits_for_her(
    wa: WhatsAppHarness,
) -> None:
    """The bot thought her window open, WhatsApp answers 131047: held, not failed."""
    await wa.onboard(MARIA, "Español", "🇲🇽 México")
    wa.fake.last_from[MARIA] = 0  # WhatsApp's clock says long ago
    await _announce(wa, await _her_id(wa, MARIA), "w1", "Asamblea el martes")
    assert await _statuses(wa) == {"w1": ("held", "waiting for her to write")}


async def test_with_no_template_for_her_language_the_message_waits_without_a_notice(
    wa: WhatsAppHarness,
) -> None:
    wa.fake.templates = {"dwbot_notice": {"es"}}  # Meta knows the Spanish one only
    await wa.onboard(AMINA, "العربية", "🇪🇸 إسبانيا")
    wa.channel.clock.advance(hours=25)  # type: ignore[attr-defined]
    before = len(wa.fake.to(AMINA))
    await _announce(wa, await _her_id(wa, AMINA), "w1", "اجتماع يوم الثلاثاء")
    assert await _statuses(wa) == {"w1": ("held", "waiting for her to write")}
    assert wa.fake.to(AMINA)[before:] == []  # the Arabic template is not registered: skipped


async def test_too_many_to_one_user_delays_only_her_messages(wa: WhatsAppHarness) -> None:
    """131056 (pair rate limit): her message waits a few seconds; nothing is paused."""
    await wa.onboard(MARIA, "Español", "🇲🇽 México")
    wa.fake.refuse[MARIA] = 131056
    services = wa.channel.app.bot_data.services
    assert services is not None
    from bot.storage.organisers import Recipient

    posting = services.broadcasts.posting
    user_id = await _her_id(wa, MARIA)
    await posting.post(
        [
            posting.message(
                Recipient(user_id, "es", None, "MX", quiet=False),
                "announcement",
                "sendMessage",
                {"chat_id": user_id, "text": "Asamblea"},
                "w1",
            )
        ]
    )
    await services.delivery.send_due()
    await asyncio.sleep(0.3)
    row = await services.db.fetchone(
        "SELECT status, last_error, not_before, attempts FROM outbox WHERE dedupe_key = 'w1'"
    )
    assert row is not None and tuple(row)[:2] == ("pending", "too fast to her")
    assert row[3] == 0  # not counted as a failed attempt
    assert services.delivery.lanes["whatsapp"].bucket._paused_until == 0.0  # type: ignore[union-attr]


async def test_delivery_statuses_are_recorded_for_the_outbox(wa: WhatsAppHarness) -> None:
    await wa.onboard(MARIA, "Español", "🇲🇽 México")
    services = wa.channel.app.bot_data.services
    assert services is not None
    user_id = int(await services.db.fetchval("SELECT user_id FROM channel_identities"))
    await _announce(wa, user_id, "s1", "Asamblea el martes")
    sent = wa.fake.to(MARIA)[-1]
    for state in ("delivered", "read", "delivered"):  # a late "delivered" does not undo "read"
        assert (await wa.fake.deliver(wa.fake.status(MARIA, sent.id, state))).status_code == 200
    status = await services.db.fetchval("SELECT channel_status FROM outbox WHERE dedupe_key = 's1'")
    assert status == "read"


async def test_logs_hold_neither_her_number_nor_her_words_even_at_debug(
    wa: WhatsAppHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from bot import logs

    logs.configure("DEBUG", secrets=["test-token", SECRET])
    try:
        await wa.say(MARIA, "mi jefe no me paga desde hace tres meses")
        await wa.tap(MARIA, tr("es", "▶️ Start"))
    finally:
        logs.configure("WARNING")
        logging.getLogger().setLevel(logging.WARNING)
    written = capsys.readouterr().err
    assert MARIA not in written
    assert "no me paga" not in written
    assert "test-token" not in written


async def test_a_caption_longer_than_whatsapp_takes_is_split_not_cut(wa: WhatsAppHarness) -> None:
    await wa.onboard(MARIA, "Español", "🇲🇽 México")
    services = wa.channel.app.bot_data.services
    assert services is not None
    user_id = await services.db.fetchval("SELECT user_id FROM channel_identities")
    lines = [f"Línea {n}: lo que la trabajadora necesita saber de su periodo." for n in range(40)]
    caption = "\n".join(lines)
    assert len(caption) > 2000
    before = len(wa.fake.to(MARIA))
    await wa.channel.app.bot.send_document(
        user_id, document=b"%PDF-1.4 test", filename="extracto.pdf", caption=caption
    )
    sent = wa.fake.to(MARIA)[before:]
    assert sent[0].type == "document"
    assert all(len(s.text) <= 1024 for s in sent if s.type == "document")
    assert all(len(s.text) <= 4096 for s in sent)
    joined = "\n".join(s.text for s in sent)
    assert all(line in joined for line in lines)  # every line arrives, none cut


def test_a_navigation_spacer_is_not_a_choice_on_whatsapp() -> None:
    from bot.channels.whatsapp.convert import choices
    from bot.handlers.common import INERT_LABEL

    markup = {
        "inline_keyboard": [
            [
                {"text": "◀️", "callback_data": "v1:page:1"},
                {"text": INERT_LABEL, "callback_data": "v1:edge:last"},
            ]
        ]
    }
    assert [c.label for c in choices(markup)] == ["◀️"]
