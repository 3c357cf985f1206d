"""The delivery engine's Sender for the Bot API: answers mapped to delivery outcomes.

Used for Telegram, and for WhatsApp through its bridge (which speaks the Bot API to the
handlers). A payload naming a local file (`FILE_REFERENCE`) is sent by the file id this bot
already has for it, or uploaded once and its id kept.
"""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import Any, Protocol

from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.channels.reply_retry import NO_RETRY, retry_seconds
from bot.services.delivery import (
    FILE_REFERENCE,
    Blocked,
    RateLimited,
    Rejected,
    Sender,
    Transient,
)

_FILE_FIELDS = ("voice", "audio", "document", "photo")


class FileIds(Protocol):
    async def file_id(self, path: Path, bot_id: int) -> str | None: ...
    async def remember(self, path: Path, bot_id: int, file_id: str) -> None: ...
    async def forget(self, path: Path, bot_id: int) -> None: ...


def telegram_sender(bot: Bot, files: FileIds | None = None) -> Sender:
    """`bot` may be a plain Bot (benchmarks) or the application's ExtBot, whose ReplyRetry
    must leave a 429 to the engine."""
    extra: dict[str, Any] = {"rate_limit_args": NO_RETRY} if isinstance(bot, ExtBot) else {}

    async def call(method: str, payload: dict[str, Any]) -> Any:
        try:
            with warnings.catch_warnings():
                # The method name comes from the outbox row, so the generic call is right here.
                warnings.simplefilter("ignore", PTBUserWarning)
                return await bot.do_api_request(method, api_kwargs=payload, **extra)
        except RetryAfter as error:
            raise RateLimited(retry_seconds(error)) from error
        except Forbidden as error:
            raise Blocked(error.message) from error
        except BadRequest as error:
            raise Rejected(error.message) from error
        except (TimedOut, NetworkError) as error:
            raise Transient(type(error).__name__) from error

    async def send(method: str, payload: dict[str, Any]) -> int | None:
        field = next(
            (
                f
                for f in _FILE_FIELDS
                if isinstance(payload.get(f), str) and payload[f].startswith(FILE_REFERENCE)
            ),
            None,
        )
        if field is None:
            result = await call(method, payload)
        else:
            result = await _send_file(method, payload, field)
        return result.get("message_id") if isinstance(result, dict) else None

    async def _send_file(method: str, payload: dict[str, Any], field: str) -> Any:
        path = Path(payload[field].removeprefix(FILE_REFERENCE))
        try:
            content = await asyncio.to_thread(path.read_bytes)
        except OSError as error:
            raise Rejected("the file is gone") from error
        if files is not None:
            known = await files.file_id(path, bot.id)
            if known is not None:
                try:
                    return await call(method, {**payload, field: known})
                except Rejected:
                    await files.forget(path, bot.id)  # the channel forgot it: upload again
        upload = InputFile(content, filename=path.name)
        result = await call(method, {**payload, field: upload})
        sent = result.get(field) if isinstance(result, dict) else None
        if isinstance(sent, list):  # a photo comes in sizes
            sent = sent[-1] if sent else None
        if files is not None and isinstance(sent, dict) and sent.get("file_id"):
            await files.remember(path, bot.id, str(sent["file_id"]))
        return result

    return send
