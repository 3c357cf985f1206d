"""WhatsApp webhooks in: kept, deduplicated, and handled in order for each user.

Each message is written to `whatsapp_inbound` before the webhook is answered (so a message
delivered twice is handled once, and one received just before a restart is handled after
it), then turned into the Telegram update the handlers understand and given to the real
python-telegram-bot `Application`. One user's messages are handled one after another, in
the order they arrived; different users' at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from dataclasses import asdict
from typing import Any

from telegram import Update

from bot.channels.whatsapp import convert
from bot.channels.whatsapp.bridge import BOT_USER, CHANNEL, WhatsAppBridge, message_number
from bot.context import BotApplication
from bot.domain.clock import Clock, iso
from bot.domain.text import fold
from bot.storage.channels import ChannelStore

log = logging.getLogger(__name__)
HANDLING_AT_ONCE = 4

# Words she may send instead of a command, in every language (folded: no case, no accents).
COMMAND_WORDS: dict[str, str] = {
    **dict.fromkeys(["menu", "menú", "menyu", "القائمة", "قائمة", "main menu"], "menu"),
    **dict.fromkeys(
        ["help", "ayuda", "ajuda", "aide", "tulong", "msaada", "مساعدة", "مساعده"], "help"
    ),
    **dict.fromkeys(["start", "inicio", "empezar", "começar", "commencer", "anza"], "start"),
    **dict.fromkeys(
        ["cancel", "cancelar", "annuler", "kanselahin", "ghairi", "إلغاء", "الغاء"], "cancel"
    ),
    **dict.fromkeys(["horas", "hours", "heures", "oras", "saa", "ساعات"], "hours"),
    **dict.fromkeys(["stop", "parar", "arrêter", "acha", "توقف"], "stop"),
}
_COMMANDS = {fold(word): command for word, command in COMMAND_WORDS.items()}


def as_command(text: str) -> str:
    """ "Menú" -> "/menu"; anything else unchanged."""
    command = _COMMANDS.get(fold(text.strip()))
    return f"/{command}" if command else text


def language_hint(text: str) -> str | None:
    """WhatsApp sends no language: Arabic script says Arabic; otherwise onboarding asks."""
    return "ar" if any("\u0600" <= ch <= "\u06ff" for ch in text) else None


class WhatsAppInbox:
    def __init__(
        self, app: BotApplication, bridge: WhatsAppBridge, store: ChannelStore, clock: Clock
    ) -> None:
        self.app = app
        self.bridge = bridge
        self.store = store
        self.clock = clock
        self._locks: dict[int, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._update_ids = itertools.count(1)
        self._waiting: list[
            tuple[list[convert.Inbound], asyncio.Future[list[tuple[int, bool]]]]
        ] = []
        self._writer: asyncio.Task[None] | None = None
        # A few messages handled at once: a burst is answered (written) first, handled after.
        self._slots = asyncio.Semaphore(HANDLING_AT_ONCE)

    async def accept(self, payload: dict[str, Any]) -> int:
        """Keep every new message of a webhook and start handling it; the number kept."""
        kept = 0
        for status in convert.statuses(payload):  # ids and states only, never text
            if status.status in ("delivered", "read", "failed") and status.wa_id:
                await self.store.record_status(
                    CHANNEL, status.wa_id, message_number(status.message_id), status.status
                )
        inbound = [m for m in convert.messages(payload) if m.message_id and m.wa_id]
        if not inbound:
            return 0
        done: asyncio.Future[list[tuple[int, bool]]] = asyncio.get_running_loop().create_future()
        self._waiting.append((inbound, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="whatsapp-inbox-writer")
        for message, (user_id, new) in zip(inbound, await done, strict=True):
            if new:
                kept += 1
                self._start(message.message_id, user_id, message)
        return kept

    async def _write(self) -> None:
        """Group commit: every webhook waiting is kept in one transaction, so a burst costs
        a few transactions, not one per message, and each webhook is answered as soon as
        its messages are on disk."""
        while self._waiting:
            batch, self._waiting = self._waiting, []
            rows = [(m.wa_id, m.message_id, asdict(m)) for messages, _ in batch for m in messages]
            try:
                results = await self.store.receive_all(CHANNEL, rows, self.clock.now())
            except Exception as error:
                for _messages, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            at = 0
            for messages, done in batch:
                if not done.done():
                    done.set_result(results[at : at + len(messages)])
                at += len(messages)

    async def _release(self, user_id: int) -> None:
        """She wrote: her window is open, and what was held for her goes out now."""
        services = self.app.bot_data.services
        if services is not None and await services.outbox.release(user_id, iso(self.clock.now())):
            services.delivery.wake()

    async def resume(self) -> int:
        """At start: what was kept but not handled before the process stopped."""
        pending = await self.store.pending()
        for message_id, user_id, raw in pending:
            self._start(message_id, user_id, convert.Inbound(**raw))
        return len(pending)

    def _start(self, message_id: str, user_id: int, inbound: convert.Inbound) -> None:
        lock = self._locks.setdefault(user_id, asyncio.Lock())
        task = asyncio.create_task(self._handle(lock, message_id, user_id, inbound))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every kept message is handled (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _handle(
        self, lock: asyncio.Lock, message_id: str, user_id: int, inbound: convert.Inbound
    ) -> None:
        async with lock, self._slots:  # the lock is fair: hers go in the order they came
            try:
                await self._release(user_id)
                if inbound.kind == "wake":
                    pass  # a template's Read: what waited for her is on its way
                elif inbound.kind == "button" and await self.bridge.more(user_id, inbound.data):
                    pass  # the next page of a long list, sent by the channel itself
                else:
                    data = self.update_for(user_id, inbound)
                    await self.app.process_update(Update.de_json(data, self.app.bot))
            except Exception:
                log.exception("a WhatsApp message could not be handled")
            finally:
                with contextlib.suppress(Exception):
                    await self.store.handled(message_id, self.clock.now())

    def update_for(self, user_id: int, inbound: convert.Inbound) -> dict[str, Any]:
        """The Telegram update for one WhatsApp message."""
        sender: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "·"}
        chat = {"id": user_id, "type": "private", "first_name": "·"}
        base: dict[str, Any] = {
            "message_id": message_number(inbound.message_id),
            "date": inbound.timestamp or int(self.clock.now().timestamp()),
            "chat": chat,
            "from": sender,
        }
        update_id = next(self._update_ids)
        if inbound.kind == "button" and not inbound.data.startswith(convert.TEXT_PREFIX):
            return {
                "update_id": update_id,
                "callback_query": {
                    "id": f"wa{update_id}",
                    "from": sender,
                    "chat_instance": str(user_id),
                    "data": inbound.data,
                    "message": {
                        "message_id": message_number(inbound.context_id or inbound.message_id),
                        "date": base["date"],
                        "chat": chat,
                        "from": BOT_USER,
                        "text": "·",
                    },
                },
            }
        if inbound.kind in ("text", "button"):
            raw = (
                inbound.data.removeprefix(convert.TEXT_PREFIX)
                if inbound.kind == "button"
                else inbound.text
            )
            text = as_command(raw)
            hint = language_hint(text)
            if hint:
                sender["language_code"] = hint
            message: dict[str, Any] = {**base, "text": text}
            if text.startswith("/"):
                length = len(text.split()[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            return {"update_id": update_id, "message": message}
        if inbound.kind == "location":
            return {
                "update_id": update_id,
                "message": {
                    **base,
                    "location": {"latitude": inbound.latitude, "longitude": inbound.longitude},
                },
            }
        if inbound.kind == "media" and inbound.media_kind in (
            "voice",
            "audio",
            "photo",
            "document",
        ):
            media: dict[str, Any] = {
                "file_id": inbound.media_id,
                "file_unique_id": inbound.media_id,
            }
            if inbound.mime:
                media["mime_type"] = inbound.mime
            content: dict[str, Any] = {}
            if inbound.media_kind == "photo":
                content["photo"] = [{**media, "width": 1, "height": 1}]
            elif inbound.media_kind in ("voice", "audio"):
                content["voice"] = {**media, "duration": 0}
            else:
                content["document"] = {**media, "file_name": inbound.file_name or "file"}
            if inbound.caption:
                content["caption"] = inbound.caption
            return {"update_id": update_id, "message": {**base, **content}}
        # Stickers, videos, reactions…: what the handlers answer as "I can't use this".
        sticker = {
            "file_id": inbound.media_id or "x",
            "file_unique_id": inbound.media_id or "x",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        return {"update_id": update_id, "message": {**base, "sticker": sticker}}
