"""Discreet mode, for a worker whose phone is not private.

- **Clear this chat**: the ids of the messages in her chat (the bot's and hers) are kept for
  48 hours, the time Telegram lets a bot delete both in a private chat, so she can wipe them.
- **Neutral notifications**: a reminder, announcement, meeting notice, new episode or a
  helper's answer arrives as one neutral line ("You have a new message"); what it says is
  shown only when she taps Read (the outbox keeps the message).
- **Neutral file names**: her statement, handbook and data export are sent as
  "document-2026-12.pdf", not "hours-statement".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from bot import callbacks, i18n
from bot.domain.clock import Clock
from bot.i18n import _
from bot.services.users import UserService
from bot.storage.chat_log import ChatLogStore
from bot.storage.outbox import OutboxStore, QueuedMessage

DELETABLE_FOR = dt.timedelta(hours=48)  # Telegram's limit for a bot deleting messages
MAX_CLEAR = 300  # the newest messages a clear tries, at most
FLUSH_SECONDS = 2  # how often noted message ids are written
FLUSH_AT = 200  # or sooner, when this many wait
# What arrives without her asking, and so may light up a lock screen with its text.
NEUTRAL_KINDS = frozenset(
    {"reminder", "announcement", "meeting", "meeting_reminder", "episode", "case_answer"}
)

Delete = Callable[[int, int], Awaitable[bool]]  # (chat id, message id) -> deleted?


class DiscreetService:
    def __init__(
        self, store: ChatLogStore, users: UserService, clock: Clock, outbox: OutboxStore
    ) -> None:
        self.store = store
        self.outbox = outbox
        self.users = users
        self.clock = clock
        # Ids noted but not yet written: written together (one transaction for every chat)
        # every FLUSH_SECONDS by the scheduler, when FLUSH_AT pile up, before a clear and at
        # shutdown, so noting them adds no write to the reply she waits for.
        self._pending: list[tuple[int, int, dt.datetime]] = []

    async def remember(self, user_id: int, message_id: int) -> None:
        self._pending.append((user_id, message_id, self.clock.now()))
        if len(self._pending) >= FLUSH_AT:
            await self.flush()

    async def flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            await self.store.remember_all(pending)

    async def clear(self, user_id: int, delete: Delete, limit: int = MAX_CLEAR) -> tuple[int, int]:
        """Delete what can be deleted of the last 48 hours, newest first, at most `limit`;
        return (deleted, not deleted)."""
        await self.flush()
        ids = (await self.store.since(user_id, self.clock.now() - DELETABLE_FOR))[:limit]
        deleted, failed = [], 0
        for message_id in ids:
            if await delete(user_id, message_id):
                deleted.append(message_id)
            else:
                failed += 1
        await self.store.forget(user_id, ids)
        return len(deleted), failed

    async def prune(self) -> int:
        return await self.store.prune(self.clock.now() - DELETABLE_FOR)

    async def held(self, user_id: int, outbox_id: int) -> QueuedMessage | None:
        """What a neutral line stands for, for her Read button (only her own messages)."""
        return await self.outbox.sent_to(outbox_id, user_id)

    def file_name(self, neutral: bool, name: str, extension: str) -> str:
        if not neutral:
            return f"{name}.{extension}"
        return f"document-{self.clock.now():%Y-%m}.{extension}"

    async def prepare(self, message: QueuedMessage) -> tuple[str, dict[str, Any]]:
        """The delivery engine's last step before sending: in discreet mode, a message she
        did not ask for goes as a neutral line with a Read button (the outbox keeps it)."""
        if message.kind not in NEUTRAL_KINDS:
            return message.method, message.payload
        user = await self.users.get(message.user_id)
        if user is None or not user.neutral_notifications:
            return message.method, message.payload
        with i18n.using(user.locale):
            text = _("🔔 You have a new message. Tap Read to see it.")
            read = _("👁 Read")
        return "sendMessage", {
            "chat_id": message.user_id,
            "text": text,
            "reply_markup": {
                "inline_keyboard": [
                    [{"text": read, "callback_data": callbacks.encode("reveal", message.id)}]
                ]
            },
        }
