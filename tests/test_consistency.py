"""The project keeps its promises to readers: every command documented, every handler's
command listed, every migration applied in order."""

from __future__ import annotations

import re
from pathlib import Path

from bot.commands import COMMANDS
from bot.storage.database import available_migrations

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c.name for c in COMMANDS if f"`/{c.name}" not in readme]
    assert missing == []


def test_every_registered_command_is_in_the_command_list() -> None:
    wired = set(re.findall(r'CommandHandler\("(\w+)"', (ROOT / "bot/app.py").read_text()))
    assert wired == {c.name for c in COMMANDS}


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [v for v, _name, _path in available_migrations()]
    assert versions == list(range(1, len(versions) + 1))
