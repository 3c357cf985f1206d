"""Benchmark: cold start, from a new process to the bot's first poll, beside importing PTB alone.

Three figures, each the median of interleaved runs in one go (baseline, bot, baseline, bot…),
every run a fresh interpreter:

- baseline: `python -c "import telegram.ext"` (the floor any PTB bot pays);
- `import bot.app` (everything the bot loads before it starts);
- first poll: `python -m bot` in Telegram mode against the loopback fake Bot API on
  127.0.0.1, timed from the process start to its first getUpdates: on an empty data folder
  (migrations, and the content library read and indexed and its cache written), then again
  on the same folder (a restart: the library from its cache).

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.channels.loopback_server import LoopbackBotAPIServer  # noqa: E402

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789"


def timed_import(module: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT)
    return time.perf_counter() - start


def first_poll(data: str) -> float:
    with LoopbackBotAPIServer() as server:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "TELEGRAM_API_FILE_URL": server.file_url,
            "DWBOT_DATA_DIR": data,
            "DWBOT_LOG_LEVEL": "WARNING",
        }
        env.pop("WHATSAPP_ACCESS_TOKEN", None)
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env)
        try:
            while not any(m.lower() == "getupdates" for m, _ in list(server.api.calls)):
                if process.poll() is not None:
                    raise SystemExit(f"the bot stopped with {process.returncode}")
                time.sleep(0.002)
            elapsed = time.perf_counter() - start
            # Let the command menus finish registering (beside polling), then stop it.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and (
                sum(m.lower() == "setmycommands" for m, _ in list(server.api.calls)) < 8
            ):
                time.sleep(0.01)
            return elapsed
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    baseline, imports, fresh, restart = [], [], [], []
    for _ in range(args.runs):
        baseline.append(timed_import("telegram.ext"))
        imports.append(timed_import("bot.app"))
        with tempfile.TemporaryDirectory() as data:
            fresh.append(first_poll(data))
            restart.append(first_poll(data))
    median = statistics.median
    print(f"cold start, median of {args.runs} interleaved runs (fresh interpreter each)")
    print(f"import telegram.ext (baseline)   {median(baseline) * 1000:7.0f} ms")
    print(f"import bot.app                   {median(imports) * 1000:7.0f} ms")
    print(f"first poll, empty data folder    {median(fresh) * 1000:7.0f} ms")
    print(f"first poll, restart              {median(restart) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
