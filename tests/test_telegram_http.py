"""The Telegram channel over real HTTP: python-telegram-bot's httpx client, long polling,
against the fake Bot API on 127.0.0.1 reached through TELEGRAM_API_BASE_URL."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import callbacks, i18n
from bot.app import build_application
from bot.channels.loopback_server import LoopbackBotAPIServer
from bot.channels.offline_api import Sent
from bot.config import Settings
from bot.i18n import _
from bot.services import demo_data
from bot.storage.stats import StatsStore

TOKEN = "123456789:" + "T" * 35
ADMIN = 900


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


class Telegram:
    def __init__(self, server: LoopbackBotAPIServer) -> None:
        self.server = server
        self.api = server.api
        self.app: Any = None

    async def send(self, update: dict, chat_id: int, count: int = 1) -> list[Sent]:
        before = len(self.api.sent_to(chat_id))
        self.api.push(update)
        deadline = time.monotonic() + 10
        while len(self.api.sent_to(chat_id)) < before + count:
            assert time.monotonic() < deadline, "the bot did not answer over HTTP"
            await asyncio.sleep(0.02)
        return self.api.sent_to(chat_id)[before:]

    async def text(self, user_id: int, text: str, lang: str, count: int = 1) -> list[Sent]:
        return await self.send(self.api.text_update(user_id, text, lang), user_id, count)

    async def press(self, user_id: int, data: str, message: Sent, lang: str) -> list[Sent]:
        update = self.api.callback_update(user_id, data, message.message_id, lang)
        return await self.send(update, user_id)


@pytest.fixture
async def telegram(tmp_path: Path) -> AsyncIterator[Telegram]:
    with LoopbackBotAPIServer() as server:
        settings = Settings(
            token=TOKEN,
            api_base_url=server.base_url,
            api_file_url=server.file_url,
            data_dir=tmp_path / "data",
            admin_ids=frozenset({ADMIN}),
        )
        app = build_application(settings)
        async with app:
            await app.post_init(app)  # type: ignore[misc]
            await app.updater.start_polling(poll_interval=0.0, timeout=1)  # type: ignore[union-attr]
            await app.start()
            try:
                telegram = Telegram(server)
                telegram.app = app
                yield telegram
            finally:
                await app.updater.stop()  # type: ignore[union-attr]
                await app.stop()
                await app.post_shutdown(app)  # type: ignore[misc]


@pytest.mark.parametrize(("lang", "country"), [("es", "PE"), ("ar", "ES")])
async def test_onboarding_over_http(telegram: Telegram, lang: str, country: str) -> None:
    user = 500 if lang == "es" else 501
    replies = await telegram.text(user, "/start", lang, count=2)
    picker = replies[-1]
    assert picker.text == tr(lang, "Choose your language:")
    replies = await telegram.press(user, callbacks.encode("lang", lang, "o"), picker, lang)
    replies = await telegram.press(
        user, callbacks.encode("country", country, "o"), replies[-1], lang
    )
    privacy = replies[-1]
    assert tr(lang, "I keep only what I need to help you:") in privacy.text
    replies = await telegram.press(user, callbacks.encode("privacy_done", "o"), privacy, lang)
    assert tr(lang, "Here is the main menu. Tap a button.") in replies[-1].text

    replies = await telegram.text(user, "/mydata", lang)
    name, content = replies[-1].files["document"]
    assert name == "my-data.json" and f'"country": "{country}"'.encode() in content
    methods = {m for m, _p in telegram.api.calls}
    assert {"getMe", "getUpdates", "setMyCommands", "sendMessage", "sendDocument"} <= methods


@pytest.mark.parametrize("lang", ["es", "ar"])
async def test_statistics_and_small_talk_over_http(telegram: Telegram, lang: str) -> None:
    """An admin gets the summary, the chart and the CSV as real multipart uploads; a greeting
    gets the menu; garbage arguments get the usage line in her language."""
    replies = await telegram.text(ADMIN, "/start", lang, count=2)
    replies = await telegram.press(ADMIN, callbacks.encode("lang", lang, "o"), replies[-1], lang)
    replies = await telegram.press(ADMIN, callbacks.encode("country", "MX", "o"), replies[-1], lang)
    await telegram.press(ADMIN, callbacks.encode("privacy_done", "o"), replies[-1], lang)
    services = telegram.app.bot_data.services
    today = services.clock.now().date()
    await StatsStore(services.db).bulk_load(demo_data.generate(300, 4000, today, months=3))

    greeting = "hola" if lang == "es" else "مرحبا"
    replies = await telegram.text(ADMIN, greeting, lang)
    assert replies[-1].text == tr(
        lang, "👋 Hello! Tap a button below, or write your question in your own words."
    )
    replies = await telegram.text(ADMIN, "/stats MX 3", lang, count=3)
    assert [r.method for r in replies] == ["sendMessage", "sendPhoto", "sendDocument"]
    with i18n.using(lang):
        assert i18n.country_name("MX") in replies[0].text
    assert next(iter(replies[1].files.values()))[1].startswith(b"\x89PNG")
    name, content = next(iter(replies[2].files.values()))
    assert name.endswith("-MX.csv") and content.startswith(b"section,country")
    replies = await telegram.text(ADMIN, "/stats ¿¿ " + "x" * 3000, lang)
    assert replies[-1].text == tr(
        lang,
        "Write /stats, or add a country code and a number of months, for example: /stats MX 12",
    )


def test_an_outage_is_logged_once_and_its_end_once(caplog: pytest.LogCaptureFixture) -> None:
    from telegram.error import NetworkError, TimedOut

    from bot import logs

    outage = logs.Outage(logging.getLogger("bot.polling.test"))
    with caplog.at_level(logging.INFO, logger="bot.polling.test"):
        for _poll in range(20):
            outage.down(type(NetworkError("connection refused")).__name__)
        outage.down(type(TimedOut()).__name__)
        outage.up()
        outage.up()
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "Bot API unreachable (NetworkError); retrying until it answers",
        "Bot API still unreachable, now TimedOut",
        "Bot API reachable again after TimedOut",
    ]
    assert all(r.exc_info is None for r in caplog.records)
