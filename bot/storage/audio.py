"""SQL for audio: which local files each bot already has (file_id), and recorded episodes."""

from __future__ import annotations

import json
from typing import Any

from bot.storage.database import Database


class AudioStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def file_id(self, bot_id: int, path: str, sha256: str) -> str | None:
        return await self.db.fetchval(
            "SELECT file_id FROM audio_uploads WHERE bot_id = ? AND path = ? AND sha256 = ?",
            (bot_id, path, sha256),
        )

    async def remember(self, bot_id: int, path: str, sha256: str, file_id: str, now: str) -> None:
        await self.db.execute(
            "INSERT INTO audio_uploads (bot_id, path, sha256, file_id, uploaded_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (bot_id, path) DO UPDATE SET"
            " sha256 = excluded.sha256, file_id = excluded.file_id,"
            " uploaded_at = excluded.uploaded_at",
            (bot_id, path, sha256, file_id, now),
        )

    async def forget(self, bot_id: int, path: str) -> None:
        await self.db.execute(
            "DELETE FROM audio_uploads WHERE bot_id = ? AND path = ?", (bot_id, path)
        )

    async def add_recorded(
        self, language: str, title: str, topic: str | None, parts: list[dict[str, Any]], now: str
    ) -> int:
        return await self.db.execute(
            "INSERT INTO recorded_episodes (language, title, topic, parts, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (language, title, topic, json.dumps(parts), now),
        )

    async def recorded(self) -> list[dict[str, Any]]:
        rows = await self.db.fetchall("SELECT * FROM recorded_episodes ORDER BY id")
        return [dict(r) | {"parts": json.loads(r["parts"])} for r in rows]
