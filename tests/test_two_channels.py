"""Telegram and WhatsApp in one process: one database, one scheduler, one delivery engine with
a lane per channel. Roles are per user, not per channel: an organiser on WhatsApp reaches
each worker on her own channel, and WhatsApp's order to stop a campaign stops it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import callbacks, i18n
from bot.channels.offline_api import OfflineBotAPI
from bot.channels.whatsapp.run import WhatsAppChannel
from bot.config import Settings
from bot.i18n import _
from tests.conftest import ADMIN_ID, FakeClock, Harness, start_app, stop_app
from tests.fake_whatsapp import FakeCloudAPI, Sent, serving

SECRET, VERIFY = "app-secret-for-tests", "verify-me"
ORGANISER, MARIA, ROSA = "51900000001", "51900000002", "51900000003"
TELEGRAM_WORKER = 720


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


class TwoChannels:
    def __init__(self, telegram: Harness, fake: FakeCloudAPI, whatsapp: WhatsAppChannel) -> None:
        self.telegram = telegram
        self.fake = fake
        self.whatsapp = whatsapp

    async def send(self, wa_id: str, payload: dict[str, object]) -> list[Sent]:
        before = len(self.fake.to(wa_id))
        assert (await self.fake.deliver(payload)).status_code == 200
        assert self.whatsapp.inbox is not None
        await self.whatsapp.inbox.drain()
        return self.fake.to(wa_id)[before:]

    async def say(self, wa_id: str, text: str) -> list[Sent]:
        return await self.send(wa_id, self.fake.text(wa_id, text))

    async def press(self, wa_id: str, data: str) -> list[Sent]:
        """Her tap on the button carrying `data` (on the last message she got with it),
        through the list's next pages ("➡️ …") as she would."""
        for _page in range(4):
            for sent in reversed(self.fake.to(wa_id)):
                if any(choice == data for _label, choice in sent.choices):
                    return await self.send(wa_id, self.fake.press(wa_id, data, sent.id))
            last = self.fake.to(wa_id)[-1]
            more = [c for _label, c in last.choices if c.startswith("wa:more:")]
            if not more:
                break
            await self.send(wa_id, self.fake.press(wa_id, more[0], last.id))
        last = [(s.text[:60], s.choices) for s in self.fake.to(wa_id)[-3:]]
        raise AssertionError(f"no button {data!r} for {wa_id}: {last}")

    async def onboard(self, wa_id: str, country: str) -> None:
        await self.say(wa_id, "hola")
        await self.press(wa_id, callbacks.encode("begin"))
        await self.press(wa_id, callbacks.encode("lang", "es", "o"))
        await self.press(wa_id, callbacks.encode("country", country, "o"))
        await self.press(wa_id, callbacks.encode("privacy_done", "o"))

    async def deliver(self) -> None:
        services = self.telegram.app.bot_data.services
        assert services is not None
        await services.delivery.drain(limit_seconds=30)


@pytest.fixture
async def both(tmp_path: Path) -> AsyncIterator[TwoChannels]:
    fake = FakeCloudAPI(app_secret=SECRET)
    async with serving(fake.app()) as fake_port:
        fake.port = fake_port
        settings = Settings(
            data_dir=tmp_path / "data",
            admin_ids=frozenset({ADMIN_ID}),
            token="123:telegram-token-for-tests",
            whatsapp_token="test-token",
            whatsapp_phone_id=fake.phone_id,
            whatsapp_app_secret=SECRET,
            whatsapp_verify_token=VERIFY,
            whatsapp_api_base_url=f"http://127.0.0.1:{fake_port}",
        )
        clock = FakeClock()
        api = OfflineBotAPI()
        telegram = Harness(await start_app(settings, api, clock), api, settings, clock)
        whatsapp = WhatsAppChannel(
            settings, clock=clock, start_background=False, shared=telegram.app
        )
        await whatsapp.start()
        try:
            async with serving(whatsapp.server()) as bot_port:
                fake.bot_url = f"http://127.0.0.1:{bot_port}"
                yield TwoChannels(telegram, fake, whatsapp)
        finally:
            await whatsapp.stop()
            await stop_app(telegram.app)


