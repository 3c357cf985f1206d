"""The database: WAL, foreign keys, recorded migrations, and the user_id convention."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.storage.database import Database, available_migrations
from tests.conftest import Harness


async def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3")
    versions = [r[0] for r in await db.fetchall("SELECT version FROM schema_migrations")]
    assert versions == [v for v, _n, _p in available_migrations()]
    assert await db.fetchval("PRAGMA journal_mode") == "wal"
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    await db.close()
    db = await Database.open(tmp_path / "a.sqlite3")  # reopening applies nothing twice
    assert await db.fetchval("SELECT COUNT(*) FROM schema_migrations") == len(versions)
    await db.close()


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "b.sqlite3")
    try:
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (user_id, locale, created_at, updated_at)"
                " VALUES (1, 'es', 't', 't')"
            )
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert await db.fetchval("SELECT COUNT(*) FROM users") == 0
    await db.close()


async def test_every_table_with_personal_data_has_user_id(tmp_path: Path) -> None:
    """/mydata and /delete find personal data by the user_id column: no table may hide any."""
    db = await Database.open(tmp_path / "c.sqlite3")
    tables = {
        r[0]
        for r in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    without_user = tables - set(await db.tables_with_column("user_id"))
    # Tables that hold no data about a person; add new ones here only with a reason.
    # audio_uploads: Telegram file ids of our own files; recorded_episodes: union content;
    # whatsapp_media: WhatsApp media ids of files the bot uploaded (keyed by their hash).
    assert without_user <= {
        "schema_migrations",
        "audio_uploads",
        "recorded_episodes",
        "whatsapp_media",
    }
    await db.close()


async def test_a_reader_sees_one_snapshot_and_never_blocks_the_bot(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "c.sqlite3")
    insert = (
        "INSERT INTO users (user_id, locale, created_at, updated_at) VALUES (?, 'es', 't', 't')"
    )
    await db.execute(insert, (1,))
    try:
        async with db.reader() as reader:
            assert await reader.fetchval("SELECT COUNT(*) FROM users") == 1
            await db.execute(insert, (2,))  # the bot writes while the report reads
            assert await reader.fetchval("SELECT COUNT(*) FROM users") == 1  # same snapshot
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                await reader.fetchall(insert, (3,))  # the report can never change data
        assert await db.fetchval("SELECT COUNT(*) FROM users") == 2
    finally:
        await db.close()


async def test_a_write_lock_held_by_another_process_delays_but_loses_nothing(
    harness: Harness,
) -> None:
    """L6: another process holding the write lock for longer than the old 5 s busy timeout
    makes a new worker's /start wait, not fail."""

    path = harness.settings.database_path
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, timeout=5)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(10)
        conn.rollback()
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    await asyncio.to_thread(locked.wait, 5)
    asyncio.get_running_loop().call_later(6, release.set)
    replies = await harness.say("/start", user_id=890)
    await asyncio.to_thread(holder.join)
    assert replies and "wrong on my side" not in replies[-1].text
    assert await harness.db.fetchval("SELECT COUNT(*) FROM users WHERE user_id = 890") == 1


async def test_a_burst_of_webhook_messages_is_kept_once_each_in_one_batch(tmp_path: Path) -> None:
    from bot.storage.channels import FIRST_CHANNEL_USER_ID, ChannelStore

    db = await Database.open(tmp_path / "w.sqlite3")
    store = ChannelStore(db)
    now = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
    first = await store.receive_all(
        "whatsapp",
        [("521", "wamid.a", {"t": 1}), ("522", "wamid.b", {"t": 2}), ("521", "wamid.a", {})],
        now,
    )
    maria, ana = FIRST_CHANNEL_USER_ID, FIRST_CHANNEL_USER_ID + 1
    # the same message twice in one batch: kept once; two new people, two ids
    assert first == [(maria, True), (ana, True), (maria, False)]
    later = await store.receive_all(
        "whatsapp", [("522", "wamid.b", {}), ("523", "wamid.c", {}), ("521", "wamid.d", {})], now
    )
    assert later == [(ana, False), (ana + 1, True), (maria, True)]  # a redelivery is not new
    assert await db.fetchval("SELECT COUNT(*) FROM whatsapp_inbound") == 4
    assert await db.fetchval("SELECT COUNT(*) FROM channel_identities") == 3
    assert await store.last_wrote("whatsapp", maria) == now
    await db.close()
