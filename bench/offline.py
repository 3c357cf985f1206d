"""What the benchmarks share: the real Application on the offline Bot API, and a worker
onboarded (and given a household) by pressing the real buttons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot import callbacks
from bot.app import build_application
from bot.channels.console import ConsoleChat
from bot.channels.offline_api import OfflineBotAPI, OfflineRequest
from bot.config import Settings
from bot.context import BotApplication


async def start(data_dir: Path, clock: Any) -> tuple[BotApplication, OfflineBotAPI]:
    """The bot on a fresh SQLite file, background work left to the benchmark."""
    api = OfflineBotAPI()
    app = build_application(
        Settings(data_dir=data_dir),
        request=OfflineRequest(api),
        clock=clock,
        start_background=False,
    )
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    return app, api


async def stop(app: BotApplication) -> None:
    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    await app.shutdown()


async def onboard(chat: ConsoleChat, country: str = "ES") -> None:
    """Spanish, `country`, records kept: the taps a worker makes after /start."""
    await chat.say("/start")
    await chat.press(callbacks.encode("lang", "es", "o"))
    await chat.press(callbacks.encode("country", country, "o"))
    await chat.press(callbacks.encode("consent", "records", 1, "o"))
    await chat.press(callbacks.encode("privacy_done", "o"))


async def add_household(
    chat: ConsoleChat, name: str, unit: str, amount: str, since: str, first: bool = True
) -> None:
    """A household typed and tapped as a worker does; `since` as YYYYMMDD."""
    await chat.say("/hours")
    if not first:
        await chat.press(callbacks.encode("h", "addemp"))
    await chat.say(name)
    await chat.press(callbacks.encode("h", "unit", unit))
    await chat.say(amount)
    await chat.press(callbacks.encode("h", "livein", 0))
    await chat.press(callbacks.encode("h", "date", "n", since))