async def _organiser_on_whatsapp(both: TwoChannels) -> None:
    """The admin (on Telegram) invites; the organiser joins by typing the code on WhatsApp."""
    await both.telegram.onboard(user_id=ADMIN_ID)
    replies = await both.telegram.say("/invite organiser", user_id=ADMIN_ID)
    code = replies[-1].text.split("<code>")[1].split("</code>")[0]
    await both.onboard(ORGANISER, "PE")
    answer = await both.say(ORGANISER, f"/join {code}")
    assert "organiser" in answer[-1].text or "organizador" in answer[-1].text


async def _workers(both: TwoChannels, *wa_ids: str) -> None:
    await both.telegram.onboard(user_id=TELEGRAM_WORKER, country="PE")
    await both.telegram.chat(TELEGRAM_WORKER).press(callbacks.encode("sub", "news", 1))
    for wa_id in wa_ids:
        await both.onboard(wa_id, "PE")
        await both.send(wa_id, both.fake.press(wa_id, callbacks.encode("sub", "news", 1), "x"))


async def _announce(both: TwoChannels, text: str) -> None:
    await both.say(ORGANISER, "/announce")
    await both.say(ORGANISER, text)
    await both.press(ORGANISER, callbacks.encode("org", "audience", "announce"))
    await both.press(ORGANISER, callbacks.encode("org", "c", "announce", "PE"))
    await both.press(ORGANISER, callbacks.encode("org", "preview", "announce"))
    await both.press(ORGANISER, callbacks.encode("org", "now", "announce"))
    await both.deliver()


async def test_an_organiser_on_whatsapp_reaches_each_worker_on_her_own_channel(
    both: TwoChannels,
) -> None:
    await _organiser_on_whatsapp(both)
    await _workers(both, MARIA)
    await _announce(both, "Asamblea el sábado en Lima")
    assert [s.text for s in both.telegram.api.sent_to(TELEGRAM_WORKER)][-1] == (
        "Asamblea el sábado en Lima"
    )
    assert "Asamblea el sábado en Lima" in [s.text for s in both.fake.to(MARIA)]
    services = both.telegram.app.bot_data.services
    assert services is not None
    channels = dict(
        await services.db.fetchall(
            "SELECT channel, COUNT(*) FROM outbox WHERE kind = 'announcement' GROUP BY channel"
        )
    )
    assert channels == {"telegram": 1, "whatsapp": 1}
    # Her delivery report reaches the organiser on WhatsApp, where she works.
    report = tr(
        "es", "📊 Delivery report #{id}: sent {sent}, failed {failed}, blocked {blocked}."
    ).format(id=1, sent=2, failed=0, blocked=0)
    assert report in [s.text for s in both.fake.to(ORGANISER)]


async def test_whatsapps_spam_limit_stops_the_campaign_and_the_organiser_is_told(
    both: TwoChannels,
) -> None:
    await _organiser_on_whatsapp(both)
    await _workers(both, MARIA, ROSA)
    both.fake.refuse[MARIA] = 131048  # WhatsApp: too many people marked these as spam
    both.fake.refuse[ROSA] = 131048
    await _announce(both, "Asamblea el sábado en Lima")
    services = both.telegram.app.bot_data.services
    assert services is not None
    statuses = dict(
        await services.db.fetchall(
            "SELECT channel, GROUP_CONCAT(status) FROM outbox WHERE kind = 'announcement'"
            " GROUP BY channel"
        )
    )
    whatsapp = sorted(statuses["whatsapp"].split(","))
    assert whatsapp in (["cancelled", "failed"], ["failed", "failed"])  # two may be in flight
    told = tr(
        "es",
        "⛔ Announcement #{id} was stopped: WhatsApp limits messages that people report as"
        " spam. {cancelled} were not sent. Send announcements only to workers who asked"
        " for them.",
    ).split("{id}")[0]
    assert any(s.text.startswith(told) for s in both.fake.to(ORGANISER))


