"""The offline console: a scripted session through `dwbot console` with piped input."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot import i18n
from bot.channels.console import run_console
from bot.config import Settings
from bot.i18n import _
from tests.conftest import Harness

ROOT = Path(__file__).resolve().parent.parent


def console_env(data_dir: Path) -> dict[str, str]:
    """The environment of a fresh machine: no tokens, only problems logged, this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DWBOT_"))}
    env.update(DWBOT_DATA_DIR=str(data_dir), DWBOT_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    return env


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


async def test_scripted_console_session_in_spanish(settings: Settings) -> None:
    script = "\n".join(
        [
            "/start",
            "1",  # Español (numbers press the buttons shown last)
            "México",  # a label presses its button too
            "1",  # keep my records
            "3",  # continue
            "/mydata",
            "😀",
        ]
    )
    out = io.StringIO()
    assert await run_console(settings, 7, "es", io.StringIO(script + "\n"), out) == 0
    text = out.getvalue()
    assert tr("es", "Choose your language:") in text
    assert "[1] ✅ Español" in text
    assert tr("es", "Which country do you work in? Your rights depend on its laws.") in text
    assert "[1] ✅ " + tr("es", "Keep my records") in text
    assert tr("es", "Here is the main menu. Tap a button.") in text
    assert "my-data.json" in text
    assert (settings.data_dir / "console-files" / "my-data.json").is_file()
    assert (
        tr("es", "Tap a button below, or write a question in words. Send /help for help.") in text
    )


def test_python_m_bot_runs_the_console_without_a_token(tmp_path: Path) -> None:
    env = console_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--language", "ar"],
        input="/start\n7\n6\n1\n1\n3\n",  # Arabic, another country: Asia, Hong Kong
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert tr("ar", "All set! ✅") in result.stdout
    assert "Traceback" not in result.stderr


def test_a_corrupt_database_stops_the_bot_with_one_clear_line(tmp_path: Path) -> None:
    """M8: exit non-zero at once, one line naming the file, no traceback, so a supervisor sees
    the failure instead of a process that stays alive and never serves anyone."""
    (tmp_path / "dwbot.sqlite3").write_bytes(b"this is not a database" * 1000)
    env = console_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="/start\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot be used" in result.stderr
    assert "Traceback" not in result.stderr


def test_messages_arrive_while_she_is_typing_and_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """The console reads input off the event loop, so a queued message is delivered and shown
    while the worker has not typed anything; end of input and a closed pipe stop cleanly."""
    env = console_env(tmp_path)
    command = [sys.executable, "-m", "bot", "console", "--user-id", "31", "--language", "es"]
    first = subprocess.run(
        command,
        input="/start\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert first.returncode == 0 and "Traceback" not in first.stderr
    conn = sqlite3.connect(tmp_path / "dwbot.sqlite3")
    conn.execute(
        "INSERT INTO outbox (user_id, kind, method, payload, not_before, created_at)"
        " VALUES (31, 'announcement', 'sendMessage', ?, '2000-01-01T00:00:00+00:00',"
        " '2000-01-01T00:00:00+00:00')",
        (json.dumps({"chat_id": 31, "text": "Asamblea el sábado"}),),
    )
    conn.commit()
    conn.close()
    # Nothing is typed for a few seconds: the delivery engine runs and the console shows it.
    typist = "import sys, time; sys.stdout.write('/help\\n'); sys.stdout.flush(); time.sleep(4)"
    feeder = subprocess.Popen([sys.executable, "-c", typist], stdout=subprocess.PIPE)
    second = subprocess.run(
        command,
        stdin=feeder.stdout,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    feeder.wait()
    assert second.returncode == 0 and "Traceback" not in second.stderr
    assert "Asamblea el sábado" in second.stdout
    # A reader that goes away (`| head -1`) ends the console without a traceback.
    piped = subprocess.run(
        " ".join(command) + " | head -1",
        shell=True,
        input="/start\n/help\n/help\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr


async def test_buttons_of_an_earlier_message_can_be_pressed(harness: Harness) -> None:
    await harness.onboard(user_id=71)
    chat = harness.chat(71)
    picker = (await chat.say("/language"))[-1]
    await chat.say("/privacy")  # a newer keyboard: plain numbers now press its buttons
    number = next(n for n, sent in chat.boards.items() if sent.message_id == picker.message_id)
    assert f"#{number} [1]" in chat.render([picker])
    english = next(i for i, (_l, data) in enumerate(picker.buttons, 1) if data and ":en:" in data)
    await chat.say(f"{number}.{english}")
    assert await harness.db.fetchval("SELECT locale FROM users WHERE user_id = 71") == "en"
