"""Benchmark: updates per second through the whole bot, beside a bare PTB echo bot, per kind.

For each kind of update a worker sends most (/help, a rights question, a main-menu tap on
Hours & pay, a typed hours entry), runs one after another on the same machine: the echo
bot, then the bot and the echo bot in turn (`--repeats` times). The figure is the median
bot run over the median echo run, so a slower or faster moment of the machine shows in
both.

- The fake Bot API runs in a process of its own (bot/channels/loopback_server.py over HTTP
  on 127.0.0.1), with the simulated workers: each sends an update and waits for the answer
  before the next (closed loop). The bot's process does only the bot's work.
- The workers are onboarded as real ones are, before any run: language, country, records
  kept, one household paid by the hour, by pressing the real buttons (bench/offline.py) on
  the same SQLite file the bot then serves.
- The echo bot answers every update with one message, as the bot does for these four.

    .venv/bin/python bench/updates.py [--users 50] [--updates 20] [--repeats 2]
        [--kinds help,rights,menu,hours]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime as dt
import functools
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters  # noqa: E402

from bench import offline  # noqa: E402
from bot.app import build_application  # noqa: E402
from bot.channels.console import ConsoleChat  # noqa: E402
from bot.channels.loopback_server import LoopbackBotAPIServer  # noqa: E402
from bot.channels.offline_api import Sent  # noqa: E402
from bot.config import Settings  # noqa: E402

TOKEN = "123456789:" + "B" * 35
FIRST_USER = 10_000
KINDS = ("help", "rights", "menu", "hours")


def update_text(kind: str, number: int) -> str:
    if kind == "hours":  # a different day each time, so no entry overlaps another
        day = dt.date(2025, 12, 1) + dt.timedelta(days=number % 360)
        return f"el {day.day}/{day.month}/{day.year} de 9 a 13"
    return {"help": "/help", "rights": "cuantas vacaciones tengo", "menu": "🕒 Horas y pago"}[kind]


# ---- the fake's process: the Bot API and the workers ------------------------------------------
def serve_and_drive(kind: str, users: int, updates: int, port_out: Any, go: Any) -> None:
    """Serve the fake Bot API, tell the parent its port, and when told to, send every
    worker's updates closed loop; give back the answer times (seconds), and serve until the
    parent has stopped polling."""
    with LoopbackBotAPIServer() as server:
        api = server.api
        counts: dict[int, int] = defaultdict(int)
        arrived = threading.Condition()

        def on_sent(sent: Sent) -> None:
            with arrived:
                counts[sent.chat_id] += 1
                arrived.notify_all()

        api.listeners.append(on_sent)
        port_out.put(server.server_address[1])
        go.get()  # the bot polls now
        latencies: list[float] = []
        lock = threading.Lock()

        def worker(user: int) -> None:
            for n in range(updates):
                with arrived:
                    expected = counts[user] + 1
                started = time.perf_counter()
                api.push(api.text_update(user, update_text(kind, n), "es"))
                with arrived:
                    answered = functools.partial(_reached, counts, user, expected)
                    if not arrived.wait_for(answered, timeout=60):
                        raise SystemExit(f"no answer to worker {user} in 60 s")
                with lock:
                    latencies.append(time.perf_counter() - started)

        threads = [threading.Thread(target=worker, args=(FIRST_USER + u,)) for u in range(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        port_out.put(latencies)
        go.get()  # the bot has stopped polling


def _reached(counts: dict[int, int], user: int, expected: int) -> bool:
    return counts[user] >= expected


# ---- this process: the bot or the echo bot ----------------------------------------------------
def echo_application(base_url: str) -> Application[Any, Any, Any, Any, Any, Any]:
    async def echo(update: Update, context: Any) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        assert update.effective_user is not None
        text = (update.message.text if update.message else None) or "ok"
        await context.bot.send_message(update.effective_user.id, text)

    app = Application.builder().token(TOKEN).base_url(base_url).concurrent_updates(True).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(echo))
    return app


async def run(bot: bool, kind: str, users: int, updates: int, data: Path) -> tuple[float, float]:
    """One run: updates per second and the p50 answer time (ms)."""
    spawn = multiprocessing.get_context("spawn")
    manager = spawn.Manager()
    port_out, go = manager.Queue(), manager.Queue()
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as fake:
        driving = fake.submit(serve_and_drive, kind, users, updates, port_out, go)
        port = await asyncio.to_thread(port_out.get)
        base = f"http://127.0.0.1:{port}"
        if bot:
            settings = Settings(
                token=TOKEN,
                api_base_url=f"{base}/bot",
                api_file_url=f"{base}/file/bot",
                data_dir=data,
                log_level="WARNING",
            )
            app: Any = build_application(settings)
        else:
            app = echo_application(f"{base}/bot")
        async with app:
            if app.post_init:
                await app.post_init(app)
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            await app.start()
            try:
                started = time.perf_counter()
                go.put("go")
                latencies = await asyncio.to_thread(port_out.get)
                elapsed = time.perf_counter() - started
            finally:
                await app.updater.stop()
                await app.stop()
                if app.post_shutdown:
                    await app.post_shutdown(app)
        go.put("stop")
        await asyncio.wrap_future(driving)
    manager.shutdown()
    return len(latencies) / elapsed, statistics.median(latencies) * 1000


async def onboard_all(data: Path, users: int) -> None:
    """Every worker onboarded with one household, on the SQLite file the runs serve."""
    app, api = await offline.start(data, _Clock())
    for n in range(users):
        chat = ConsoleChat(app, api, FIRST_USER + n, "es", data / "files")
        await offline.onboard(chat)
        await offline.add_household(chat, "Casa A", "hour", "10", "20251201")
    await offline.stop(app)


class _Clock:
    def now(self) -> dt.datetime:
        return dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


async def main(users: int, updates: int, kinds: list[str], repeats: int) -> None:
    print(
        f"{users} onboarded workers x {updates} updates each, closed loop, fake Bot API in its"
        f" own process; runs interleaved echo, bot, echo ({repeats} bot runs, medians)"
    )
    print(f"{'update':<10} {'echo msg/s':>11} {'dwbot msg/s':>12} {'ratio':>6}  p50 echo / dwbot")
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared"
        await onboard_all(prepared, users)
        for kind in kinds:
            data = Path(tmp) / kind
            shutil.copytree(prepared, data)  # every kind starts from the same onboarded file
            echoes = [await run(False, kind, users, updates, data)]
            mine = []
            for _ in range(repeats):
                mine.append(await run(True, kind, users, updates, data))
                echoes.append(await run(False, kind, users, updates, data))
            echo = statistics.median(rate for rate, _p50 in echoes)
            bot = statistics.median(rate for rate, _p50 in mine)
            print(
                f"{kind:<10} {echo:>11.0f} {bot:>12.0f} {bot / echo:>6.2f}"
                f"  {statistics.median(p for _r, p in echoes):.1f}"
                f" / {statistics.median(p for _r, p in mine):.1f} ms"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--repeats", type=int, default=2, help="bot runs per kind")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.updates, args.kinds.split(","), args.repeats))
