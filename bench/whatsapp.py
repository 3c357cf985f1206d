"""Benchmark: WhatsApp webhooks through the whole bot, beside the same messages on Telegram.

A burst of webhooks (one text message each, from many workers) is posted, signed, to the
bot's webhook server over HTTP on 127.0.0.1; the bot answers through the WhatsApp bridge to
a fake Cloud API (tests/fake_whatsapp.py). It prints how fast each webhook was answered
(p50/p99: the Cloud API wants well under a second; the goal here is 200 ms) and how many
messages per second were handled end to end. The baseline is the same messages sent to the
same bot on the in-process Telegram Bot API (the console's), so the figures show what the
WhatsApp channel costs.

    .venv/bin/python bench/whatsapp.py [--messages 1000] [--users 100]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_application  # noqa: E402
from bot.channels.offline_api import OfflineBotAPI, OfflineRequest  # noqa: E402
from bot.channels.whatsapp.run import WhatsAppChannel  # noqa: E402
from bot.config import Settings  # noqa: E402
from tests.fake_whatsapp import FakeCloudAPI, ServerThread, serving  # noqa: E402

SECRET = "bench-secret"
TEXTS = ["hola", "cuantas horas puedo trabajar", "me pagan 5 euros la hora", "menu"]


async def whatsapp(messages: int, users: int) -> tuple[list[float], float]:
    fake = FakeCloudAPI(app_secret=SECRET)
    # The fake Cloud API in its own thread: the bot's event loop is the bot's alone.
    with tempfile.TemporaryDirectory() as tmp, ServerThread(fake.app()) as fake_port:
        fake.port = fake_port
        settings = Settings(
            data_dir=Path(tmp),
            whatsapp_token="bench",
            whatsapp_phone_id=fake.phone_id,
            whatsapp_app_secret=SECRET,
            whatsapp_verify_token="v",
            whatsapp_api_base_url=f"http://127.0.0.1:{fake_port}",
        )
        channel = WhatsAppChannel(settings, start_background=False)
        inbox = await channel.start()
        async with serving(channel.server()) as bot_port:
            url = f"http://127.0.0.1:{bot_port}/whatsapp"
            bodies = []
            for n in range(messages):
                payload = fake.text(f"52155{n % users:08d}", TEXTS[n % len(TEXTS)])
                body = json.dumps(payload).encode()
                bodies.append((body, fake.sign(body)))
            start = time.perf_counter()
            # Meta's side in a process of its own, as it is in its own data centre: the bot's
            # process does only the bot's work (a thread would share its interpreter lock).
            spawn = multiprocessing.get_context("spawn")
            with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as meta:
                answered = await asyncio.get_running_loop().run_in_executor(
                    meta, _post_all_blocking, url, bodies
                )
            await inbox.drain()
            elapsed = time.perf_counter() - start
        await channel.stop()
    return answered, messages / elapsed


def _post_all_blocking(url: str, bodies: list[tuple[bytes, str]]) -> list[float]:
    return asyncio.run(_post_all(url, bodies))


async def _post_all(
    url: str, bodies: list[tuple[bytes, str]], connections: int = 50
) -> list[float]:
    """Post every webhook over `connections` kept-alive HTTP/1.1 connections (Meta keeps at
    most a few dozen open); each one's answer time. Plain asyncio streams: an httpx client
    with 50 connections costs more than the bot (150 ms a request against a do-nothing
    endpoint, 9 ms with this), and the figure would be the load generator's."""
    target = urllib.parse.urlsplit(url)
    assert target.hostname and target.port
    queue = list(reversed(bodies))
    answered: list[float] = []

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(target.hostname, target.port)
        while queue:
            body, signature = queue.pop()
            head = (
                f"POST {target.path} HTTP/1.1\r\nHost: {target.hostname}\r\n"
                f"Content-Type: application/json\r\nX-Hub-Signature-256: {signature}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            sent = time.perf_counter()
            writer.write(head + body)
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            answered.append((time.perf_counter() - sent) * 1000)
            assert b" 200 " in status, status
        writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return answered


async def telegram(messages: int, users: int) -> float:
    api = OfflineBotAPI()
    with tempfile.TemporaryDirectory() as tmp:
        app = build_application(
            Settings(data_dir=Path(tmp)), request=OfflineRequest(api), start_background=False
        )
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        from telegram import Update

        updates = [
            Update.de_json(api.text_update(1000 + n % users, TEXTS[n % len(TEXTS)]), app.bot)
            for n in range(messages)
        ]
        start = time.perf_counter()
        await asyncio.gather(*(app.process_update(u) for u in updates))
        elapsed = time.perf_counter() - start
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()
    return messages / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--users", type=int, default=100)
    args = parser.parse_args()
    answered, wa_rate = asyncio.run(whatsapp(args.messages, args.users))
    tg_rate = asyncio.run(telegram(args.messages, args.users))
    answered.sort()
    p99 = answered[max(int(len(answered) * 0.99) - 1, 0)]
    print(f"{args.messages} messages from {args.users} workers (a burst, all at once)")
    print(
        f"webhook answered     p50 {statistics.median(answered):.1f} ms, p99 {p99:.1f} ms,"
        f" max {answered[-1]:.1f} ms"
    )
    print(
        f"handled end to end   whatsapp {wa_rate:.0f} msg/s,"
        f" telegram (baseline) {tg_rate:.0f} msg/s"
    )


if __name__ == "__main__":
    main()
