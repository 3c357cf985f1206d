"""Benchmark: what one user flooding the bot costs everyone else.

Five workers send /help and a typed entry, 20 updates a second between them, for
`--seconds`; in the same run, first alone (the baseline) and then while a sixth user floods
with the heaviest things a message can ask for (a reminder of 3,000 characters, a 4,000-
character entry, /export, /handbook, long rights questions), 50 a second, all at once as
python-telegram-bot's concurrent updates would run them. Prints the others' p50/p99/max
latency in each phase, side by side.

    .venv/bin/python bench/flood.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update

from bench import offline
from bot.channels.console import ConsoleChat
from bot.channels.offline_api import OfflineBotAPI

WORKERS = (11, 12, 13, 14, 15)
FLOODER = 66
FLOOD = (
    "remind me " + "9pm " * 750,
    "me pagaron " + "1 " * 2000,
    "/export",
    "/handbook",
    "¿cuántas vacaciones me tocan si trabajo " + "muchas horas " * 200 + "?",
)


class Clock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def onboard(app: Any, api: OfflineBotAPI, user: int, files: Path) -> None:
    chat = ConsoleChat(app, api, user, "es", files)
    await offline.onboard(chat)
    await offline.add_household(chat, "Casa A", "hour", "10", "20261101")


async def phase(app, api: OfflineBotAPI, seconds: float, flood: bool) -> list[float]:
    latencies: list[float] = []
    tasks: set[asyncio.Task[None]] = set()

    async def timed(update: dict) -> None:
        started = time.perf_counter()
        await app.process_update(Update.de_json(update, app.bot))
        latencies.append(time.perf_counter() - started)

    async def flooder() -> None:
        n = 0
        while True:
            update = api.text_update(FLOODER, FLOOD[n % len(FLOOD)], "es")
            task = asyncio.create_task(app.process_update(Update.de_json(update, app.bot)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            n += 1
            await asyncio.sleep(1 / 50)

    flooding = asyncio.create_task(flooder()) if flood else None
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        user = WORKERS[n % len(WORKERS)]
        text = "/help" if n % 2 else "8h"
        task = asyncio.create_task(timed(api.text_update(user, text, "es")))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
        await asyncio.sleep(1 / 20)
    if flooding is not None:
        flooding.cancel()
    await asyncio.gather(*list(tasks), return_exceptions=True)
    return latencies


async def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app, api = await offline.start(Path(tmp) / "data", Clock())
        for user in (*WORKERS, FLOODER):
            await onboard(app, api, user, Path(tmp) / "files")
        results = {}
        for name, flood in (("baseline: no flood", False), ("one user flooding", True)):
            results[name] = await phase(app, api, seconds, flood)
        print(f"other users' updates, {seconds:g} s per phase")
        print(f"{'':<22} {'count':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        for name, values in results.items():
            print(
                f"{name:<22} {len(values):>6} {statistics.median(values) * 1000:>8.1f}"
                f" {percentile(values, 0.99) * 1000:>8.1f} {max(values) * 1000:>8.1f}"
            )
        await offline.stop(app)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    asyncio.run(main(parser.parse_args().seconds))