async def test_the_same_episode_file_is_sent_on_each_channel_by_its_own_file_id(
    both: TwoChannels,
) -> None:
    """A Telegram file id means nothing to WhatsApp: each channel keeps its own."""
    await both.telegram.onboard(user_id=TELEGRAM_WORKER, country="PE")
    await both.onboard(MARIA, "PE")
    services = both.telegram.app.bot_data.services
    assert services is not None
    episode = next(e for e in services.episodes if "es" in e.audio)
    data = callbacks.encode("ep", episode.id, "es")
    await both.telegram.chat(TELEGRAM_WORKER).press(data)
    await both.send(MARIA, both.fake.press(MARIA, data, "x"))
    rows = await services.db.fetchall("SELECT bot_id, file_id FROM audio_uploads")
    assert len({r[0] for r in rows}) == 2  # one per bot
    assert both.fake.uploads >= 1
    voice = [s for s in both.fake.to(MARIA) if s.type == "audio"]
    assert voice and voice[0].body["audio"]["id"] in both.fake.media


async def test_a_meeting_called_on_whatsapp_reaches_workers_with_rsvp_and_calendar_file(
    both: TwoChannels,
) -> None:
    await _organiser_on_whatsapp(both)
    await both.telegram.onboard(user_id=TELEGRAM_WORKER, country="PE")
    await both.telegram.chat(TELEGRAM_WORKER).press(callbacks.encode("sub", "meetings", 1))
    await both.onboard(MARIA, "PE")
    await both.send(MARIA, both.fake.press(MARIA, callbacks.encode("sub", "meetings", 1), "x"))
    await both.say(ORGANISER, "/meeting")
    await both.say(ORGANISER, "Asamblea general\nSalarios")
    await both.say(ORGANISER, "2026-03-20 18:00")
    await both.say(ORGANISER, "Av. Grau 123, Lima")
    await both.press(ORGANISER, callbacks.encode("org", "audience", "meeting"))
    await both.press(ORGANISER, callbacks.encode("org", "preview", "meeting"))
    await both.press(ORGANISER, callbacks.encode("org", "now", "meeting"))
    await both.deliver()
    notice = [s for s in both.fake.to(MARIA) if "Asamblea general" in s.text]
    assert notice, [s.text[:40] for s in both.fake.to(MARIA)]
    going = callbacks.encode("rsvp", 1, "going")
    assert going in [choice for _label, choice in notice[-1].choices]
    assert any(
        s.type == "document" and s.body["document"]["filename"].endswith(".ics")
        for s in both.fake.to(MARIA)
    )
    assert any("Asamblea general" in s.text for s in both.telegram.api.sent_to(TELEGRAM_WORKER))
    await both.press(MARIA, going)
    await both.press(MARIA, going)  # a second tap changes nothing
    services = both.telegram.app.bot_data.services
    assert services is not None
    rows = await services.db.fetchall("SELECT answer, COUNT(*) FROM rsvps GROUP BY answer")
    assert [tuple(r) for r in rows] == [("going", 1)]


async def test_a_voice_announcement_from_whatsapp_reaches_a_telegram_worker_too(
    both: TwoChannels,
) -> None:
    """The organiser's file id is WhatsApp's: the bot keeps the file and each channel sends
    it by its own id."""
    await _organiser_on_whatsapp(both)
    await _workers(both, MARIA)
    voice = b"OggS" + bytes(range(256)) * 8
    await both.say(ORGANISER, "/announce")
    await both.send(ORGANISER, both.fake.voice(ORGANISER, voice))
    await both.press(ORGANISER, callbacks.encode("org", "audience", "announce"))
    await both.press(ORGANISER, callbacks.encode("org", "c", "announce", "PE"))
    await both.press(ORGANISER, callbacks.encode("org", "preview", "announce"))
    await both.press(ORGANISER, callbacks.encode("org", "now", "announce"))
    await both.deliver()
    telegram = [s for s in both.telegram.api.sent_to(TELEGRAM_WORKER) if s.method == "sendVoice"]
    assert telegram and [content for _name, content in telegram[-1].files.values()] == [voice]
    assert any(s.type == "audio" for s in both.fake.to(MARIA))
    services = both.telegram.app.bot_data.services
    assert services is not None
    failed = await services.db.fetchval("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
    assert failed == 0
