"""The layers the README describes, checked on the source: no `telegram` below the handlers,
no SQL outside storage, and handlers reach data only through services."""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

from bot.context import Services

BOT = Path(__file__).resolve().parent.parent / "bot"
SQL = re.compile(r"^\s*(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\s", re.I)


def modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (BOT / folder).rglob("*.py"))


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_telegram_below_the_handlers() -> None:
    offenders = [
        str(p.relative_to(BOT))
        for p in modules("services", "domain", "storage")
        if any(name == "telegram" or name.startswith("telegram.") for name in imports(p))
    ]
    assert offenders == []


def sql_literals(*folders: str) -> list[str]:
    found = []
    for path in modules(*folders):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SQL.match(node.value)
            ):
                found.append(f"{path.relative_to(BOT)}:{node.lineno}")
    return found


def test_no_sql_outside_storage() -> None:
    assert len(sql_literals("storage")) > 100  # the check recognises the SQL there
    assert sql_literals("handlers", "services", "domain", "channels") == []


def store_fields() -> set[str]:
    """The `Services` fields that are stores (or the database) rather than services."""
    hints = typing.get_type_hints(Services)
    return {
        name
        for name, kind in hints.items()
        if getattr(kind, "__module__", "").startswith("bot.storage")
    }


def test_handlers_call_services_never_stores() -> None:
    stores = store_fields()
    assert "db" in stores  # the check sees what it must
    offenders = []
    for path in modules("handlers"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in stores
                and isinstance(node.value, ast.Attribute | ast.Name)
                and (getattr(node.value, "attr", None) or getattr(node.value, "id", None))
                == "services"
            ):
                offenders.append(f"{path.relative_to(BOT)}:{node.lineno} .{node.attr}")
        for name in imports(path):
            if name.startswith("bot.storage") and name not in ALLOWED_STORAGE_IMPORTS:
                offenders.append(f"{path.relative_to(BOT)} imports {name}")
    assert offenders == []


# Plain values that happen to live beside their SQL (no store is reached through them).
ALLOWED_STORAGE_IMPORTS = {"bot.storage.organisers", "bot.storage.reminders"}
