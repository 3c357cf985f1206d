"""Direct replies survive a 429: python-telegram-bot's rate-limiter hook, used "react only if
necessary" (its approach 1). A reply the Bot API refuses with RetryAfter is sent again after
`retry_after`, a few times. Bulk sends pass `NO_RETRY`: the delivery engine paces them and
handles 429 itself (it pauses every send and requeues the message)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
NO_RETRY = -1  # rate_limit_args of a send whose 429 the caller handles
MAX_WAIT = 30.0  # a longer wait is not worth keeping her waiting: the error goes up


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)  # int now, timedelta later
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)


class ReplyRetry(BaseRateLimiter[int]):
    def __init__(self, max_retries: int = 3) -> None:
        self.max_retries = max_retries
        # Told of every message the bot sends into a chat (chat id, message id): every Bot API
        # call passes here, replies and the outbox alike. Discreet mode's "Clear this chat".
        self.on_sent: Callable[[int, int], Coroutine[Any, Any, None]] | None = None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        retries = self.max_retries if rate_limit_args is None else max(rate_limit_args, 0)
        for attempt in range(retries + 1):
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_seconds(error)
                if attempt == retries or wait > MAX_WAIT:
                    raise
                log.info("%s hit the rate limit; retrying in %.1f s", endpoint, wait)
                await asyncio.sleep(wait)
                continue
            if (
                self.on_sent is not None
                and endpoint.startswith("send")
                and isinstance(result, dict)
            ):
                chat, message_id = result.get("chat"), result.get("message_id")
                if isinstance(chat, dict) and isinstance(message_id, int):
                    try:
                        await self.on_sent(int(chat["id"]), message_id)
                    except Exception:  # noting it must never lose the message itself
                        log.exception("could not note a sent message for clear-chat")
            return result
        raise AssertionError("unreachable")
