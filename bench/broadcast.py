"""Benchmark: one broadcast through the durable outbox and the paced delivery engine.

A fake Bot API on 127.0.0.1 enforces Telegram-like limits (30 messages/s overall, 1/s per
chat) and answers 429 with retry_after above them. Prints the achieved rate against the
configured one, the 429 count, and duplicated and lost messages, for the engine's sliding
window and, as the baseline in the same run, the old token bucket (starts exactly 1/rate
apart, no margin).

    .venv/bin/python bench/broadcast.py [--recipients 3000] [--rate 30] [--limit 30]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Bot

from bot.channels.loopback_server import LoopbackBotAPIServer, RateLimit
from bot.channels.telegram_sender import telegram_sender
from bot.domain.clock import SystemClock, iso
from bot.services.delivery import DeliveryEngine, SlidingWindow, TokenBucket
from bot.storage.database import Database
from bot.storage.outbox import OutboxStore, OutgoingMessage

TOKEN = "123456789:" + "Q" * 35


async def run(recipients: int, rate: float, limit: float, pacer_name: str) -> None:
    clock = SystemClock()
    with (
        tempfile.TemporaryDirectory() as tmp,
        LoopbackBotAPIServer(rate_limit=RateLimit(per_second=limit)) as server,
    ):
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        store = OutboxStore(db)
        now = iso(clock.now())
        started = time.perf_counter()
        await store.enqueue(
            (
                OutgoingMessage(
                    user_id=10_000 + n,
                    kind="announcement",
                    method="sendMessage",
                    payload={"chat_id": 10_000 + n, "text": "Asamblea el sábado a las 10"},
                    not_before=now,
                    batch_id=1,
                    dedupe_key=f"b1:{n}",
                )
                for n in range(recipients)
            ),
            now,
        )
        enqueue_seconds = time.perf_counter() - started
        async with Bot(TOKEN, base_url=server.base_url) as bot:
            pacer = SlidingWindow(rate) if pacer_name == "sliding window" else TokenBucket(rate)
            engine = DeliveryEngine(store, telegram_sender(bot), clock, rate=rate, pacer=pacer)
            started = time.perf_counter()
            await engine.drain(limit_seconds=recipients / rate * 3 + 60)
            elapsed = time.perf_counter() - started
        per_chat = collections.Counter(s.chat_id for s in server.api.sent)
        counts = await store.batch_counts(1)
        await db.close()
    delivered = len(per_chat)
    duplicates = sum(c - 1 for c in per_chat.values())
    achieved = delivered / elapsed
    print(f"== {pacer_name}")
    print(f"recipients {recipients}, configured {rate:g} msg/s, fake limit {limit:g} msg/s")
    print(f"enqueue: {enqueue_seconds * 1000:.0f} ms ({recipients / enqueue_seconds:,.0f} rows/s)")
    print(
        f"delivered {delivered} in {elapsed:.1f} s: {achieved:.2f} msg/s "
        f"= {achieved / rate:.1%} of configured"
    )
    print(f"429 answers: {server.limit.rejected if server.limit else 0}")
    print(f"duplicates: {duplicates}   lost: {recipients - delivered}   outbox: {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=3_000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--limit", type=float, default=30.0)
    args = parser.parse_args()
    for pacer_name in ("sliding window", "baseline: token bucket"):
        asyncio.run(run(args.recipients, args.rate, args.limit, pacer_name))


if __name__ == "__main__":
    main()
