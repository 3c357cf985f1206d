"""The SQLite database: one aiosqlite connection, serialised access, numbered migrations."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 60_000
_MIGRATION_RE = re.compile(r"^(\d{4})_(\w+)\.sql$")

Row = aiosqlite.Row
# Positional (?) or named (:name) parameters.
Params = Sequence[Any] | Mapping[str, Any]


class Database:
    """An open SQLite file in WAL mode with foreign keys on.

    Every statement goes through one lock: a coroutine's transaction can never interleave
    with another coroutine's statements on the shared connection.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path | None = None) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._path = path  # None: in memory

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        # Another process holding the write lock (a backup, `dwbot admin`) makes a write wait
        # up to a minute instead of failing: her /start or entry is saved late, never lost.
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db = cls(conn, _file_path(path))
        await db.migrate()
        return db

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[Database]:
        """A separate read-only connection for long reads (the statistics report), all in one
        read transaction: they see one snapshot and neither wait for nor hold up the bot's own
        statements (WAL lets a reader and the writer work at once). In memory, the shared
        connection."""
        if self._path is None:
            yield self
            return
        conn = await aiosqlite.connect(
            self._path.as_uri() + "?mode=ro", uri=True, isolation_level=None
        )
        try:
            await conn.execute("PRAGMA busy_timeout = 5000")
            await conn.execute("BEGIN")  # one snapshot for every read until the end
            yield Database(conn, self._path)
            await conn.execute("COMMIT")
        finally:
            await conn.close()

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._lock, self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        async with self._lock, self._conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement in its own transaction; return the last row id."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def migrate(self) -> int:
        """Apply every migration newer than the recorded schema version; return the version."""
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        async with self._conn.execute(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
        ) as c:
            row = await c.fetchone()
        current = int(row[0]) if row else 0
        for version, name, path in available_migrations():
            if version <= current:
                continue
            log.info("applying migration %04d_%s", version, name)
            script = path.read_text(encoding="utf-8")
            # executescript commits implicitly, so the migration and its record go in one script.
            await self._conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\n"
                f"INSERT INTO schema_migrations (version, name) VALUES ({version}, '{name}');\n"
                "COMMIT;"
            )
            current = version
        return current

    async def tables_with_column(self, column: str) -> list[str]:
        """Names of the tables that have `column` (used to export and erase a user's data)."""
        tables = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        found = []
        for (table,) in tables:
            cols = await self.fetchall("SELECT name FROM pragma_table_info(?)", (table,))
            if any(c[0] == column for c in cols):
                found.append(table)
        return found


class Transaction:
    """Statements inside one open transaction (the database lock is held)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self._conn.execute(sql, params) as cur:
            return cur.lastrowid or 0

    async def rowcount(self, sql: str, params: Params = ()) -> int:
        async with self._conn.execute(sql, params) as cur:
            return cur.rowcount

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        async with self._conn.execute(sql, params) as cur:
            return await cur.fetchone()


def _file_path(path: Path | str) -> Path | None:
    """The database file as an absolute path; None for an in-memory database."""
    return None if str(path) == ":memory:" else Path(path).resolve()


def available_migrations() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_RE.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def unreadable(path: Path) -> str | None:
    """Why the database file at `path` cannot be used, or None (also None if it is absent).

    Checked once before the bot starts, so a corrupt or unreadable file stops it with one
    clear line instead of a traceback and a process that never serves anyone.
    """
    if not path.exists():
        return None
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            (result,) = conn.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    return None if result == "ok" else str(result)
