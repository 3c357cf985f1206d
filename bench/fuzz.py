"""Benchmark: 100,000 random but well-formed updates through the real Application (the
actions of tests/fuzzing.py, from a seeded generator), on the offline Bot API.

Prints how many updates went through, how many problems (unhandled errors, refused Bot API
calls, private messages left unanswered, answers in groups), the rate, and per-update
latency (p50, p99, max), with /help from the same users as the baseline in the same run.

    .venv/bin/python bench/fuzz.py [--updates 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.channels.offline_api import OfflineBotAPI
from bot.config import Settings
from tests.conftest import ADMIN_ID, FakeClock, start_app, stop_app
from tests.fuzzing import Fuzzer, random_actions

RESTART_EVERY = 5_000  # a fresh database now and then, as users come and go


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(total: int, seed: int) -> None:
    rng = random.Random(seed)
    problems: list[str] = []
    latencies: list[float] = []
    baseline: list[float] = []
    updates = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        round_no = 0
        while updates < total:
            round_no += 1
            settings = Settings(
                data_dir=Path(tmp) / f"data{round_no}", admin_ids=frozenset({ADMIN_ID})
            )
            api, clock = OfflineBotAPI(), FakeClock()
            app = await start_app(settings, api, clock)
            fuzzer = Fuzzer(app, api, clock)
            try:
                for step in random_actions(rng, min(RESTART_EVERY, total - updates)):
                    before = time.perf_counter()
                    await fuzzer.apply(step)
                    latencies.append(time.perf_counter() - before)
                    if rng.random() < 0.02:
                        before = time.perf_counter()
                        await fuzzer.apply(("command", step[1] if len(step) > 1 else 0, 0, 2, 0, 0))
                        baseline.append(time.perf_counter() - before)
                updates += fuzzer.updates
                problems += fuzzer.problems
            finally:
                fuzzer.close()
                await stop_app(app)
    elapsed = time.perf_counter() - started
    print(f"updates: {updates:,} in {elapsed:.0f} s ({updates / elapsed:,.0f} per second)")
    print(f"problems: {len(problems)}")
    for problem in problems[:20]:
        print("  ", problem[:200])
    print(f"{'':<22} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, values in (("random update", latencies), ("baseline: /help", baseline)):
        print(
            f"{name:<22} {statistics.median(values) * 1000:>8.2f}"
            f" {percentile(values, 0.99) * 1000:>8.2f} {max(values) * 1000:>8.1f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.seed))
