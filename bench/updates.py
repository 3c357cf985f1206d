"""Benchmark: updates per second and latency through the whole bot, against an echo-bot floor.

Simulated users (closed loop: each waits for the bot's answer before the next action) send a
realistic mix — onboarding buttons, commands, main-menu taps, free text, settings buttons —
over HTTP to a fake Bot API on 127.0.0.1. The same traffic then goes to a bare
python-telegram-bot echo bot on the same fake. Prints both and their ratio.

    .venv/bin/python bench/updates.py [--users 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks, i18n
from bot.app import build_application
from bot.channels.loopback_server import LoopbackBotAPIServer
from bot.channels.offline_api import OfflineBotAPI, Sent
from bot.config import Settings

TOKEN = "123456789:" + "B" * 35


class Waiter:
    """Resolves a future when `count` messages have reached a chat (set from server threads)."""

    def __init__(self, api: OfflineBotAPI, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.counts: dict[int, int] = defaultdict(int)
        self.last: dict[int, Sent] = {}
        self.waiting: dict[int, tuple[int, asyncio.Future[None]]] = {}
        api.listeners.append(self._on_sent)

    def _on_sent(self, sent: Sent) -> None:
        self.loop.call_soon_threadsafe(self._count, sent)

    def _count(self, sent: Sent) -> None:
        self.counts[sent.chat_id] += 1
        if sent.buttons and sent.is_inline:
            self.last[sent.chat_id] = sent
        target = self.waiting.get(sent.chat_id)
        if target and self.counts[sent.chat_id] >= target[0] and not target[1].done():
            target[1].set_result(None)

    async def until(self, chat_id: int, count: int) -> None:
        if self.counts[chat_id] >= count:
            return
        future = self.loop.create_future()
        self.waiting[chat_id] = (count, future)
        await asyncio.wait_for(future, 30)


def script(
    user: int, api: OfflineBotAPI, waiter: Waiter, full: bool, rounds: int
) -> list[tuple[Any, int]]:
    """The user's actions as (update factory, replies expected): onboarding, then the mix."""
    with i18n.using("es"):
        help_label = "❓ " + i18n._("Help")
        settings_label = "⚙️ " + i18n._("Settings")

    def text(t: str) -> Any:
        return lambda: api.text_update(user, t, "es")

    def press(data: str) -> Any:
        def make() -> dict[str, Any]:
            message = waiter.last.get(user)
            return api.callback_update(user, data, message.message_id if message else None, "es")

        return make

    onboarding = [
        (text("/start"), 2 if full else 1),
        (press(callbacks.encode("lang", "es", "o")), 1),
        (press(callbacks.encode("country", "MX", "o")), 1),
        (press(callbacks.encode("privacy_done", "o")), 1),
    ]
    mix = [
        (text("/menu"), 1),
        (text(help_label), 1),
        (text("¿cuántas horas puedo trabajar?"), 1),
        (text(settings_label), 1),
        (press(callbacks.encode("settings", "language")), 1),
        (text("/help"), 1),
    ]
    return onboarding + mix * rounds


async def drive(
    api: OfflineBotAPI, users: int, rounds: int, full: bool
) -> tuple[float, list[float]]:
    loop = asyncio.get_running_loop()
    waiter = Waiter(api, loop)
    latencies: list[float] = []

    async def one_user(user: int) -> None:
        expected = 0
        for make, replies in script(user, api, waiter, full, rounds):
            expected += replies
            started = time.perf_counter()
            api.push(make())
            await waiter.until(user, expected)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one_user(10_000 + n) for n in range(users)))
    return time.perf_counter() - started, latencies


def echo_application(server: LoopbackBotAPIServer) -> Application[Any, Any, Any, Any, Any, Any]:
    async def echo(update: Update, context: Any) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        assert update.effective_user is not None
        text = (update.message.text if update.message else None) or "ok"
        await context.bot.send_message(update.effective_user.id, text)

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(server.base_url)
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(echo))
    return app


async def measure(name: str, full: bool, users: int, rounds: int) -> tuple[float, list[float]]:
    with LoopbackBotAPIServer() as server, tempfile.TemporaryDirectory() as tmp:
        if full:
            settings = Settings(
                token=TOKEN,
                api_base_url=server.base_url,
                api_file_url=server.file_url,
                data_dir=Path(tmp),
                log_level="WARNING",
            )
            app: Any = build_application(settings)
        else:
            app = echo_application(server)
        async with app:
            if app.post_init:
                await app.post_init(app)
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            await app.start()
            try:
                elapsed, latencies = await drive(server.api, users, rounds, full)
            finally:
                await app.updater.stop()
                await app.stop()
                if app.post_shutdown:
                    await app.post_shutdown(app)
    count = len(latencies)
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    print(
        f"{name:<10} {count:>6} updates in {elapsed:6.2f} s  "
        f"{count / elapsed:8.1f} updates/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
    )
    return count / elapsed, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{args.users} users x {args.rounds} rounds of a 6-step mix after 4 onboarding steps,"
        " HTTP to 127.0.0.1"
    )
    bot_rate, bot_lat = asyncio.run(measure("dwbot", True, args.users, args.rounds))
    echo_rate, echo_lat = asyncio.run(measure("echo bot", False, args.users, args.rounds))
    print(
        f"ratio dwbot/echo: throughput {bot_rate / echo_rate:.2f}, "
        f"p50 latency {statistics.median(bot_lat) / statistics.median(echo_lat):.2f}x"
    )


if __name__ == "__main__":
    main()
