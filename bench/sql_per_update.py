"""Benchmark: SQL statements per update, for the updates a worker sends most.

Counts every statement SQLite runs (BEGIN and COMMIT included, through sqlite3's trace
callback) while the real Application handles one update on the offline Bot API: a typed hours
entry, a main-menu tap (Hours & pay), a rights question and /help. A worker in Spain with one
household, onboarded as real ones are. Prints one line per update.

    .venv/bin/python bench/sql_per_update.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import offline
from bot.channels.console import ConsoleChat

UPDATES = (
    ("typed hours entry", "ayer de 9 a 13"),
    ("menu tap: Hours & pay", "🕒 Horas y pago"),
    ("rights question", "cuantas vacaciones tengo"),
    ("/help", "/help"),
)


class Clock:
    def now(self) -> dt.datetime:
        return dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app, api = await offline.start(Path(tmp) / "data", Clock())
        chat = ConsoleChat(app, api, 1, "es", Path(tmp) / "files")
        await offline.onboard(chat)
        await offline.add_household(chat, "Casa A", "hour", "10", "20251201")
        services = app.bot_data.services
        assert services is not None
        conn = services.db._conn
        statements: list[str] = []
        await conn._execute(conn._conn.set_trace_callback, statements.append)
        print(f"{'update':<26} {'statements':>10}  {'reads':>5}  {'writes':>6}")
        for name, text in UPDATES:
            statements.clear()
            await chat.say(text)
            reads = sum(s.lstrip().upper().startswith("SELECT") for s in statements)
            writes = sum(
                s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for s in statements
            )
            print(f"{name:<26} {len(statements):>10}  {reads:>5}  {writes:>6}")
            if "-v" in sys.argv:
                print("\n".join("    " + " ".join(s.split())[:150] for s in statements))
        await conn._execute(conn._conn.set_trace_callback, None)
        await offline.stop(app)


if __name__ == "__main__":
    asyncio.run(main())
