"""Benchmark: what hours and pay cost per update, against /help on the same bot in one run.

A worker in Spain with two households and a year of entries (about 500 shifts and 24
payments) opens Hours & pay (this week + everything since she started), this month's
summary, the end-of-job figure and /export, through the real Application on the offline Bot
API; /help is the baseline. Prints the median and p90 in milliseconds and the ratio to /help.

    .venv/bin/python bench/hours.py [--rounds 30]
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import offline
from bot import callbacks
from bot.channels.console import ConsoleChat
from bot.domain.records import JobEnding


class Clock:
    def now(self) -> dt.datetime:
        return dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app, api = await offline.start(Path(tmp) / "data", Clock())
        chat = ConsoleChat(app, api, 1, "es", Path(tmp) / "files")
        await offline.onboard(chat)
        for first, (name, unit, amount) in enumerate(
            (("Casa A", "month", "1300"), ("Casa B", "hour", "10"))
        ):
            await offline.add_household(chat, name, unit, amount, "20251201", first == 0)
        services = app.bot_data.services
        assert services is not None
        store, user = services.hours.store, await services.users.get(1)
        assert user is not None
        day, shifts = dt.date(2025, 12, 1), 0
        while day < dt.date(2026, 11, 30):
            if day.weekday() < 5:
                for employer_id, start in ((1, 8), (2, 15)):
                    begins = dt.datetime.combine(day, dt.time(start), dt.UTC)
                    await store.add_work(
                        1,
                        employer_id,
                        day,
                        begins,
                        begins + dt.timedelta(hours=5),
                        300,
                        0,
                        "typed",
                        "2026-11-30T12:00:00+00:00",
                    )
                    shifts += 1
            if day.day == 28:
                await store.add_payment(
                    1, 1, day, 130000, "EUR", "cash", None, "2026-11-30T12:00:00+00:00"
                )
                await store.add_payment(
                    1, 2, day, 50000, "EUR", "cash", None, "2026-11-30T12:00:00+00:00"
                )
            day += dt.timedelta(days=1)
        await services.hours.save_ending(user, JobEnding(1, "desist", dt.date(2026, 11, 30), 0))

        async def help_() -> None:
            await chat.say("/help")

        async def hours() -> None:
            await chat.say("/hours")

        async def month() -> None:
            await chat.press(callbacks.encode("h", "sum", "month"))

        async def ending() -> None:
            await services.hours.settlement(user, JobEnding(1, "desist", dt.date(2026, 11, 30), 0))

        async def export() -> None:
            await chat.say("/export 2026-11-01 2026-11-30")

        results = {}
        for name, action, n in (
            ("/help (baseline)", help_, rounds),
            ("/hours: week + since start", hours, rounds),
            ("this month's summary", month, rounds),
            ("end-of-job figure (service)", ending, rounds),
            ("/export CSV + PDF", export, max(3, rounds // 5)),
        ):
            await action()  # warm
            times = []
            for _ in range(n):
                began = time.perf_counter()
                await action()
                times.append((time.perf_counter() - began) * 1000)
            results[name] = (statistics.median(times), statistics.quantiles(times, n=10)[8])
        base = results["/help (baseline)"][0]
        print(f"{shifts} shifts over 12 months, 2 households; {rounds} rounds")
        print(f"{'update':<32} {'p50 ms':>8} {'p90 ms':>8} {'x /help':>8}")
        for name, (p50, p90) in results.items():
            print(f"{name:<32} {p50:>8.1f} {p90:>8.1f} {p50 / base:>8.1f}")
        await offline.stop(app)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    asyncio.run(main(parser.parse_args().rounds))
