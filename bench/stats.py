"""Benchmark: the full anonymous-statistics report over a large synthetic database.

Fills a fresh SQLite file with synthetic workers (bot.services.demo_data), then times the
whole report (every country, month and tag, with disclosure control) and the CSV and chart,
and how late a 1 ms tick on the same event loop wakes while the report runs (what any other
user's update waits behind a /stats).

    .venv/bin/python bench/stats.py [--workers 50000] [--entries 1000000] [--runs 3]
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

from bot.domain.anonymity import Policy
from bot.services import demo_data
from bot.services.content import Library
from bot.services.stats import StatsService, chart_png
from bot.storage.database import Database
from bot.storage.stats import StatsStore

END = dt.date(2026, 10, 31)


class FixedClock:
    def now(self) -> dt.datetime:
        return dt.datetime.combine(END, dt.time(12), dt.UTC)


async def run(workers: int, entries: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        store = StatsStore(db)
        started = time.perf_counter()
        rows = demo_data.generate(workers, entries, END)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        await store.bulk_load(rows)
        loaded = time.perf_counter() - started
        service = StatsService(store, Library.load(), FixedClock())
        start = dt.date(2026, 5, 1)
        timings = []
        lags: list[float] = []
        for _ in range(runs):
            started = time.perf_counter()
            ticking = asyncio.create_task(_ticks(lags))
            report = await service.report(start, END, policy=Policy(k=10, seed=1))
            timings.append(time.perf_counter() - started)
            ticking.cancel()
        started = time.perf_counter()
        csv_text = report.to_csv()
        png = chart_png(report)
        outputs = time.perf_counter() - started
        size = (Path(tmp) / "bench.sqlite3").stat().st_size
        await db.close()
    shown = [r for r in report.rows if r.suppressed is None]
    print(
        f"data: {len(rows.users):,} workers, {len(rows.entries):,} entries, "
        f"{len(rows.payments):,} payments, {len(rows.employers):,} households; "
        f"generated in {generated:.1f} s, loaded in {loaded:.1f} s, {size / 1e6:.0f} MB"
    )
    print(
        f"report ({runs} runs): median {statistics.median(timings):.2f} s, "
        f"best {min(timings):.2f} s, worst {max(timings):.2f} s"
    )
    lags.sort()
    print(
        f"event loop while it runs (a 1 ms tick, as another user's update would wait):"
        f" p99 {lags[int(len(lags) * 0.99) - 1] * 1000:.0f} ms, worst {lags[-1] * 1000:.0f} ms"
    )
    print(
        f"cells: {len(report.rows)} ({len(shown)} published, "
        f"{len(report.rows) - len(shown)} suppressed); usage lines {len(report.usage)}; "
        f"CSV {len(csv_text):,} bytes and chart {len(png):,} bytes in {outputs:.2f} s"
    )


async def _ticks(lags: list[float]) -> None:
    """How late a 1 ms sleep wakes, over and over: the wait any other update would have."""
    while True:
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        lags.append(time.perf_counter() - started - 0.001)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.workers, args.entries, args.runs))


if __name__ == "__main__":
    main()
