"""Fixtures: the real Application on a fresh SQLite file, talking to an offline Bot API."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application
from bot.channels.console import ConsoleChat
from bot.channels.offline_api import OfflineBotAPI, OfflineRequest, Sent
from bot.config import Settings
from bot.context import BotApplication

ADMIN_ID = 999


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.current = start or dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


async def start_app(settings: Settings, api: OfflineBotAPI, clock: FakeClock) -> BotApplication:
    # Background tasks off: tests run the delivery engine themselves (deliver()).
    app = build_application(
        settings, request=OfflineRequest(api), clock=clock, start_background=False
    )
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    return app


async def stop_app(app: BotApplication) -> None:
    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    await app.shutdown()


class Harness:
    """The bot under test plus helpers to act as users."""

    def __init__(
        self, app: BotApplication, api: OfflineBotAPI, settings: Settings, clock: FakeClock
    ) -> None:
        self.app = app
        self.api = api
        self.settings = settings
        self.clock = clock
        self._chats: dict[int, ConsoleChat] = {}

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same database, like a process restart."""
        await stop_app(self.app)
        self.app = await start_app(self.settings, self.api, self.clock)
        for chat in self._chats.values():
            chat.app = self.app

    async def deliver(self) -> None:
        """Run the delivery engine until the outbox has nothing due."""
        assert self.app.bot_data.services is not None
        await self.app.bot_data.services.delivery.drain(limit_seconds=30)

    def chat(self, user_id: int = 1, language_code: str | None = "es") -> ConsoleChat:
        if user_id not in self._chats:
            self._chats[user_id] = ConsoleChat(
                self.app, self.api, user_id, language_code, self.settings.data_dir / "files"
            )
        return self._chats[user_id]

    async def say(
        self, text: str, user_id: int = 1, language_code: str | None = "es"
    ) -> list[Sent]:
        return await self.chat(user_id, language_code).say(text)

    @property
    def db(self):
        assert self.app.bot_data.services is not None
        return self.app.bot_data.services.db

    async def onboard(
        self,
        user_id: int = 1,
        language_code: str = "es",
        locale: str = "es",
        country: str = "MX",
        records: bool = True,
    ) -> None:
        """Complete onboarding by pressing the real buttons."""
        from bot import callbacks

        chat = self.chat(user_id, language_code)
        await chat.say("/start")
        await chat.press(callbacks.encode("lang", locale, "o"))
        await chat.press(callbacks.encode("country", country, "o"))
        if records:
            await chat.press(callbacks.encode("consent", "records", 1, "o"))
        await chat.press(callbacks.encode("privacy_done", "o"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", admin_ids=frozenset({ADMIN_ID}))


@pytest.fixture
async def harness(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    api = OfflineBotAPI()
    harness = Harness(await start_app(settings, api, clock), api, settings, clock)
    api.sent.clear()
    try:
        yield harness
    finally:
        await stop_app(harness.app)
